package org.grokmetrics.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.monitor.LossAndAccuracy;

/**
 * Bridges DJL models and the framework-agnostic estimators: weight snapshots, loss oracles, sub-network
 * oracles and representations.
 *
 * <p>Every evaluation runs the model's own {@link Block} at the given weights through a private
 * {@link ai.djl.training.ParameterStore} that serves the snapshot's arrays, in a private {@link NDManager}
 * closed afterwards, in inference mode ({@code training = false}: no dropout, no gradient, no random
 * numbers). The model's parameters are never written, so nothing needs restoring and an evaluation can
 * run on another thread while the model trains, provided the block's forward pass keeps no state of its
 * own (true of DJL's built-in blocks). Snapshot tensor names are the keys of
 * {@link Block#getParameters()} (e.g. {@code 01Linear_weight}).
 */
public final class DjlModels {

    /** Rows per forward pass when evaluating a data set. */
    public static final int EVALUATION_BATCH = 2048;

    /** Debug counter: walks over a block's parameter list ({@code getParameters()}). */
    static final java.util.concurrent.atomic.AtomicLong PARAMETER_WALKS = new java.util.concurrent.atomic.AtomicLong();

    private DjlModels() {
    }

    /** Mean loss (in the loss's unit, nats for cross-entropy) and accuracy in [0, 1] (NaN if not a classifier). */
    public record Evaluation(double loss, double accuracy) implements LossAndAccuracy {
    }

    /**
     * A sequential model cut before one of its children: {@code prefix} maps inputs to the representation
     * entering the child, {@code suffix} is the sub-network from that child to the output.
     */
    public record Split(SequentialBlock prefix, SequentialBlock suffix) {
    }

    /**
     * Copies every parameter of the model's block (float32 values; the names are the parameter list's keys).
     *
     * @throws IllegalStateException if the model has no block or a parameter is not initialized
     */
    public static ParameterSnapshot snapshot(Model model) {
        Objects.requireNonNull(model, "model");
        if (model.getBlock() == null) {
            throw new IllegalStateException("model '" + model.getName() + "' has no block");
        }
        return snapshot(model.getBlock());
    }

    /**
     * Copies every parameter of a block.
     *
     * @throws IllegalStateException if a parameter is not initialized (initialize the trainer first)
     */
    public static ParameterSnapshot snapshot(Block block) {
        Objects.requireNonNull(block, "block");
        PARAMETER_WALKS.incrementAndGet();
        return snapshot(block.getParameters(), block);
    }

    /** Copies the parameters of a list (a block's, walked once by the caller). */
    static ParameterSnapshot snapshot(Iterable<Pair<String, Parameter>> parameters, Block block) {
        List<Tensor> tensors = new ArrayList<>();
        for (Pair<String, Parameter> p : parameters) {
            Parameter param = p.getValue();
            if (!param.isInitialized()) {
                throw new IllegalStateException("parameter '" + p.getKey() + "' is not initialized yet "
                        + "(initialize the trainer or model first)");
            }
            NDArray a = param.getArray();
            tensors.add(new Tensor(p.getKey(), dims(a.getShape()), floats(a)));
        }
        if (tensors.isEmpty()) {
            throw new IllegalStateException("block " + block.getClass().getSimpleName() + " has no parameters");
        }
        return ParameterSnapshot.of(tensors);
    }

