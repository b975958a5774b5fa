package org.grokmetrics.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.monitor.LossAndAccuracy;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bridges Deeplearning4j models to the core API: snapshots, loss oracles, sub-network oracles and
 * representations for the linear mapping number.
 *
 * <p>Everything that evaluates a model works on a private {@linkplain MultiLayerNetwork#clone() clone},
 * so the model being trained is only ever read (its parameters copied), never changed. All ND4J work
 * here runs outside any workspace. Oracles are not thread-safe: call them from one thread at a time
 * (the monitor does). The listener keeps what these conveniences resolve per call in one
 * {@link Dl4jModelView}.
 */
public final class Dl4jModels {

    /** Debug counter: snapshots written into a model's parameters (by {@link #load} and {@link Dl4jModelView}). */
    static final AtomicLong LOADS = new AtomicLong();

    private Dl4jModels() {
    }

    /**
     * Mean loss per example (nats for log-losses, else the loss function's own units) and accuracy in [0, 1]
     * (NaN if not a classifier) on one data set: the shape of {@code DjlModels.Evaluation}.
     */
    public record Evaluation(double loss, double accuracy) implements LossAndAccuracy {
    }

    /** The two kinds of DL4J model, told apart once. */
    enum Kind {
        MULTI_LAYER {
            @Override
            Map<String, INDArray> paramTable(Model m) {
                return ((MultiLayerNetwork) m).paramTable();
            }

            @Override
            Model cloneOf(Model m) {
                return ((MultiLayerNetwork) m).clone();
            }

            @Override
            INDArray output(Model m, INDArray features) {
                return ((MultiLayerNetwork) m).output(features, false);
            }

            @Override
            long iterations(Model m) {
                return ((MultiLayerNetwork) m).getIterationCount();
            }
        },
        GRAPH {
            @Override
            Map<String, INDArray> paramTable(Model m) {
                return ((ComputationGraph) m).paramTable();
            }

            @Override
            Model cloneOf(Model m) {
                return ((ComputationGraph) m).clone();
            }

            @Override
            INDArray output(Model m, INDArray features) {
                return ((ComputationGraph) m).output(false, features)[0];
            }

            @Override
            long iterations(Model m) {
                return ((ComputationGraph) m).getIterationCount();
            }
        };

        /**
         * @throws IllegalArgumentException if the model is neither a MultiLayerNetwork nor a ComputationGraph
         */
        static Kind of(Model model) {
            Objects.requireNonNull(model, "model");
            if (model instanceof MultiLayerNetwork) {
                return MULTI_LAYER;
            }
            if (model instanceof ComputationGraph) {
                return GRAPH;
            }
            throw new IllegalArgumentException("unsupported model type " + model.getClass().getName()
                    + "; expected MultiLayerNetwork or ComputationGraph");
        }

        abstract Map<String, INDArray> paramTable(Model m);

        /** A private copy of the model (call outside workspaces). */
        abstract Model cloneOf(Model m);

        /** The model's (first) output for features, in inference mode. */
        abstract INDArray output(Model m, INDArray features);

        /** Optimiser iterations completed. */
        abstract long iterations(Model m);
    }

    /** Runs {@code body} outside any ND4J workspace (where all ND4J work of the adapter runs). */
    static <T> T outsideWorkspaces(Supplier<T> body) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return body.get();
        }
    }

    /**
     * The model's parameters, copied at once into float32 tensors named as DL4J names them
     * ({@code 0_W}, {@code 0_b}, or {@code layerName_W} in a graph), in DL4J's order, shapes as ND4J
     * reports them (a dense weight is [nIn, nOut]).
     *
     * @param model a MultiLayerNetwork or ComputationGraph
     * @return the copy of every parameter; later training does not change it
     * @throws IllegalArgumentException if the model is of another type
     */
    public static ParameterSnapshot snapshot(Model model) {
        Map<String, INDArray> table = Kind.of(model).paramTable(model);
        return outsideWorkspaces(() -> snapshotOf(table));
    }

    /** A snapshot of a parameter table (call outside workspaces). */
    static ParameterSnapshot snapshotOf(Map<String, INDArray> table) {
        List<Tensor> out = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : table.entrySet()) {
            INDArray a = e.getValue();
            long[] s = a.shape();
            int[] shape = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                shape[i] = Math.toIntExact(s[i]);
            }
            float[] data = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
            out.add(new Tensor(e.getKey(), shape, java.util.Arrays.copyOf(data, (int) a.length())));
        }
        return ParameterSnapshot.of(out);
    }

    /**
     * Writes a snapshot's values into a model's parameters (same names and shapes).
     *
     * @param target a MultiLayerNetwork or ComputationGraph whose parameters are overwritten
     * @param p      the values, named and shaped as {@link #snapshot(Model)} names them
     * @throws IllegalArgumentException naming the parameter if a name or shape does not match
     */
    public static void load(Model target, ParameterSnapshot p) {
        Map<String, INDArray> table = Kind.of(target).paramTable(target);
        outsideWorkspaces(() -> loadInto(table, p));
    }

    /** Writes a snapshot into a parameter table (call outside workspaces); counted in {@link #LOADS}. */
    static Void loadInto(Map<String, INDArray> table, ParameterSnapshot p) {
        LOADS.incrementAndGet();
        if (table.size() != p.tensorCount()) {
            throw new IllegalArgumentException("snapshot has " + p.tensorCount() + " tensors, model has "
                    + table.size() + " parameters " + table.keySet());
        }
        for (Map.Entry<String, INDArray> e : table.entrySet()) {
            Tensor t = p.find(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "snapshot has no tensor for model parameter '" + e.getKey() + "'"));
            INDArray view = e.getValue();
            if (t.size() != view.length()) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' has " + view.length()
                        + " values, snapshot tensor has " + t.size());
            }
            view.assign(Nd4j.create(t.data(), view.shape(), 'c').castTo(view.dataType()));
        }
        return null;
    }

    /** A private copy of the model for evaluation. */
    static Model cloneOf(Model model) {
        Kind kind = Kind.of(model);
        return outsideWorkspaces(() -> kind.cloneOf(model));
    }

    /**
     * The model's own mean loss per example and accuracy on one data set, as DL4J scores them (the output
     * layers' loss functions and label masks, no regularization: {@link Dl4jLoss}); accuracy in [0, 1] for
     * classification outputs, NaN otherwise; NaN outputs give NaN for both. Evaluated on the model itself.
     *
     * @param model a MultiLayerNetwork or ComputationGraph, initialised
     * @param data  the labelled examples (not null)
     * @return the mean loss per example and the accuracy
     * @throws IllegalArgumentException if the data set is empty or does not fit the model
     */
    public static Evaluation evaluate(Model model, DataSet data) {
        Objects.requireNonNull(data, "data");
        return evaluate(model, Dl4jData.of(data));
    }

    /**
     * {@link #evaluate(Model, DataSet)} on any data (streamed batch by batch).
     *
     * @param model a MultiLayerNetwork or ComputationGraph, initialised
     * @param data  the labelled examples, in memory or streamed (not null)
     * @return the mean loss per example over all examples, and the accuracy
     * @throws IllegalArgumentException if the data is empty or does not fit the model
     * @throws IllegalStateException    if the model is not initialised
     */
    public static Evaluation evaluate(Model model, Dl4jData data) {
        Objects.requireNonNull(data, "data");
        Kind kind = Kind.of(model);
        Dl4jModelView.requireInitialised(model);
        return evaluate(kind, Dl4jLoss.of(model), model, data, true);
    }

    /**
     * {@link #evaluate(Model, DataSet)} as an array {loss, accuracy}.
     *
     * @param model a MultiLayerNetwork or ComputationGraph, initialised
     * @param data  the labelled examples (not null)
     * @return {@code {loss, accuracy}}, as {@link #evaluate(Model, DataSet)} computes them
     * @deprecated use {@link #evaluate(Model, DataSet)}: its {@link Evaluation} has the shape of DJL's
     */
    @Deprecated
    public static double[] lossAndAccuracy(Model model, DataSet data) {
        Evaluation e = evaluate(model, data);
        return new double[] {e.loss(), e.accuracy()};
    }

    /** Mean loss (and accuracy if asked, else NaN) over all batches of {@code data}. */
    static Evaluation evaluate(Kind kind, Dl4jLoss loss, Model model, Dl4jData data, boolean accuracy) {
        return outsideWorkspaces(() -> {
            Dl4jLoss.Totals t = new Dl4jLoss.Totals();
            data.forEachBatch(b -> loss.add(kind, model, b, accuracy, t));
            return t.evaluation(accuracy && loss.hasAccuracy());
        });
    }

    /**
     * The model's own mean train loss per example ({@link #evaluate(Model, DataSet)}'s) for any weights,
     * evaluated on a private clone of the model: the model itself is never touched.
     *
     * @param model a MultiLayerNetwork or ComputationGraph, initialised
     * @param data  the training examples the loss is averaged over (not null)
     * @return an oracle giving the mean loss per example for a parameter snapshot
     */
    public static LossOracle trainLoss(Model model, DataSet data) {
        Objects.requireNonNull(data, "data");
        return trainLoss(model, Dl4jData.of(data));
    }

    /**
     * {@link #trainLoss(Model, DataSet)} on any data (streamed batch by batch at each call).
     *
     * @param model a MultiLayerNetwork or ComputationGraph, initialised
     * @param data  the training examples, in memory or streamed (not null)
     * @return an oracle giving the mean loss per example for a parameter snapshot
     */
    public static LossOracle trainLoss(Model model, Dl4jData data) {
        Objects.requireNonNull(data, "data");
        return new Dl4jModelView(model, data, null, null, 0).trainLoss().orElseThrow();
    }

    /**
     * The sub-network from layer {@code fromLayer} to the output logits (pre-softmax) of a
     * {@link MultiLayerNetwork}, as a function of the input of layer {@code fromLayer} (the output of layer
     * {@code fromLayer - 1}), evaluated on a private clone with the model's current weights. If layer
     * {@code fromLayer} is a dense layer, the oracle is a {@link FactoredFunctionOracle}: its affine part
     * x&middot;W + b is the prefix, which makes the linear mapping number cheaper (exactly the same value).
     *
     * @param net       the network; its clone is taken now, so later training does not change the oracle
     * @param fromLayer the first layer of the sub-network, in [0, number of layers - 1]
     * @return the sub-network as a function from rows of layer inputs to rows of logits
     * @throws IllegalArgumentException if fromLayer is out of range or the last layer has no W and b
     */
    public static FunctionOracle subNetwork(MultiLayerNetwork net, int fromLayer) {
        return subNetworkOf((MultiLayerNetwork) cloneOf(net), fromLayer);
    }

    /** As {@link #subNetwork} but evaluating {@code net} itself (callers own it). */
    static FunctionOracle subNetworkOf(MultiLayerNetwork net, int fromLayer) {
        int n = net.getnLayers();
        if (fromLayer < 0 || fromLayer >= n) {
            throw new IllegalArgumentException("fromLayer must be in [0, " + (n - 1) + "], was " + fromLayer);
        }
        Layer out = net.getLayer(n - 1);
        if (out.getParam("W") == null || out.getParam("b") == null) {
            throw new IllegalArgumentException("the output layer has no W and b parameters; logits are undefined");
        }
        DataType dt = net.params().dataType();
        Layer first = net.getLayer(fromLayer);
        boolean dense = first instanceof org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer || fromLayer == n - 1;
        if (!dense) {
            return in -> outsideWorkspaces(() -> toRows(affine(out, activateRange(net, fromLayer, n - 2, toArray(in, dt)))));
        }
        IActivation activation = fromLayer == n - 1 ? null
                : ((org.deeplearning4j.nn.conf.layers.BaseLayer) first.conf().getLayer()).getActivationFn();
        return new FactoredFunctionOracle() {
            @Override
            public double[][] affinePrefix(double[][] inputs) {
                return outsideWorkspaces(() -> toRows(affine(first, toArray(inputs, dt))));
            }

            @Override
            public double[][] applyAfterPrefix(double[][] z) {
                return outsideWorkspaces(() -> {
                    INDArray pre = toArray(z, dt);
                    if (fromLayer == n - 1) {
                        return toRows(pre);
                    }
                    INDArray h = activation.getActivation(pre, false);
                    h = activateRange(net, fromLayer + 1, n - 2, h);
                    return toRows(affine(out, h));
                });
            }
        };
    }

    /** Layers from..to (inclusive; none if from &gt; to) in inference mode, with their input preprocessors. */
    static INDArray activateRange(MultiLayerNetwork net, int from, int to, INDArray x) {
        INDArray h = x;
        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr mgr = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        for (int i = from; i <= to; i++) {
            org.deeplearning4j.nn.conf.InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null) {
                h = pre.preProcess(h, Math.toIntExact(h.size(0)), mgr);
            }
            h = net.getLayer(i).activate(h, false, mgr);
        }
        return h;
    }

    private static INDArray affine(Layer layer, INDArray x) {
        INDArray w = layer.getParam("W");
        INDArray b = layer.getParam("b");
        return x.castTo(w.dataType()).mmul(w).addiRowVector(b);
    }

    /**
     * The input of layer {@code fromLayer} (the output of layer {@code fromLayer - 1}, or the features
     * for 0) for each example: LMN's sample points. Computed on a clone, in inference mode.
     *
     * @param net       the network
     * @param features  the examples' features, first dimension the examples
     * @param fromLayer the layer whose input is returned, in [0, number of layers - 1]
     * @return one row per example, the layer input flattened
     * @throws IllegalArgumentException if fromLayer is out of range
     */
    public static double[][] representations(MultiLayerNetwork net, INDArray features, int fromLayer) {
        if (fromLayer < 0 || fromLayer >= net.getnLayers()) {
            throw new IllegalArgumentException("fromLayer must be in [0, " + (net.getnLayers() - 1) + "], was "
                    + fromLayer);
        }
        return outsideWorkspaces(() -> toRows(activateRange(net, 0, fromLayer - 1, features)));
    }

    static INDArray toArray(double[][] rows, DataType dt) {
        // one flat Java array of the target type, then one native copy (not a double array cast on the native
        // side: at a 3,072-wide layer the two allocations cost more than the layer's arithmetic)
        int n = rows.length;
        int cols = n == 0 ? 0 : rows[0].length;
        for (double[] r : rows) {
            if (r.length != cols) {
                throw new IllegalArgumentException("ragged rows: " + r.length + " and " + cols + " columns");
            }
        }
        long[] shape = {n, cols};
        if (dt == DataType.FLOAT) {
            float[] flat = new float[n * cols];
            for (int i = 0; i < n; i++) {
                double[] r = rows[i];
                int off = i * cols;
                for (int j = 0; j < cols; j++) {
                    flat[off + j] = (float) r[j];
                }
            }
            return Nd4j.create(flat, shape, 'c');
        }
        double[] flat = new double[n * cols];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        INDArray a = Nd4j.create(flat, shape, 'c');
        return dt == DataType.DOUBLE ? a : a.castTo(dt);
    }

    /** Rows of a 2-D array via one bulk copy (ND4J M2.1's toDoubleMatrix() takes ~50 µs per row). */
    static double[][] toRows(INDArray a) {
        int rows = Math.toIntExact(a.size(0));
        int cols = Math.toIntExact(a.length() / Math.max(1, rows));
        INDArray c = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        double[] flat = c.data().asDouble();
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }
}
