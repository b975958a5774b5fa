package org.grokmetrics.djl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
import org.grokmetrics.monitor.Metrics;
import org.grokmetrics.monitor.ModelMeasurement;

/**
 * One DJL block as the evaluations see it, resolved once: its parameters (names, ids), the device and
 * engine of their arrays, and for a listener the task loss, the data and the LMN split. Evaluations run the
 * block through a {@link SnapshotParameterStore} in a private manager: one store per loss evaluation, and one
 * per measurement for the LMN points and every call of its sub-network oracle.
 *
 * <p>The conveniences of {@link DjlModels} build a view without listener settings. A listener's view is used
 * from one thread at a time, one measurement after the other; {@link #close()} frees the last LMN store.
 */
final class DjlModelView implements ModelMeasurement.View, AutoCloseable {

    private final Block block;
    private final List<Pair<String, Parameter>> parameters;
    private final Map<String, String> namesById;
    private final Device device;
    private final String engine;
    private final Loss loss;
    private final DjlLoss taskLoss;
    private final LabeledData trainData;
    private final LabeledData validationData;
    private final String lmnChild;
    private final int lmnPoints;
    private Block lmnPrefix;
    private Block lmnSuffix;
    private NDManager lmnManager;

    /** A view for evaluations only (no listener settings). */
    DjlModelView(Block block) {
        this(block, null, null, null, null, 0);
    }

    /**
     * @param loss     the task loss (null: no loss oracle, no metrics)
     * @param lmnChild the child of a SequentialBlock LMN starts at, or null
     * @throws IllegalStateException if the block has no initialized parameter
     */
    DjlModelView(Block block, Loss loss, LabeledData trainData, LabeledData validationData, String lmnChild,
                 int lmnPoints) {
        this.block = block;
        DjlModels.PARAMETER_WALKS.incrementAndGet();
        List<Pair<String, Parameter>> list = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Parameter initialized = null;
        for (Pair<String, Parameter> p : block.getParameters()) {
            list.add(p);
            names.put(p.getValue().getId(), p.getKey());
            if (initialized == null && p.getValue().isInitialized()) {
                initialized = p.getValue();
            }
        }
        if (initialized == null) {
            throw new IllegalStateException("the model's block is not initialised: call trainer.initialize(inputShapes) (or block.initialize) before measuring it");
        }
        this.parameters = List.copyOf(list);
        this.namesById = Map.copyOf(names);
        NDArray a = initialized.getArray();
        this.device = a.getDevice();
        this.engine = a.getManager().getEngine().getEngineName();
        this.loss = loss;
        this.taskLoss = loss == null ? null : DjlLoss.of(loss);
        this.trainData = trainData;
        this.validationData = validationData;
        this.lmnChild = lmnChild;
        this.lmnPoints = lmnPoints;
    }

    Block block() {
        return block;
    }

    Loss loss() {
        return loss;
    }

    /** The block's weights now. */
    ParameterSnapshot snapshot() {
        return DjlModels.snapshot(parameters, block);
    }

    private NDManager newManager() {
        return NDManager.newBaseManager(device, engine);
    }

    /** Mean loss and accuracy at the weights over {@code data}, with one parameter store. */
    DjlModels.Evaluation evaluate(ParameterSnapshot weights, DjlLoss l, LabeledData data, boolean accuracy) {
        try (NDManager m = newManager()) {
            return DjlModels.evaluate(block, new SnapshotParameterStore(m, namesById, weights), m, l, data, accuracy);
        }
    }

    /** The representations of the first {@code n} rows of {@code data} after {@code prefix}, at the weights. */
    double[][] representations(Block prefix, ParameterSnapshot weights, LabeledData data, int n) {
        try (NDManager m = newManager()) {
            return representations(prefix, new SnapshotParameterStore(m, namesById, weights), m, data, n).rows();
        }
    }

    /** Representations as LMN's rows (C-order flattening) and their native shape without the batch axis. */
    private record Representations(double[][] rows, long[] shape) {
    }

    private static Representations representations(Block prefix, SnapshotParameterStore store, NDManager m,
                                                   LabeledData data, int n) {
        LabeledData head = data.head(n);
        try (NDManager batch = m.newSubManager()) {
            NDList in = head.features(batch, 0, head.size());
            NDList out = prefix instanceof SequentialBlock s && s.getChildren().isEmpty() ? in
                    : prefix.forward(store, in, false);
            if (out.size() != 1) {
                throw new IllegalArgumentException("the representation at the LMN position is " + out.size()
                        + " arrays; LMN needs one (cut after the inputs are joined)");
            }
            NDArray a = out.get(0);
            long[] dims = a.getShape().getShape();
            return new Representations(DjlModels.toRows(a), java.util.Arrays.copyOfRange(dims, 1, dims.length));
        }
    }

    /**
     * {@code sub} (a part of the block) as a function of its input rows at the weights; a new manager and store
     * per call (thread-safe).
     *
     * @throws IllegalArgumentException if a parameter of {@code sub} is not one of the block's
     */
    FunctionOracle subNetwork(Block sub, ParameterSnapshot weights, long[] inputShape) {
        requirePartOfBlock(sub);
        return oracle(sub, inputShape, body -> {
            try (NDManager m = newManager()) {
                return body.run(new SnapshotParameterStore(m, namesById, weights), m);
            }
        });
    }

