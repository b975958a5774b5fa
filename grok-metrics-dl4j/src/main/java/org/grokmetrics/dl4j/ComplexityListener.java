package org.grokmetrics.dl4j;

import java.util.List;
import java.util.Objects;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.grokmetrics.listener.ListenerBuilder;
import org.grokmetrics.monitor.ComplexityMonitor;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.monitor.ModelMeasurement;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
 * failures become NaN with a reason (logged once per kind); a failing sink (full disk, unwritable path) is
 * logged and switched off; nothing is ever thrown into {@code fit}, errors included: linkage errors, stack
 * overflow and out of memory are contained, as {@link org.grokmetrics.api.Failures} says. Default
 * estimators: coarse-grained complexity (&epsilon; = 1, needs train data), spectral entropy, pruning MDL,
 * and the linear mapping number when {@link Builder#lmnLayer(int)} is set (MultiLayerNetwork only). Steps
 * count optimiser iterations completed. See docs/monitoring.md for the CSV/JSON columns.
 */
public final class ComplexityListener extends BaseTrainingListener implements AutoCloseable {

    private static final long serialVersionUID = 1L;

    private final transient ComplexityMonitor monitor;
    private final transient DataSet trainData;
    private final transient DataSet validationData;
    private final int lmnLayer;
    private final transient INDArray lmnFeatures;
    private transient Dl4jModelView view;
    private int epochsSeen;

    private ComplexityListener(Builder b, ComplexityMonitor monitor) {
        this.monitor = monitor;
        this.trainData = b.trainData;
        this.validationData = b.validationData;
        this.lmnLayer = b.lmnLayer;
        if (b.lmnLayer >= 0 && b.trainData != null) {
            long n = Math.min(b.lmnPointCount(), b.trainData.numExamples());
            lmnFeatures = b.trainData.getFeatures().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
        } else {
            lmnFeatures = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder: the shared listener options ({@link ListenerBuilder}) plus DL4J data, iterations and LMN layer. */
    public static final class Builder extends ListenerBuilder<Builder> {
        private DataSet trainData;
        private DataSet validationData;
        private int lmnLayer = -1;

        @Override
        protected Builder self() {
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
            return everySteps(n);
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

        public ComplexityListener build() {
            if (lmnLayer >= 0 && trainData == null) {
                throw new IllegalStateException("lmnLayer needs trainData for its sample points");
            }
            return new ComplexityListener(this, monitorBuilder(trainData != null, lmnLayer >= 0).build());
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
            long step = model instanceof MultiLayerNetwork || model instanceof org.deeplearning4j.nn.graph.ComputationGraph
                    ? Dl4jModels.Kind.of(model).iterations(model) : -1;
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
        } catch (Throwable t) {
            monitor.contain("capture the model", step, t);
        } finally {
            rng.setStates(root, node);
        }
    }

    private void capture(Model model, long step, int epoch) {
        Dl4jModelView v = view;
        if (v == null || !v.isOf(model)) {
            view = null;
            v = new Dl4jModelView(model, trainData, validationData, lmnLayer, lmnFeatures);
            view = v;
        }
        monitor.submit(step, epoch, new ModelMeasurement(v.snapshot(), v));
    }

    /** Waits for the last measurement and closes the sinks. */
    @Override
    public void close() {
        monitor.close();
    }
}
