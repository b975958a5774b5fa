package org.grokmetrics.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import org.grokmetrics.api.ParameterSnapshot;

/** a+b mod p with one-hot operands (seeded split) and a small ReLU MLP on DJL, for the adapter tests. */
final class ModularMlp implements AutoCloseable {

    final int p;
    final NDManager manager;
    final ArrayDataset train;
    final ArrayDataset validation;
    final NDArray trainX;
    final NDArray trainY;
    final NDArray validX;
    final NDArray validY;

    ModularMlp(int p, double trainFraction, long splitSeed, int batchSize) {
        this.p = p;
        this.manager = NDManager.newBaseManager();
        int n = p * p;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        SplittableRandom r = new SplittableRandom(splitSeed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int nTrain = (int) Math.round(trainFraction * n);
        NDArray[] tr = make(java.util.Arrays.copyOfRange(idx, 0, nTrain));
        NDArray[] va = make(java.util.Arrays.copyOfRange(idx, nTrain, n));
        trainX = tr[0];
        trainY = tr[1];
        validX = va[0];
        validY = va[1];
        train = new ArrayDataset.Builder().setData(trainX).optLabels(trainY).setSampling(batchSize, true).build();
        validation = new ArrayDataset.Builder().setData(validX).optLabels(validY).setSampling(batchSize, false).build();
    }

    private NDArray[] make(int[] pairs) {
        float[] x = new float[pairs.length * 2 * p];
        float[] y = new float[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            int a = pairs[i] / p;
            int b = pairs[i] % p;
            x[i * 2 * p + a] = 1;
            x[i * 2 * p + p + b] = 1;
            y[i] = (a + b) % p;
        }
        return new NDArray[] {manager.create(x, new Shape(pairs.length, 2L * p)), manager.create(y)};
    }

    /** Linear(hidden) &rarr; ReLU &rarr; Linear(p): children 01Linear, 02LambdaBlock, 03Linear. */
    SequentialBlock block(int hidden) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(p).build());
    }

    /** A model and an initialized trainer with Adam, seeded through DJL's engine seed. */
    Pair<Model, Trainer> trainer(long seed, int hidden, Loss loss, TrainingListener... listeners) {
        Engine.getInstance().setRandomSeed((int) seed);
        Model model = Model.newInstance("mlp");
        model.setBlock(block(hidden));
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
        if (listeners.length > 0) {
            config.addTrainingListeners(listeners);
        }
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(1, 2L * p));
        return new Pair<>(model, trainer);
    }

    LabeledData trainData() {
        return LabeledData.of(trainX, trainY);
    }

    LabeledData validationData() {
        return LabeledData.of(validX, validY);
    }

    static List<float[]> parameters(Model model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> q : model.getBlock().getParameters()) {
            out.add(q.getValue().getArray().toType(DataType.FLOAT32, true).toFloatArray());
        }
        return out;
    }

    static ParameterSnapshot snapshot(Model model) {
        return DjlModels.snapshot(model);
    }

    @Override
    public void close() {
        manager.close();
    }
}
