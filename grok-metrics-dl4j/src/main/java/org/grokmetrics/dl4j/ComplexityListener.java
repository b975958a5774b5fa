package org.grokmetrics.dl4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.lmn.LinearMappingNumber;
import org.grokmetrics.mdl.PruningMdlEstimator;
import org.grokmetrics.monitor.ComplexityMonitor;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.monitor.CsvSink;
import org.grokmetrics.monitor.JsonLinesSink;
import org.grokmetrics.monitor.LogSink;
import org.grokmetrics.monitor.Measurement;
import org.grokmetrics.monitor.Metrics;
import org.grokmetrics.monitor.RecordSink;
import org.grokmetrics.monitor.Schedule;
import org.grokmetrics.spectral.SpectralEntropyEstimator;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DL4J {@link org.deeplearning4j.optimize.api.TrainingListener} that measures complexity while a
 * {@link MultiLayerNetwork} or {@link org.deeplearning4j.nn.graph.ComputationGraph} trains:
 *
 * <pre>{@code
 * ComplexityListener listener = ComplexityListener.builder()
 *         .trainData(train).validationData(test)
 *         .everyIterations(100).csv(Path.of("run/metrics.csv")).log()
 *         .build();
 * net.setListeners(listener);
 * net.fit(trainIterator, epochs);
 * listener.close();                       // waits for the last measurement, closes files
 * }</pre>
 *
 * <p>At each due point it copies the weights and evaluates everything on a private clone of the model,
 * and restores the training thread's ND4J random state afterwards, so training is never changed:
 * attaching it leaves the final parameters bit-identical, with weight noise or dropout too. Estimator
 * failures become NaN with a reason (logged once); a failing sink (full disk, unwritable path) is logged
 * and switched off; nothing is ever thrown into {@code fit}. Default estimators: coarse-grained
 * complexity (&epsilon; = 1, needs train data), spectral entropy, pruning MDL, and the linear mapping
 * number when {@link Builder#lmnLayer(int)} is set (MultiLayerNetwork only). Steps count optimiser
 * iterations completed. See docs/monitoring.md for the CSV/JSON columns.
 */
public final class ComplexityListener extends BaseTrainingListener implements AutoCloseable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ComplexityListener.class);

    private final transient ComplexityMonitor monitor;
    private final transient DataSet trainData;
    private final transient DataSet validationData;
    private final int lmnLayer;
    private final transient INDArray lmnFeatures;
    private transient Model evaluationClone;
    private int epochsSeen;

    private ComplexityListener(Builder b, ComplexityMonitor monitor) {
        this.monitor = monitor;
        this.trainData = b.trainData;
        this.validationData = b.validationData;
        this.lmnLayer = b.lmnLayer;
        if (b.lmnLayer >= 0 && b.trainData != null) {
            long n = Math.min(b.lmnPoints, b.trainData.numExamples());
            lmnFeatures = b.trainData.getFeatures().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
        } else {
            lmnFeatures = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder. */
    public static final class Builder {
        private final List<ComplexityEstimator> estimators = new ArrayList<>();
        private final List<RecordSink> sinks = new ArrayList<>();
        private boolean defaults = true;
        private DataSet trainData;
        private DataSet validationData;
        private Schedule schedule = Schedule.everySteps(100);
        private boolean async;
        private int historySize = 10_000;
        private int lmnLayer = -1;
        private int lmnPoints = 256;
        private double epsilon = 1.0;

        /** Use these estimators instead of the defaults. */
        public Builder estimators(List<? extends ComplexityEstimator> list) {
            defaults = false;
            estimators.addAll(list);
            return this;
        }

        /** Add an estimator to the defaults (or to the list given). */
        public Builder estimator(ComplexityEstimator e) {
            estimators.add(Objects.requireNonNull(e, "estimator"));
            return this;
        }

        /** Training data for the loss oracle, train loss and accuracy (all examples in one DataSet). */
        public Builder trainData(DataSet data) {
            trainData = Objects.requireNonNull(data, "trainData");
            return this;
        }

        /** Validation data for validation loss and accuracy. */
        public Builder validationData(DataSet data) {
            validationData = Objects.requireNonNull(data, "validationData");
            return this;
        }

        public Builder everyIterations(int n) {
            schedule = Schedule.everySteps(n);
            return this;
        }

        public Builder everyEpochs(int n) {
            schedule = Schedule.everyEpochs(n);
            return this;
        }

        public Builder every(Duration d) {
            schedule = Schedule.every(d);
            return this;
        }

        /** Any schedule, e.g. {@link Schedule#logSpaced(int)} for log-axis plots. */
        public Builder schedule(Schedule s) {
            schedule = Objects.requireNonNull(s, "schedule");
            return this;
        }

        /** Coarse-grained complexity with this &epsilon; instead of 1 in the defaults. */
        public Builder epsilon(double eps) {
            epsilon = eps;
            return this;
        }

        public Builder csv(Path file) {
            sinks.add(CsvSink.to(file));
            return this;
        }

        public Builder jsonLines(Path file) {
            sinks.add(JsonLinesSink.to(file));
            return this;
        }

        /** One SLF4J INFO line per measurement. */
        public Builder log() {
            sinks.add(new LogSink());
            return this;
        }

        public Builder sink(RecordSink s) {
            sinks.add(Objects.requireNonNull(s, "sink"));
            return this;
        }

        /** Bound on {@link ComplexityListener#history()}. */
        public Builder historySize(int n) {
            historySize = n;
            return this;
        }

        /** Evaluate on a background thread on a copy of the weights (skipping while one is running). */
        public Builder async(boolean on) {
            async = on;
            return this;
        }

        /**
         * Measure the linear mapping number of the sub-network from layer {@code fromLayer} to the logits,
         * on the representations entering that layer of the first {@code points} training examples.
         */
        public Builder lmnLayer(int fromLayer) {
            if (fromLayer < 0) {
                throw new IllegalArgumentException("lmnLayer must be >= 0, was " + fromLayer);
            }
            lmnLayer = fromLayer;
            return this;
        }

        /** Sample points for LMN (default 256). */
        public Builder lmnPoints(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("lmnPoints must be >= 2, was " + n);
            }
            lmnPoints = n;
            return this;
        }

        public ComplexityListener build() {
            List<ComplexityEstimator> list = new ArrayList<>();
            if (defaults) {
                if (trainData != null) {
                    list.add(CoarseGrainCompressor.withEpsilon(epsilon));
                }
                list.add(SpectralEntropyEstimator.create());
                list.add(PruningMdlEstimator.create());
                if (lmnLayer >= 0) {
                    list.add(LinearMappingNumber.withOptions(LinearMappingNumber.Options.defaults()
                            .withSampleCount(0)));
                }
            }
            list.addAll(estimators);
            if (lmnLayer >= 0 && trainData == null) {
                throw new IllegalStateException("lmnLayer needs trainData for its sample points");
            }
            ComplexityMonitor.Builder mb = ComplexityMonitor.builder().estimators(list).schedule(schedule).async(async)
                    .historyCapacity(historySize);
            sinks.forEach(mb::sink);
            return new ComplexityListener(this, mb.build());
        }
    }

    /** The records so far (bounded), oldest first. */
    public List<ComplexityRecord> history() {
        return monitor.history();
    }

    /** The engine, for its schedule and skip count. */
    public ComplexityMonitor monitor() {
        return monitor;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long step = iteration + 1L;
        if (monitor.dueAfterStep(step)) {
            measure(model, step, epoch);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        epochsSeen++;
        if (monitor.dueAfterEpoch(epochsSeen)) {
            long step = model instanceof MultiLayerNetwork m ? m.getIterationCount()
                    : ((org.deeplearning4j.nn.graph.ComputationGraph) model).getIterationCount();
            measure(model, step, epochsSeen);
        }
    }

    /** Measures now, whatever the schedule says (e.g. once before training starts). Never throws. */
    public void measureNow(Model model, long step, int epoch) {
        measure(model, step, epoch);
    }

    private void measure(Model model, long step, int epoch) {
        // ND4J's random generator is per thread: whatever runs here on the training thread (cloning, inference
        // in synchronous mode) must leave its state exactly as training left it, or weight noise and dropout
        // would draw different numbers than without the listener
        org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandom();
        long root = rng.rootState();
        long node = rng.nodeState();
        try {
            capture(model, step, epoch);
        } finally {
            rng.setStates(root, node);
        }
    }

    private void capture(Model model, long step, int epoch) {
        final ParameterSnapshot snapshot;
        final Model clone;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            snapshot = Dl4jModels.snapshot(model);
            if (evaluationClone == null) {
                evaluationClone = Dl4jModels.cloneOf(model);
            }
            clone = evaluationClone;
        } catch (RuntimeException e) {
            LOG.error("grok-metrics: could not capture the model at step {}: {}", step, e.toString());
            return;
        }
        monitor.submit(step, epoch, new Measurement() {
            @Override
            public EstimationContext context() {
                EstimationContext ctx = EstimationContext.of(snapshot);
                if (trainData != null) {
                    ctx = ctx.withTrainLoss(p -> {
                        Dl4jModels.load(clone, p);
                        return Dl4jModels.lossAndAccuracy(clone, trainData)[0];
                    }, trainData.numExamples());
                }
                if (lmnLayer >= 0 && clone instanceof MultiLayerNetwork net) {
                    Dl4jModels.load(net, snapshot);
                    double[][] points = Dl4jModels.representations(net, lmnFeatures, lmnLayer);
                    ctx = ctx.withSubNetwork(loaded(net, Dl4jModels.subNetworkOf(net, lmnLayer)), () -> points);
                }
                return ctx;
            }

            /** The sub-network oracle always sees this measurement's weights (the compressor may have moved them). */
            private org.grokmetrics.api.FunctionOracle loaded(MultiLayerNetwork net, org.grokmetrics.api.FunctionOracle f) {
                if (f instanceof org.grokmetrics.api.FactoredFunctionOracle ff) {
                    return new org.grokmetrics.api.FactoredFunctionOracle() {
                        @Override
                        public double[][] affinePrefix(double[][] in) {
                            Dl4jModels.load(net, snapshot);
                            return ff.affinePrefix(in);
                        }

                        @Override
                        public double[][] applyAfterPrefix(double[][] z) {
                            Dl4jModels.load(net, snapshot);
                            return ff.applyAfterPrefix(z);
                        }
                    };
                }
                return in -> {
                    Dl4jModels.load(net, snapshot);
                    return f.apply(in);
                };
            }

            @Override
            public Metrics metrics() {
                Dl4jModels.load(clone, snapshot);
                double[] tr = trainData == null ? new double[] {Double.NaN, Double.NaN}
                        : Dl4jModels.lossAndAccuracy(clone, trainData);
                double[] va = validationData == null ? new double[] {Double.NaN, Double.NaN}
                        : Dl4jModels.lossAndAccuracy(clone, validationData);
                return new Metrics(tr[0], tr[1], va[0], va[1]);
            }
        });
    }

    /** Waits for the last measurement and closes the sinks. */
    @Override
    public void close() {
        monitor.close();
    }
}
