package org.grokmetrics.djl;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * Tiny versions of the DJL networks users train (issue 12), with seeded data: Conv2d + BatchNorm, an LSTM with a
 * per-step classifier, a ParallelBlock with two inputs, a small residual net, and an MLP regression with L2 loss.
 */
enum DjlArchitectures {

    CONV_BN(new Shape[] {new Shape(1, 1, 8, 8)}, true) {
        @Override
        Block block() {
            return new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(3).build());
        }

        @Override
        NDList[] data(NDManager m, int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            return new NDList[] {new NDList(uniform(m, r, n, 1, 8, 8)), new NDList(classes(m, r, n, 3))};
        }
    },
    LSTM_SEQUENCE(new Shape[] {new Shape(1, 5, 3)}, true) {
        @Override
        Block block() {
            return new SequentialBlock()
                    .add(LSTM.builder().setStateSize(6).setNumLayers(1).optBatchFirst(true).optReturnState(false).build())
                    .add(Linear.builder().setUnits(2).build());
        }

        @Override
        NDList[] data(NDManager m, int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            NDArray x = uniform(m, r, n, 5, 3);
            NDArray g = x.get(":, :, 0").gt(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray y = NDArrays.stack(new NDList(g.neg().add(1), g), 2); // one-hot [N, T, 2]
            return new NDList[] {new NDList(x), new NDList(y)};
        }

        /** Per-step softmax cross-entropy over the last axis with one-hot labels (DJL's sparse labels need 2-D). */
        @Override
        Loss loss() {
            return new ai.djl.training.loss.SoftmaxCrossEntropyLoss("SoftmaxCrossEntropyLoss", 1, -1, false, true);
        }
    },
    PARALLEL_TWO_INPUTS(new Shape[] {new Shape(1, 4), new Shape(1, 3)}, true) {
        @Override
        Block block() {
            Block a = new SequentialBlock().add(new LambdaBlock(l -> new NDList(l.get(0))))
                    .add(Linear.builder().setUnits(5).build());
            Block b = new SequentialBlock().add(new LambdaBlock(l -> new NDList(l.get(1))))
                    .add(Linear.builder().setUnits(5).build());
            return new SequentialBlock()
                    .add(new ParallelBlock(lists -> new NDList(NDArrays.concat(
                            new NDList(lists.get(0).singletonOrThrow(), lists.get(1).singletonOrThrow()), 1)),
                            List.of(a, b)))
                    .add(Activation::tanh)
                    .add(Linear.builder().setUnits(3).build());
        }

        @Override
        NDList[] data(NDManager m, int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            return new NDList[] {new NDList(uniform(m, r, n, 4), uniform(m, r, n, 3)), new NDList(classes(m, r, n, 3))};
        }
    },
    RESIDUAL(new Shape[] {new Shape(1, 6)}, true) {
        @Override
        Block block() {
            Block branch = new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Activation::relu)
                    .add(Linear.builder().setUnits(8).build());
            return new SequentialBlock()
                    .add(Linear.builder().setUnits(8).build())
                    .add(new ParallelBlock(lists -> new NDList(lists.get(0).singletonOrThrow()
                            .add(lists.get(1).singletonOrThrow())), List.of(branch, Blocks.identityBlock())))
                    .add(Activation::relu)
                    .add(new SequentialBlock().add(Linear.builder().setUnits(6).build()).add(Activation::tanh))
                    .add(Linear.builder().setUnits(3).build());
        }

        @Override
        NDList[] data(NDManager m, int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            return new NDList[] {new NDList(uniform(m, r, n, 6)), new NDList(classes(m, r, n, 3))};
        }
    },
    REGRESSION_L2(new Shape[] {new Shape(1, 3)}, false) {
        @Override
        Block block() {
            return new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Activation::tanh)
                    .add(Linear.builder().setUnits(2).build());
        }

        @Override
        NDList[] data(NDManager m, int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            NDArray x = uniform(m, r, n, 3);
            return new NDList[] {new NDList(x), new NDList(x.get(":, 0:2").sin())};
        }

        @Override
        Loss loss() {
            return Loss.l2Loss();
        }
    };

    final Shape[] inputShapes;
    final boolean classifier;

    DjlArchitectures(Shape[] inputShapes, boolean classifier) {
        this.inputShapes = inputShapes;
        this.classifier = classifier;
    }

    abstract Block block();

    /** {features, labels} of n examples. */
    abstract NDList[] data(NDManager m, int n, long seed);

    Loss loss() {
        return Loss.softmaxCrossEntropyLoss();
    }

    static NDArray uniform(NDManager m, SplittableRandom r, long... shape) {
        Shape s = new Shape(shape);
        float[] v = new float[(int) s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return m.create(v, s);
    }

    static NDArray classes(NDManager m, SplittableRandom r, int n, int k) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(k);
        }
        return m.create(v);
    }

    /** A model and an initialised trainer (Adam, seeded engine). */
    ai.djl.util.Pair<Model, Trainer> trainer(long seed, Supplier<Loss> loss, TrainingListener... listeners) {
        Engine.getInstance().setRandomSeed((int) seed);
        Model model = Model.newInstance(name());
        model.setBlock(block());
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss.get())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
        if (listeners.length > 0) {
            config.addTrainingListeners(listeners);
        }
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(inputShapes);
        return new ai.djl.util.Pair<>(model, trainer);
    }

    static ArrayDataset dataset(NDList[] d, int batch) {
        return new ArrayDataset.Builder().setData(d[0].toArray(new NDArray[0])).optLabels(d[1].toArray(new NDArray[0]))
                .setSampling(batch, false).build();
    }
}