    private static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    private static int[] dims(Shape s) {
        int[] d = new int[s.dimension()];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.toIntExact(s.get(i));
        }
        return d;
    }

    /**
     * A loss oracle: the mean of {@code loss} over {@code data} with the model's weights replaced by the
     * argument. Deterministic for a deterministic block; thread-safe (each call uses its own arrays).
     */
    public static LossOracle lossOracle(Model model, Loss loss, LabeledData data) {
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(data, "data");
        DjlModelView view = new DjlModelView(blockOf(model));
        return p -> view.evaluate(p, loss, data).loss();
    }

    /**
     * Mean loss and accuracy of the model's block at the given weights over {@code data}.
     *
     * <p>Accuracy compares the arg-max of the first output with the first label (class indices, or one-hot
     * rows of the output's shape); it is NaN when the output is not a batch of score rows.
     *
     * @throws IllegalArgumentException if a weight is missing or has the wrong shape
     */
    public static Evaluation evaluate(Block block, ParameterSnapshot weights, Loss loss, LabeledData data) {
        return new DjlModelView(block).evaluate(weights, loss, data);
    }

    /** {@link #evaluate(Block, ParameterSnapshot, Loss, LabeledData)} through a given store living in {@code m}. */
    static Evaluation evaluate(Block block, SnapshotParameterStore store, NDManager m, Loss loss, LabeledData data) {
        double lossSum = 0;
        long correct = 0;
        boolean classifier = true;
        for (long from = 0; from < data.size(); from += EVALUATION_BATCH) {
            long to = Math.min(data.size(), from + EVALUATION_BATCH);
            try (NDManager batch = m.newSubManager()) {
                NDList x = data.features(batch, from, to);
                NDList y = data.labels(batch, from, to);
                NDList out = block.forward(store, x, false);
                lossSum += loss.evaluate(y, out).mean().getFloat() * (double) (to - from);
                long c = correct(out.get(0), y.isEmpty() ? null : y.get(0));
                if (c < 0) {
                    classifier = false;
                } else {
                    correct += c;
                }
            }
        }
        return new Evaluation(lossSum / data.size(), classifier ? correct / (double) data.size() : Double.NaN);
    }

    /** Correct predictions in a batch, or -1 if the output and labels are not a classification. */
    private static long correct(NDArray scores, NDArray labels) {
        if (labels == null || scores.getShape().dimension() != 2) {
            return -1;
        }
        long rows = scores.getShape().get(0);
        NDArray predicted = scores.argMax(1).toType(DataType.INT64, false);
        NDArray truth;
        if (labels.getShape().equals(scores.getShape())) {
            truth = labels.argMax(1).toType(DataType.INT64, false);
        } else if (labels.size() == rows) {
            truth = labels.reshape(rows).toType(DataType.INT64, false);
        } else {
            return -1;
        }
        return predicted.eq(truth).countNonzero().getLong();
    }

    /**
     * Cuts a sequential model before its child named {@code childName} (the names DJL gives children, e.g.
     * {@code 02Linear}; see {@code getChildren().keys()}). The parts share the model's blocks and parameters.
     *
     * @throws IllegalArgumentException if there is no such child, or it is the first one
     */
    public static Split split(SequentialBlock model, String childName) {
        Objects.requireNonNull(model, "model");
        List<String> names = model.getChildren().keys();
        int at = names.indexOf(childName);
        if (at < 0) {
            throw new IllegalArgumentException("sequential block has no child '" + childName + "'; children are " + names);
        }
        if (at == 0) {
            throw new IllegalArgumentException("cannot cut before the first child '" + childName
                    + "': its inputs are the model's own inputs");
        }
        List<Block> children = model.getChildren().values();
        SequentialBlock prefix = new SequentialBlock().addAll(children.subList(0, at));
        SequentialBlock suffix = new SequentialBlock().addAll(children.subList(at, children.size()));
        return new Split(prefix, suffix);
    }

    /**
     * The representations the first {@code n} rows of {@code data} have after {@code prefix} (a part of
     * {@code model}), at the given weights: one row per example, flattened.
     */
    public static double[][] representations(Block model, Block prefix, ParameterSnapshot weights, LabeledData data,
                                             int n) {
        return new DjlModelView(model).representations(prefix, weights, data, n);
    }

    /**
     * The sub-block {@code sub} of {@code model} as a function of its (flattened) input rows, evaluated at
     * the given weights. If {@code sub} is a {@link SequentialBlock} starting with a {@link Linear} layer,
     * the oracle is a {@link FactoredFunctionOracle} (exact, faster linear mapping number).
     */
    public static FunctionOracle subNetwork(Block model, Block sub, ParameterSnapshot weights) {
        return new DjlModelView(model).subNetwork(sub, weights);
    }

    static double[][] toRows(NDArray a) {
        long rows = a.getShape().get(0);
        float[] v = floats(a);
        int cols = (int) (v.length / Math.max(rows, 1));
        double[][] out = new double[(int) rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = v[i * cols + j];
            }
        }
        return out;
    }

    static Block blockOf(Model model) {
        Objects.requireNonNull(model, "model");
        if (model.getBlock() == null) {
            throw new IllegalStateException("model '" + model.getName() + "' has no block");
        }
        return model.getBlock();
    }
}
