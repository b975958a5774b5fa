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
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

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
 * estimators: coarse-grained complexity (&epsilon; = 1 in the loss's unit, needs train data), spectral
 * entropy, pruning MDL, and the linear mapping number when {@link Builder#lmnLayer(int)} or
 * {@link Builder#lmnAt(String)} is set. The losses are the model's own ({@link Dl4jModels#evaluate(Model,
 * Dl4jData)}: its output layers' loss functions, without regularization), accuracy only for classifiers.
 * One listener measures one model (another is refused and logged once). Steps count optimiser iterations
 * completed. See docs/monitoring.md for the CSV/JSON columns.
 */
public final class ComplexityListener extends BaseTrainingListener implements AutoCloseable {

    private static final long serialVersionUID = 1L;

    private final transient ComplexityMonitor monitor;
    private final transient Dl4jData trainData;
    private final transient Dl4jData validationData;
    private final String lmnPosition;
    private final int lmnPoints;
    private transient Model bound;
    private transient Dl4jModelView view;
    private int epochsSeen;

    private ComplexityListener(Builder b, Dl4jData train, ComplexityMonitor monitor) {
        this.monitor = monitor;
        this.trainData = train;
        this.validationData = b.validationData;
        this.lmnPosition = b.lmnPosition;
        this.lmnPoints = b.lmnPointCount();
        this.bound = b.model;
    }

    /**
     * Starts a listener's configuration.
     *
     * @return a new builder with the shared defaults of {@link ListenerBuilder}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builder: the shared listener options ({@link ListenerBuilder}) plus DL4J data (in-memory sets or
     * iterators, {@link Dl4jData}), a fixed train subset, iterations, the LMN position and the model.
     */
    public static final class Builder extends ListenerBuilder<Builder> {
        private Dl4jData trainData;
        private Dl4jData validationData;
        private String lmnPosition;
        private Model model;

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Training data for the loss oracle, train loss and accuracy, and LMN's sample points.
         *
         * @param data the training set, kept in memory (not null)
         * @return this builder
         */
        public Builder trainData(DataSet data) {
            return trainData(Dl4jData.of(Objects.requireNonNull(data, "trainData")));
        }

        /**
         * Training data with several inputs or outputs (a ComputationGraph's).
         *
         * @param data the training set with several input or output arrays, kept in memory (not null)
         * @return this builder
         */
        public Builder trainData(MultiDataSet data) {
            return trainData(Dl4jData.of(Objects.requireNonNull(data, "trainData")));
        }

        /**
         * Training data streamed from an iterator of its own (not the one given to {@code fit}: it is reset).
         *
         * @param data an iterator over the training set, reset before each evaluation (not null)
         * @return this builder
         */
        public Builder trainData(DataSetIterator data) {
            return trainData(Dl4jData.of(Objects.requireNonNull(data, "trainData")));
        }

        /**
         * Training data streamed from a multi-data-set iterator of its own (it is reset at each evaluation).
         *
         * @param data an iterator over the training set, reset before each evaluation (not null)
         * @return this builder
         */
        public Builder trainData(MultiDataSetIterator data) {
            return trainData(Dl4jData.of(Objects.requireNonNull(data, "trainData")));
        }

        /**
         * Training data.
         *
         * @param data the training set, in memory or streamed (not null)
         * @return this builder
         */
        public Builder trainData(Dl4jData data) {
            trainData = Objects.requireNonNull(data, "trainData");
            return this;
        }

        /**
         * Validation data for validation loss and accuracy.
         *
         * @param data the validation set, kept in memory (not null)
         * @return this builder
         */
        public Builder validationData(DataSet data) {
            return validationData(Dl4jData.of(Objects.requireNonNull(data, "validationData")));
        }

        /**
         * Validation data with several inputs or outputs.
         *
         * @param data the validation set with several input or output arrays, kept in memory (not null)
         * @return this builder
         */
        public Builder validationData(MultiDataSet data) {
            return validationData(Dl4jData.of(Objects.requireNonNull(data, "validationData")));
        }

        /**
         * Validation data streamed from an iterator (reset at each evaluation).
         *
         * @param data an iterator over the validation set, reset before each evaluation (not null)
         * @return this builder
         */
        public Builder validationData(DataSetIterator data) {
            return validationData(Dl4jData.of(Objects.requireNonNull(data, "validationData")));
        }

        /**
         * Validation data streamed from a multi-data-set iterator (reset at each evaluation).
         *
         * @param data an iterator over the validation set, reset before each evaluation (not null)
         * @return this builder
         */
        public Builder validationData(MultiDataSetIterator data) {
            return validationData(Dl4jData.of(Objects.requireNonNull(data, "validationData")));
        }

        /**
         * Validation data.
         *
         * @param data the validation set, in memory or streamed (not null)
         * @return this builder
         */
        public Builder validationData(Dl4jData data) {
            validationData = Objects.requireNonNull(data, "validationData");
            return this;
        }

        /**
         * Measure after every {@code n} optimiser iterations (DL4J's name for {@link #everySteps(int)}).
         *
         * @param n the number of iterations between measurements
         * @return this builder
         */
        public Builder everyIterations(int n) {
            return everySteps(n);
        }

        /**
         * Measure the linear mapping number of the sub-network from layer {@code fromLayer} of a
         * MultiLayerNetwork to the logits, on the representations entering that layer (native shape) of the
         * first {@link #lmnPoints(int)} training examples.
         *
         * @param fromLayer the index of the first layer of the measured sub-network, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if {@code fromLayer} is negative
         */
        public Builder lmnLayer(int fromLayer) {
            if (fromLayer < 0) {
                throw new IllegalArgumentException("lmnLayer must be >= 0, was " + fromLayer);
            }
            lmnPosition = Integer.toString(fromLayer);
            return this;
        }

        /**
         * Measure the linear mapping number from the vertex {@code vertexName} of a ComputationGraph (or the layer
         * index, in decimal, of a MultiLayerNetwork) to the logits; see {@link #lmnLayer(int)}. With
         * {@link #model(Model)} a position where it cannot be computed fails {@link #build()}, listing the valid
         * ones; otherwise the LMN estimate alone is NaN with that message.
         *
         * @param vertexName the vertex name, or a layer index in decimal (not null)
         * @return this builder
         */
        public Builder lmnAt(String vertexName) {
            lmnPosition = Objects.requireNonNull(vertexName, "vertexName");
            return this;
        }

        /**
         * The model this listener will measure: {@link #build()} then checks the LMN position and the model's
         * outputs against it, and the listener refuses (logs once, measures nothing) any other model.
         * Without it the listener binds to the first model it measures.
         *
         * @param m the initialised MultiLayerNetwork or ComputationGraph (not null)
         * @return this builder
         */
        public Builder model(Model m) {
            model = Objects.requireNonNull(m, "model");
            return this;
        }

        /**
         * Checks the options and makes the listener.
         *
         * @return the listener, to add to the model's listeners
         * @throws IllegalStateException    if LMN is asked for without train data, or the model is not initialised
         * @throws IllegalArgumentException if the LMN position is not valid for {@link #model(Model)}
         */
        public ComplexityListener build() {
            if (lmnPosition != null && trainData == null) {
                throw new IllegalStateException("lmnLayer/lmnAt needs trainData for its sample points");
            }
            if (trainSubsetSize().isPresent() && trainData == null) {
                throw new IllegalStateException("trainSubset needs trainData");
            }
            if (model != null) {
                Dl4jModels.Kind.of(model);
                Dl4jModelView.requireInitialised(model);
                Dl4jLoss.of(model);
                if (lmnPosition != null) {
                    Dl4jLmn.at(model, lmnPosition);
                }
            }
            Dl4jData train = trainSubsetSize().isPresent()
                    ? trainData.subset(trainSubsetSize().getAsInt(), trainSubsetSeed()) : trainData;
            return new ComplexityListener(this, train, monitorBuilder(train != null, lmnPosition != null).build());
        }
    }

    /**
     * The records so far (bounded), oldest first.
     *
     * @return the kept records, oldest first
     */
    public List<ComplexityRecord> history() {
        return monitor.history();
    }

    /**
     * The engine, for its schedule and skip count.
     *
     * @return the monitor that schedules and runs the estimators
     */
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
        long step = model instanceof MultiLayerNetwork || model instanceof org.deeplearning4j.nn.graph.ComputationGraph
                ? Dl4jModels.Kind.of(model).iterations(model) : -1;
        if (monitor.dueAfterEpoch(epochsSeen, step)) {
            measure(model, step, epochsSeen);
        }
    }

    /**
     * Measures now, whatever the schedule says (e.g. once before training starts). Never throws.
     *
     * @param model the network to measure
     * @param step  the optimiser steps done so far, recorded as the record's step
     * @param epoch the epoch the record is labelled with
     */
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
            Model b = bound;
            if (b != null && b != model) {
                throw new IllegalStateException("this listener measures " + describe(b) + " and was called with another "
                        + describe(model) + "; one listener measures one model: build one listener per model");
            }
            Dl4jModels.Kind.of(model);
            Dl4jModelView.requireInitialised(model);
            v = new Dl4jModelView(model, trainData, validationData, lmnPosition, lmnPoints);
            bound = model;
            view = v;
        }
        monitor.submit(step, epoch, new ModelMeasurement(v.snapshot(), v));
    }

    private static String describe(Model m) {
        return m.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(m));
    }

    /**
     * Measures the final state if {@link Builder#maxOverhead} postponed the last due measurement, then waits for
     * the last measurement and closes the sinks.
     */
    @Override
    public void close() {
        Model m = bound;
        if (m != null && monitor.finalMeasurementPending()) {
            try {
                measure(m, Dl4jModels.Kind.of(m).iterations(m), epochsSeen);
            } catch (Throwable t) {
                monitor.contain("measure the final state", -1, t);
            }
        }
        monitor.close();
    }
}