    private void requirePartOfBlock(Block sub) {
        DjlModels.PARAMETER_WALKS.incrementAndGet();
        for (Pair<String, Parameter> p : sub.getParameters()) {
            if (!namesById.containsKey(p.getValue().getId())) {
                throw new IllegalArgumentException("sub-block parameter '" + p.getKey() + "' is not a parameter of the model");
            }
        }
    }

    /** A forward pass given a store and the manager it lives in. */
    private interface Body {
        double[][] run(SnapshotParameterStore store, NDManager m);
    }

    /** Where a forward pass gets its store. */
    private interface Stores {
        double[][] with(Body body);
    }

    /** The oracle, factored when {@code sub} is a SequentialBlock starting with a {@link Linear} layer. */
    private static FunctionOracle oracle(Block sub, long[] shape, Stores stores) {
        if (shape.length == 1 && sub instanceof SequentialBlock seq && !seq.getChildren().isEmpty()
                && seq.getChildren().get(0).getValue() instanceof Linear) {
            List<Block> children = seq.getChildren().values();
            Block first = children.get(0);
            SequentialBlock rest = new SequentialBlock().addAll(children.subList(1, children.size()));
            return new FactoredFunctionOracle() {
                @Override
                public double[][] affinePrefix(double[][] inputs) {
                    return stores.with((store, m) -> run(first, store, m, inputs, shape));
                }

                @Override
                public double[][] applyAfterPrefix(double[][] prefixed) {
                    return stores.with((store, m) -> run(rest, store, m, prefixed,
                            new long[] {prefixed.length == 0 ? 0 : prefixed[0].length}));
                }
            };
        }
        return inputs -> stores.with((store, m) -> run(sub, store, m, inputs, shape));
    }

    /** {@code sub} on rows that are C-order flattenings of inputs of shape {@code shape} (without the batch axis). */
    private static double[][] run(Block sub, SnapshotParameterStore store, NDManager m, double[][] inputs,
                                  long[] shape) {
        if (inputs.length == 0) {
            return new double[0][];
        }
        int cols = inputs[0].length;
        float[] flat = new float[inputs.length * cols];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].length != cols) {
                throw new IllegalArgumentException("input row " + i + " has " + inputs[i].length + " values, row 0 has "
                        + cols);
            }
            for (int j = 0; j < cols; j++) {
                flat[i * cols + j] = (float) inputs[i][j];
            }
        }
        try (NDManager batch = m.newSubManager()) {
            if (shape.length == 1 && shape[0] < 0) {
                shape = new long[] {cols}; // flat rows
            }
            long[] dims = new long[shape.length + 1];
            dims[0] = inputs.length;
            System.arraycopy(shape, 0, dims, 1, shape.length);
            if (new Shape(dims).size() != flat.length) {
                throw new IllegalArgumentException("rows of " + cols + " values are not inputs of shape "
                        + new Shape(shape));
            }
            NDArray x = batch.create(flat, new Shape(dims));
            if (sub instanceof SequentialBlock s && s.getChildren().isEmpty()) {
                return DjlModels.toRows(x);
            }
            return DjlModels.toRows(sub.forward(store, new NDList(x), false).singletonOrThrow());
        }
    }

    @Override
    public Optional<LossOracle> trainLoss() {
        if (trainData == null || loss == null) {
            return Optional.empty();
        }
        return Optional.of(p -> evaluate(p, taskLoss, trainData, false).loss());
    }

    @Override
    public long trainExamples() {
        return trainData == null || loss == null ? 0 : trainData.populationSize();
    }

    /** LMN: the points and the sub-network share one store (this measurement's), freed at the next one. */
    @Override
    public Optional<ModelMeasurement.SubNetwork> subNetwork(ParameterSnapshot weights) {
        if (lmnChild == null) {
            return Optional.empty();
        }
        if (lmnSuffix == null) {
            DjlModels.Split split = DjlModels.splitAt(block, lmnChild);
            requirePartOfBlock(split.suffix());
            lmnPrefix = split.prefix();
            lmnSuffix = split.suffix();
        }
        close();
        NDManager m = newManager();
        lmnManager = m;
        SnapshotParameterStore store = new SnapshotParameterStore(m, namesById, weights);
        Representations reps = representations(lmnPrefix, store, m, trainData, lmnPoints);
        return Optional.of(new ModelMeasurement.SubNetwork(oracle(lmnSuffix, reps.shape(), body -> body.run(store, m)),
                reps.rows()));
    }

    @Override
    public Metrics metrics(ParameterSnapshot weights) {
        if (loss == null) {
            return Metrics.NONE;
        }
        return Metrics.of(trainData == null ? null : evaluate(weights, taskLoss, trainData, true),
                validationData == null ? null : evaluate(weights, taskLoss, validationData, true))
                .withLossUnit(taskLoss.unit());
    }

    /** Frees the last measurement's LMN store. */
    @Override
    public void close() {
        NDManager m = lmnManager;
        lmnManager = null;
        if (m != null) {
            m.close();
        }
    }
}
