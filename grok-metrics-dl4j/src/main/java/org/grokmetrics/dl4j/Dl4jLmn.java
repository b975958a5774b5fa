package org.grokmetrics.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the linear mapping number is measured in a DL4J model, and the sub-network from there to the
 * logits. A position is a layer index of a {@link MultiLayerNetwork} (the representation entering that layer)
 * or a vertex name of a {@link ComputationGraph} (the representation entering that vertex, which must have
 * one input, through which every path from the network's inputs to its outputs goes). Representations keep
 * their native shape (dense [N, n], convolutional [N, C, H, W], recurrent [N, C, T]): LMN's rows are their
 * C-order flattening and the sub-network reshapes each row back before evaluating, so the interpolation
 * happens in that space. The sub-network ends at the output layers' pre-activations (logits; the model the
 * cut is applied to has identity output activations, {@link #withLogitOutputs}), several outputs concatenated.
 * Positions where the input is discrete (an embedding layer's indices) are not valid.
 *
 * <p>Immutable; the oracles evaluate the model they are given (one thread at a time).
 */
final class Dl4jLmn {

    private final int layer;
    private final String vertex;
    private final String input;

    private Dl4jLmn(int layer, String vertex, String input) {
        this.layer = layer;
        this.vertex = vertex;
        this.input = input;
    }

    /**
     * The position at layer {@code index} of a MultiLayerNetwork, or at the vertex {@code name} of a graph (the
     * name is the index's decimal form for a MultiLayerNetwork).
     *
     * @throws IllegalArgumentException if LMN cannot be measured there, listing the positions where it can
     */
    static Dl4jLmn at(Model model, String position) {
        List<String> valid = validPositions(model);
        if (!valid.contains(position)) {
            throw new IllegalArgumentException("LMN cannot be measured at '" + position + "' of this "
                    + model.getClass().getSimpleName() + "; valid positions: " + valid);
        }
        if (model instanceof MultiLayerNetwork) {
            return new Dl4jLmn(Integer.parseInt(position), null, null);
        }
        ComputationGraph g = (ComputationGraph) model;
        GraphVertex v = g.getVertex(position);
        String in = g.getVertices()[v.getInputVertices()[0].getVertexIndex()].getVertexName();
        return new Dl4jLmn(-1, position, in);
    }

    /** The positions where LMN can be measured, in the model's order. */
    static List<String> validPositions(Model model) {
        List<String> out = new ArrayList<>();
        if (model instanceof MultiLayerNetwork net) {
            for (int i = 0; i < net.getnLayers(); i++) {
                if (!(i == 0 && discreteInput(net.getLayer(0)))) {
                    out.add(Integer.toString(i));
                }
            }
            return out;
        }
        ComputationGraph g = (ComputationGraph) model;
        GraphVertex[] vs = g.getVertices();
        for (int idx : g.topologicalSortOrder()) {
            GraphVertex v = vs[idx];
            if (v.isInputVertex() || v.getInputVertices() == null || v.getInputVertices().length != 1) {
                continue;
            }
            GraphVertex u = vs[v.getInputVertices()[0].getVertexIndex()];
            if (u.isInputVertex() && v.hasLayer() && discreteInput(v.getLayer())) {
                continue;
            }
            if (downstreamIfCut(g, u.getVertexIndex()) != null) {
                out.add(v.getVertexName());
            }
        }
        return out;
    }

    private static boolean discreteInput(Layer l) {
        org.deeplearning4j.nn.conf.layers.Layer c = l.conf().getLayer();
        return c instanceof EmbeddingLayer || c instanceof EmbeddingSequenceLayer;
    }

    /**
     * The vertices downstream of {@code u} in topological order, if every path from the inputs to the outputs
     * goes through {@code u}; else null.
     */
    private static List<Integer> downstreamIfCut(ComputationGraph g, int u) {
        GraphVertex[] vs = g.getVertices();
        Set<Integer> down = new HashSet<>();
        List<Integer> order = new ArrayList<>();
        for (int idx : g.topologicalSortOrder()) {
            GraphVertex w = vs[idx];
            if (idx == u || w.getInputVertices() == null) {
                continue;
            }
            boolean fromCut = false;
            boolean fromOutside = false;
            for (VertexIndices in : w.getInputVertices()) {
                int i = in.getVertexIndex();
                if (i == u || down.contains(i)) {
                    fromCut = true;
                } else {
                    fromOutside = true;
                }
            }
            if (fromCut) {
                if (fromOutside) {
                    return null; // a path around u
                }
                down.add(idx);
                order.add(idx);
            }
        }
        for (String out : g.getConfiguration().getNetworkOutputs()) {
            int idx = g.getVertex(out).getVertexIndex();
            if (idx != u && !down.contains(idx)) {
                return null;
            }
        }
        return order;
    }

    /** A private model's output layers switched to identity activations, so that its outputs are logits. */
    static Model withLogitOutputs(Model privateCopy) {
        List<Layer> outs = new ArrayList<>();
        if (privateCopy instanceof MultiLayerNetwork net) {
            outs.add(net.getOutputLayer());
        } else {
            ComputationGraph g = (ComputationGraph) privateCopy;
            for (String name : g.getConfiguration().getNetworkOutputs()) {
                outs.add(g.getLayer(name));
            }
        }
        for (Layer l : outs) {
            if (l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b) {
                b.setActivationFn(new ActivationIdentity());
            }
        }
        return privateCopy;
    }

    /** The representations entering the position for the points' inputs (native shape), on {@code model}. */
    INDArray representations(Model model, MultiDataSet points) {
        if (model instanceof MultiLayerNetwork net) {
            if (points.numFeatureArrays() != 1) {
                throw new IllegalArgumentException("a MultiLayerNetwork takes one input, the data have "
                        + points.numFeatureArrays());
            }
            return Dl4jModels.activateRange(net, 0, layer - 1, points.getFeatures(0)).dup();
        }
        ComputationGraph g = (ComputationGraph) model;
        Map<String, INDArray> acts = g.feedForward(points.getFeatures(), false);
        INDArray a = acts.get(input);
        if (a == null) {
            throw new IllegalStateException("the graph computed no activation for vertex '" + input + "'");
        }
        return a.dup();
    }

    /**
     * The sub-network from the position to the logits on {@code model} (with logit outputs), as a function of
     * rows that are C-order flattenings of representations of shape {@code shape} (without the batch axis).
     */
    FunctionOracle cut(Model model, long[] shape) {
        DataType dt = model.params().dataType();
        if (model instanceof MultiLayerNetwork net) {
            int n = net.getnLayers();
            Layer first = net.getLayer(layer);
            boolean affineFirst = shape.length == 1 && net.getLayerWiseConfigurations().getInputPreProcess(layer) == null
                    && (first.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.DenseLayer
                    || first.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.OutputLayer)
                    && first.getParam("W") != null && first.getParam("b") != null;
            if (!affineFirst) {
                return in -> Dl4jModels.outsideWorkspaces(() ->
                        Dl4jModels.toRows(Dl4jModels.activateRange(net, layer, n - 1, toArray(in, shape, dt))));
            }
            IActivation activation = ((org.deeplearning4j.nn.conf.layers.BaseLayer) first.conf().getLayer())
                    .getActivationFn();
            return new FactoredFunctionOracle() {
                @Override
                public double[][] affinePrefix(double[][] inputs) {
                    return Dl4jModels.outsideWorkspaces(() -> {
                        INDArray w = first.getParam("W");
                        INDArray b = first.getParam("b");
                        return Dl4jModels.toRows(toArray(inputs, shape, dt).mmul(w).addiRowVector(b));
                    });
                }

                @Override
                public double[][] applyAfterPrefix(double[][] z) {
                    return Dl4jModels.outsideWorkspaces(() -> {
                        INDArray h = activation.getActivation(Nd4j.create(z).castTo(dt), false);
                        return Dl4jModels.toRows(Dl4jModels.activateRange(net, layer + 1, n - 1, h));
                    });
                }
            };
        }
        ComputationGraph g = (ComputationGraph) model;
        int u = g.getVertex(input).getVertexIndex();
        List<Integer> order = downstreamIfCut(g, u);
        List<String> outputs = g.getConfiguration().getNetworkOutputs();
        return in -> Dl4jModels.outsideWorkspaces(() -> {
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            GraphVertex[] vs = g.getVertices();
            Map<Integer, INDArray> acts = new HashMap<>();
            acts.put(u, toArray(in, shape, dt));
            for (int idx : order) {
                GraphVertex w = vs[idx];
                VertexIndices[] ins = w.getInputVertices();
                INDArray[] args = new INDArray[ins.length];
                for (int i = 0; i < ins.length; i++) {
                    args[i] = acts.get(ins[i].getVertexIndex());
                }
                for (int i = 0; i < args.length; i++) {
                    w.setInput(i, args[i], mgr);
                }
                if (w instanceof org.deeplearning4j.nn.graph.vertex.impl.LayerVertex lv) {
                    lv.applyPreprocessorAndSetInput(mgr);
                }
                acts.put(idx, w.doForward(false, mgr));
            }
            List<double[][]> parts = new ArrayList<>();
            for (String o : outputs) {
                parts.add(Dl4jModels.toRows(acts.get(g.getVertex(o).getVertexIndex())));
            }
            return concatenate(parts);
        });
    }

    private static double[][] concatenate(List<double[][]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int rows = parts.get(0).length;
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            int width = 0;
            for (double[][] p : parts) {
                width += p[r].length;
            }
            double[] row = new double[width];
            int at = 0;
            for (double[][] p : parts) {
                System.arraycopy(p[r], 0, row, at, p[r].length);
                at += p[r].length;
            }
            out[r] = row;
        }
        return out;
    }

    /** Rows back in their native shape [rows, shape...]. */
    static INDArray toArray(double[][] rows, long[] shape, DataType dt) {
        long per = 1;
        for (long s : shape) {
            per *= s;
        }
        double[] flat = new double[Math.multiplyExact(rows.length, Math.toIntExact(per))];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != per) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, the representation "
                        + Arrays.toString(shape) + " has " + per);
            }
            System.arraycopy(rows[i], 0, flat, (int) (i * per), (int) per);
        }
        long[] full = new long[shape.length + 1];
        full[0] = rows.length;
        System.arraycopy(shape, 0, full, 1, shape.length);
        return Nd4j.create(flat, full, 'c').castTo(dt);
    }

    @Override
    public String toString() {
        return vertex != null ? "vertex '" + vertex + "'" : "layer " + layer;
    }
}
