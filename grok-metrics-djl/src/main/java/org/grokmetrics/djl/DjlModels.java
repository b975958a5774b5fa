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
     * @param model the model, with its block set and initialized (not null)
     * @return the copy of every parameter, in the block's order; later training does not change it
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
     * @param block the block, initialized (not null)
     * @return the copy of every parameter (float32), in the block's order
     * @throws IllegalStateException if a parameter is not initialized (initialize the trainer first), or the
     *                               block has no parameters
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
     *
     * @param model the model whose block is evaluated; its own parameters are not changed
     * @param loss  the loss averaged over the examples (not null)
     * @param data  the examples (not null)
     * @return an oracle giving the mean loss per example for a parameter snapshot, NaN if an output is NaN
     */
    public static LossOracle lossOracle(Model model, Loss loss, LabeledData data) {
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(data, "data");
        DjlModelView view = new DjlModelView(blockOf(model));
        DjlLoss l = DjlLoss.of(loss);
        return p -> view.evaluate(p, l, data, false).loss();
    }

    /**
     * Mean loss and accuracy of the model's block at the given weights over {@code data}.
     *
     * <p>The loss is {@code loss.evaluate} averaged over examples, in nats for cross-entropies, else the loss's
     * own units. Accuracy is defined for a {@link ai.djl.training.loss.SoftmaxCrossEntropyLoss} only (per
     * example, per time step of a sequence; see {@link DjlLoss}), NaN otherwise; NaN outputs make both NaN.
     *
     * @param block   the block evaluated; its own parameters are not changed
     * @param weights the weights to evaluate it at, named as {@link #snapshot(Block)} names them
     * @param loss    the loss averaged over the examples
     * @param data    the labelled examples
     * @return the mean loss per example and the accuracy in [0, 1] (or NaN as above)
     * @throws IllegalArgumentException if a weight is missing or has the wrong shape
     */
    public static Evaluation evaluate(Block block, ParameterSnapshot weights, Loss loss, LabeledData data) {
        return new DjlModelView(block).evaluate(weights, DjlLoss.of(loss), data, true);
    }

    /**
     * {@link #evaluate(Block, ParameterSnapshot, Loss, LabeledData)} through a given store living in {@code m};
     * accuracy only if asked and defined ({@link DjlLoss}), else NaN.
     */
    static Evaluation evaluate(Block block, SnapshotParameterStore store, NDManager m, DjlLoss loss, LabeledData data,
                               boolean accuracy) {
        double lossSum = 0;
        long correct = 0;
        long counted = 0;
        boolean defined = accuracy && loss.hasAccuracy();
        boolean nan = false;
        for (long from = 0; from < data.size(); from += EVALUATION_BATCH) {
            long to = Math.min(data.size(), from + EVALUATION_BATCH);
            try (NDManager batch = m.newSubManager()) {
                NDList x = data.features(batch, from, to);
                NDList y = data.labels(batch, from, to);
                NDList out = block.forward(store, x, false);
                double l = loss.loss().evaluate(y, out).mean().getFloat();
                lossSum += l * (double) (to - from);
                nan |= Double.isNaN(l);
                if (accuracy) {
                    for (NDArray o : out) {
                        nan |= o.isNaN().any().getBoolean();
                    }
                }
                if (defined) {
                    long[] c = loss.count(out.get(0), y.isEmpty() ? null : y.get(0));
                    if (c == null) {
                        defined = false;
                    } else {
                        correct += c[0];
                        counted += c[1];
                    }
                }
            }
        }
        return new Evaluation(nan ? Double.NaN : lossSum / data.size(),
                !defined || nan || counted == 0 ? Double.NaN : correct / (double) counted);
    }

    /**
     * Cuts a sequential model before its child named {@code childName} (the names DJL gives children, e.g.
     * {@code 02Linear}; see {@code getChildren().keys()}). The parts share the model's blocks and parameters.
     *
     * @param model     the sequential model (not null)
     * @param childName the name of the first child of the suffix
     * @return the prefix (the children before it) and the suffix (it and the children after it)
     * @throws IllegalArgumentException if there is no such child
     */
    public static Split split(SequentialBlock model, String childName) {
        Objects.requireNonNull(model, "model");
        return splitAt(model, childName);
    }

    /**
     * Cuts a model before the child at {@code path}: child names through nested {@link SequentialBlock}s joined
     * by {@code /} (e.g. {@code 02SequentialBlock/01Conv2d}). The prefix maps the model's inputs to the
     * representation entering that child; the suffix runs the rest of the innermost sequential block, then the
     * rest of each enclosing one, to the output.
     *
     * @param model the model, a {@link SequentialBlock} (not null)
     * @param path  one of {@link #lmnPositions(Block)} (not null)
     * @return the prefix and the suffix, sharing the model's blocks and parameters
     * @throws IllegalArgumentException if the path names no such position, listing the valid ones
     */
    public static Split splitAt(Block model, String path) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(path, "path");
        List<String> valid = lmnPositions(model);
        if (!valid.contains(path)) {
            throw new IllegalArgumentException("LMN cannot be measured at '" + path + "' of this "
                    + model.getClass().getSimpleName() + "; valid positions: " + valid);
        }
        List<Block> prefix = new ArrayList<>();
        List<Block> suffix = new ArrayList<>();
        Block at = model;
        List<List<Block>> laterParts = new ArrayList<>();
        for (String name : path.split("/")) {
            SequentialBlock seq = (SequentialBlock) at;
            List<String> names = seq.getChildren().keys();
            List<Block> children = seq.getChildren().values();
            int i = names.indexOf(name);
            prefix.addAll(children.subList(0, i));
            laterParts.add(0, children.subList(i + 1, children.size()));
            at = children.get(i);
        }
        suffix.add(at);
        laterParts.forEach(suffix::addAll);
        return new Split(new SequentialBlock().addAll(prefix), new SequentialBlock().addAll(suffix));
    }

    /**
     * The positions where the linear mapping number can be measured in a model: the paths of every child of
     * the model's {@link SequentialBlock}s, nested ones included, except embeddings (their inputs are indices).
     * A child inside any other block (a residual or parallel branch) is not a position: its sub-network is not
     * a function of its input alone.
     *
     * @param model the model
     * @return the valid paths in depth-first order; empty if the model is not a {@link SequentialBlock}
     */
    public static List<String> lmnPositions(Block model) {
        List<String> out = new ArrayList<>();
        if (model instanceof SequentialBlock seq) {
            addPositions(seq, "", out);
        }
        return out;
    }

    private static void addPositions(SequentialBlock seq, String prefix, List<String> out) {
        for (Pair<String, Block> c : seq.getChildren()) {
            String path = prefix + c.getKey();
            if (!(c.getValue() instanceof ai.djl.nn.core.Embedding)) {
                out.add(path);
            }
            if (c.getValue() instanceof SequentialBlock inner) {
                addPositions(inner, path + "/", out);
            }
        }
    }

    /**
     * The representations the first {@code n} rows of {@code data} have after {@code prefix} (a part of
     * {@code model}), at the given weights: one row per example, flattened.
     *
     * @param model   the model whose parameters the weights are for
     * @param prefix  a part of {@code model}, e.g. {@link Split#prefix()}
     * @param weights the weights to evaluate at, named as {@link #snapshot(Block)} names them
     * @param data    the examples
     * @param n       how many of the first examples to use
     * @return {@code n} rows (fewer if {@code data} has fewer), each a representation flattened in C order
     */
    public static double[][] representations(Block model, Block prefix, ParameterSnapshot weights, LabeledData data,
                                             int n) {
        return new DjlModelView(model).representations(prefix, weights, data, n);
    }

    /**
     * The sub-block {@code sub} of {@code model} as a function of its (flattened) input rows, evaluated at
     * the given weights. If {@code sub} is a {@link SequentialBlock} starting with a {@link Linear} layer,
     * the oracle is a {@link FactoredFunctionOracle} (exact, faster linear mapping number).
     *
     * @param model   the model whose parameters the weights are for
     * @param sub     a part of {@code model}, e.g. {@link Split#suffix()}
     * @param weights the weights to evaluate at, named as {@link #snapshot(Block)} names them
     * @return the sub-block as a function from rows of inputs to rows of outputs
     */
    public static FunctionOracle subNetwork(Block model, Block sub, ParameterSnapshot weights) {
        return new DjlModelView(model).subNetwork(sub, weights, new long[] {-1});
    }

    /**
     * {@link #subNetwork(Block, Block, ParameterSnapshot)} on rows that are C-order flattenings of inputs of shape
     * {@code inputShape} (without the batch axis), e.g. [C, H, W] for a convolution: each row is reshaped back.
     *
     * @param model      the model whose parameters the weights are for
     * @param sub        a part of {@code model}
     * @param weights    the weights to evaluate at
     * @param inputShape the shape of one input, without the batch axis
     * @return the sub-block as a function from rows of flattened inputs to rows of outputs
     */
    public static FunctionOracle subNetwork(Block model, Block sub, ParameterSnapshot weights, Shape inputShape) {
        return new DjlModelView(model).subNetwork(sub, weights, inputShape.getShape());
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
