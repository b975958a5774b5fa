package org.grokmetrics.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossKLD;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossPoisson;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * The model's own loss and accuracy, as DL4J scores them: the loss is the mean over examples of
 * {@code scoreExamples(data, false)} (the output layers' configured {@link ILossFunction}s with their label
 * masks, several outputs summed per example as DL4J does, no regularization terms), which equals
 * {@code score(data, false) - calcRegularizationScore(true)}. Accuracy is defined only for classification
 * outputs (a cross-entropy loss over classes: {@link LossMCXENT}, its negative-log-likelihood and sparse
 * variants): the arg-max over the class axis agrees with the label's, counted per example, per time step of a
 * sequence ([N, C, T] or [N, T, C] as the layer's format says) or per pixel of a CNN loss layer, positions
 * whose label mask is 0 left out; with several classification outputs, the first one's. NaN anywhere in an
 * output makes both the loss and the accuracy NaN.
 *
 * <p>The facts about the outputs are derived once per model ({@link #of(Model)}); immutable.
 */
final class Dl4jLoss {

    /** One network output: its loss function and class axis (-1: not a classification). */
    private record Output(ILossFunction loss, int classAxis, boolean sparse) {
    }

    private final List<Output> outputs;
    private final int accuracyOutput;
    private final String unit;

    private Dl4jLoss(List<Output> outputs) {
        this.outputs = List.copyOf(outputs);
        int acc = -1;
        for (int i = 0; i < outputs.size() && acc < 0; i++) {
            if (outputs.get(i).classAxis() >= 0) {
                acc = i;
            }
        }
        this.accuracyOutput = acc;
        List<String> units = outputs.stream().map(o -> unitOf(o.loss())).distinct().toList();
        this.unit = String.join("+", units);
    }

    /**
     * The outputs of a model.
     *
     * @throws IllegalArgumentException if an output layer has no loss function
     */
    static Dl4jLoss of(Model model) {
        List<org.deeplearning4j.nn.conf.layers.Layer> confs = new ArrayList<>();
        if (model instanceof MultiLayerNetwork net) {
            confs.add(net.getOutputLayer().conf().getLayer());
        } else if (model instanceof ComputationGraph g) {
            for (String name : g.getConfiguration().getNetworkOutputs()) {
                confs.add(g.getLayer(name).conf().getLayer());
            }
        } else {
            throw new IllegalArgumentException("unsupported model type " + model.getClass().getName());
        }
        List<Output> out = new ArrayList<>();
        for (org.deeplearning4j.nn.conf.layers.Layer c : confs) {
            out.add(output(c));
        }
        return new Dl4jLoss(out);
    }

    private static Output output(org.deeplearning4j.nn.conf.layers.Layer c) {
        ILossFunction loss;
        int axis = 1;
        if (c instanceof BaseOutputLayer o) {
            loss = o.getLossFn();
            if (c instanceof RnnOutputLayer r && r.getRnnDataFormat() == RNNFormat.NWC) {
                axis = 2;
            }
        } else if (c instanceof LossLayer l) {
            loss = l.getLossFn();
        } else if (c instanceof RnnLossLayer r) {
            loss = r.getLossFn();
            if (r.getRnnDataFormat() == RNNFormat.NWC) {
                axis = 2;
            }
        } else if (c instanceof CnnLossLayer l) {
            loss = l.getLossFn();
            if (l.getFormat() == org.deeplearning4j.nn.conf.CNN2DFormat.NHWC) {
                axis = 3;
            }
        } else {
            throw new IllegalArgumentException("output layer '" + c.getLayerName() + "' ("
                    + c.getClass().getSimpleName() + ") has no loss function");
        }
        Objects.requireNonNull(loss, "output layer '" + c.getLayerName() + "' has no loss function");
        boolean classification = loss instanceof LossMCXENT;
        return new Output(loss, classification ? axis : -1, loss instanceof LossSparseMCXENT);
    }

    /** "nats" for log-losses, else the loss function's name (its own units), per example. */
    static String unitOf(ILossFunction loss) {
        if (loss instanceof LossMCXENT || loss instanceof LossBinaryXENT || loss instanceof LossKLD
                || loss instanceof LossPoisson) {
            return "nats";
        }
        return loss.getClass().getSimpleName();
    }

    /** The loss's unit: "nats", or the loss function names joined by "+" for several outputs in other units. */
    String unit() {
        return unit;
    }

    /** Whether accuracy is defined (some output is a classification). */
    boolean hasAccuracy() {
        return accuracyOutput >= 0;
    }

    /** Sums over batches; {@link #evaluation()} turns them into means. */
    static final class Totals {
        private double lossSum;
        private long examples;
        private long correct;
        private long counted;
        private boolean nan;

        Dl4jModels.Evaluation evaluation(boolean accuracyDefined) {
            if (examples == 0) {
                throw new IllegalArgumentException("no examples to evaluate");
            }
            double loss = nan ? Double.NaN : lossSum / examples;
            double acc = !accuracyDefined || nan || counted == 0 ? Double.NaN : correct / (double) counted;
            return new Dl4jModels.Evaluation(loss, acc);
        }
    }

    /** Adds one batch's loss (and, if {@code accuracy}, its accuracy counts) to {@code t}; call outside workspaces. */
    void add(Dl4jModels.Kind kind, Model model, MultiDataSet batch, boolean accuracy, Totals t) {
        INDArray perExample;
        INDArray[] predictions = null;
        if (kind == Dl4jModels.Kind.MULTI_LAYER) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            DataSet ds = toDataSet(batch);
            perExample = net.scoreExamples(ds, false);
            if (accuracy) {
                predictions = new INDArray[] {net.output(ds.getFeatures(), false, ds.getFeaturesMaskArray(),
                        ds.getLabelsMaskArray())};
            }
        } else {
            ComputationGraph g = (ComputationGraph) model;
            perExample = g.scoreExamples(batch, false);
            if (accuracy) {
                predictions = g.output(false, batch.getFeatures(), batch.getFeaturesMaskArrays(),
                        batch.getLabelsMaskArrays());
            }
        }
        double sum = perExample.castTo(DataType.DOUBLE).sumNumber().doubleValue();
        t.lossSum += sum;
        t.examples += batch.getFeatures(0).size(0);
        t.nan |= Double.isNaN(sum);
        if (predictions != null) {
            for (INDArray p : predictions) {
                t.nan |= org.nd4j.linalg.indexing.BooleanIndexing.or(p, org.nd4j.linalg.indexing.conditions.Conditions.isNan());
            }
            if (accuracyOutput >= 0) {
                Output o = outputs.get(accuracyOutput);
                INDArray mask = batch.getLabelsMaskArrays() == null ? null : batch.getLabelsMaskArray(accuracyOutput);
                long[] c = count(predictions[accuracyOutput], batch.getLabels(accuracyOutput), mask, o.classAxis(),
                        o.sparse());
                if (c == null) {
                    t.nan = true;
                } else {
                    t.correct += c[0];
                    t.counted += c[1];
                }
            }
        }
    }

    /** A single-input, single-output batch as the DataSet a MultiLayerNetwork takes. */
    static DataSet toDataSet(MultiDataSet m) {
        if (m.numFeatureArrays() != 1 || m.numLabelsArrays() != 1) {
            throw new IllegalArgumentException("a MultiLayerNetwork takes one input and one output, but the data have "
                    + m.numFeatureArrays() + " feature and " + m.numLabelsArrays() + " label arrays");
        }
        return new DataSet(m.getFeatures(0), m.getLabels(0),
                m.getFeaturesMaskArrays() == null ? null : m.getFeaturesMaskArray(0),
                m.getLabelsMaskArrays() == null ? null : m.getLabelsMaskArray(0));
    }

    /**
     * {correct, counted} predictions: arg-max over {@code axis} of the prediction against the label's (one-hot, or
     * class indices when sparse), per position; positions with mask 0 left out. Null when the mask's layout is not
     * one this knows (accuracy then NaN, never a guess).
     */
    static long[] count(INDArray predicted, INDArray labels, INDArray mask, int axis, boolean sparse) {
        int rank = predicted.rank();
        if (axis >= rank) {
            return null;
        }
        int[] perm = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) {
            if (d != axis) {
                perm[k++] = d;
            }
        }
        perm[rank - 1] = axis;
        int classes = Math.toIntExact(predicted.size(axis));
        double[] p = predicted.permute(perm).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = labels.permute(perm).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int positions = p.length / classes;
        int labelWidth = sparse ? 1 : classes;
        if (y.length != (long) positions * labelWidth) {
            throw new IllegalArgumentException("label shape " + java.util.Arrays.toString(labels.shape())
                    + " does not match the output shape " + java.util.Arrays.toString(predicted.shape()));
        }
        double[] m = null;
        if (mask != null) {
            double[] raw = mask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            if (raw.length == positions) {
                m = raw;
            } else if (rank == 2 && raw.length == (long) positions * classes) {
                // a per-output mask: an example counts if any of its outputs does
                m = new double[positions];
                for (int i = 0; i < positions; i++) {
                    for (int c = 0; c < classes; c++) {
                        m[i] = Math.max(m[i], raw[i * classes + c]);
                    }
                }
            } else {
                return null;
            }
        }
        long correct = 0;
        long counted = 0;
        for (int i = 0; i < positions; i++) {
            if (m != null && m[i] == 0) {
                continue;
            }
            int best = argMax(p, i * classes, classes);
            int truth = sparse ? (int) y[i] : argMax(y, i * classes, classes);
            counted++;
            if (best == truth) {
                correct++;
            }
        }
        return new long[] {correct, counted};
    }

    private static int argMax(double[] a, int from, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (a[from + c] > a[from + best]) {
                best = c;
            }
        }
        return best;
    }
}
