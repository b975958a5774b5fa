package org.grokmetrics.djl;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

import ai.djl.Model;
import ai.djl.metric.Dimension;
import ai.djl.metric.Unit;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.AbstractCompositeLoss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.TensorValue;
import org.grokmetrics.listener.ListenerBuilder;
import org.grokmetrics.monitor.ComplexityMonitor;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.monitor.ModelMeasurement;

/**
 * A DJL {@link TrainingListener} that measures complexity while a model trains:
 *
 * <pre>{@code
 * ComplexityTrainingListener listener = ComplexityTrainingListener.builder()
 *         .trainData(LabeledData.of(trainSet)).validationData(LabeledData.of(testSet))
 *         .everyBatches(100).csv(Path.of("run/metrics.csv")).log()
 *         .build();
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss).addTrainingListeners(listener);
 * ... EasyTrain.fit(trainer, epochs, trainSet, null);
 * listener.close();                       // waits for the last measurement, closes files
 * }</pre>
 *
 * <p>It counts one step per training batch and measures step s when the next batch, the epoch's end
 * or the training's end arrives; training is never changed and nothing is thrown into it; outputs are
 * the shared CSV / JSON-lines columns, a bounded {@link #history()} and the trainer's
 * {@link ai.djl.metric.Metrics}. The package documentation gives the details of each.
 *
 * <p>Default estimators: coarse-grained complexity (&epsilon; = 1; needs train data), spectral entropy,
 * pruning MDL, and the linear mapping number when {@link Builder#lmnAt(String)} is set. The train loss is
 * the trainer's loss without its {@link SpectralEntropyLoss} components unless {@link Builder#loss(Loss)}
 * says otherwise. One listener per trainer; single-device training.
 */
public final class ComplexityTrainingListener implements TrainingListener, AutoCloseable {

    private final ComplexityMonitor monitor;
    private final LabeledData trainData;
    private final LabeledData validationData;
    private final Loss explicitLoss;
    private final String lmnChild;
    private final int lmnPoints;
    private final ConcurrentLinkedQueue<ComplexityRecord> forTrainerMetrics;
    private long steps;
    private long lastMeasuredStep = -1;
    private int epochs;
    private volatile Loss trainerLoss;
    private DjlModelView view;
    private Trainer boundTrainer;
    private Block boundBlock;

    private ComplexityTrainingListener(Builder b, ComplexityMonitor monitor, ConcurrentLinkedQueue<ComplexityRecord> done) {
        this.monitor = monitor;
        this.forTrainerMetrics = done;
        this.trainData = b.trainData;
        this.boundBlock = b.model == null ? null : b.model.getBlock();
        this.validationData = b.validationData;
        this.explicitLoss = b.loss;
        this.lmnChild = b.lmnChild;
        this.lmnPoints = b.lmnPointCount();
    }

    /**
     * Starts a listener's configuration.
     *
     * @return a new builder with the shared defaults of {@link ListenerBuilder}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder: the shared listener options ({@link ListenerBuilder}) plus DJL data, loss, batches and LMN child. */
    public static final class Builder extends ListenerBuilder<Builder> {
        private LabeledData trainData;
        private LabeledData validationData;
        private Loss loss;
        private String lmnChild;
        private Model model;

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Training data for the loss oracle, train loss and accuracy.
         *
         * @param data the training examples (not null)
         * @return this builder
         */
        public Builder trainData(LabeledData data) {
            trainData = Objects.requireNonNull(data, "trainData");
            return this;
        }

        /**
         * Validation data for validation loss and accuracy.
         *
         * @param data the validation examples (not null)
         * @return this builder
         */
        public Builder validationData(LabeledData data) {
            validationData = Objects.requireNonNull(data, "validationData");
            return this;
        }

        /**
         * The loss the oracles evaluate (default: the trainer's, without spectral-entropy terms).
         *
         * @param l the loss (not null)
         * @return this builder
         */
        public Builder loss(Loss l) {
            loss = Objects.requireNonNull(l, "loss");
            return this;
        }

        /**
         * The model this listener will measure: {@link #build()} then checks the LMN position against its block
         * (listing the valid ones), and the listener refuses (logs once, measures nothing) any other model's
         * trainer. Without it the listener binds to the first trainer it sees.
         *
         * @param m the model, with its block set (not null)
         * @return this builder
         * @throws IllegalArgumentException if the model has no block yet
         */
        public Builder model(Model m) {
            model = Objects.requireNonNull(m, "model");
            if (m.getBlock() == null) {
                throw new IllegalArgumentException("model '" + m.getName() + "' has no block yet: set it first");
            }
            return this;
        }

        /**
         * Measure after every {@code n} training batches (= optimiser steps).
         *
         * @param n the number of training batches between measurements
         * @return this builder
         */
        public Builder everyBatches(int n) {
            return everySteps(n);
        }

        /**
         * Measure the linear mapping number of the sub-network from the child at {@code childPath} to the output,
         * on the representations entering that child (native shape: [N, C, H, W] for a convolution) of the first
         * {@link #lmnPoints(int)} training examples. The path names children of the model's
         * {@link ai.djl.nn.SequentialBlock}, nested ones joined by {@code /}: {@code 03Linear},
         * {@code 02SequentialBlock/01Conv2d} ({@link DjlModels#lmnPositions}). With {@link #model(Model)} a
         * position where LMN cannot be computed fails {@link #build()}, listing the valid ones; otherwise the LMN
         * estimate alone is NaN with that message.
         *
         * @param childName the child's path, nested names joined by {@code /} (not null)
         * @return this builder
         */
        public Builder lmnAt(String childName) {
            lmnChild = Objects.requireNonNull(childName, "childName");
            return this;
        }

        /**
         * Checks the options and makes the listener.
         *
         * @return the listener, to add to the trainer's configuration
         * @throws IllegalStateException    if LMN or a train subset is asked for without train data
         * @throws IllegalArgumentException if the LMN position is not valid for {@link #model(Model)}
         */
        public ComplexityTrainingListener build() {
            if (lmnChild != null && trainData == null) {
                throw new IllegalStateException("lmnAt needs trainData for its sample points");
            }
            if (trainSubsetSize().isPresent() && trainData == null) {
                throw new IllegalStateException("trainSubset needs trainData");
            }
            if (model != null && lmnChild != null) {
                DjlModels.splitAt(model.getBlock(), lmnChild);
            }
            if (trainSubsetSize().isPresent()) {
                // a RandomAccessDataset too big to copy whole: LabeledData.sample(dataset, k, seed) copies the sample only
                trainData = trainData.sample(trainSubsetSize().getAsInt(), trainSubsetSeed());
            }
            ComplexityMonitor.Builder mb = monitorBuilder(trainData != null, lmnChild != null);
            // finished records wait here until the training thread adds them to the trainer's Metrics
            ConcurrentLinkedQueue<ComplexityRecord> done = new ConcurrentLinkedQueue<>();
            mb.sink(done::add);
            return new ComplexityTrainingListener(this, mb.build(), done);
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

    /**
     * Optimiser steps counted so far (training batches seen).
     *
     * @return the training batches of the bound trainer seen so far, {@code >= 0}
     */
    public long steps() {
        return steps;
    }

    /**
     * Whether the callback comes from the trainer this listener measures: the first one it sees (of the builder's
     * model, if given). Another trainer is refused, logged once, and its batches are not counted.
     */
    private boolean isBound(Trainer trainer) {
        if (boundTrainer == trainer) {
            return true;
        }
        if (boundTrainer == null && (boundBlock == null || trainer.getModel().getBlock() == boundBlock)) {
            boundTrainer = trainer;
            boundBlock = trainer.getModel().getBlock();
            return true;
        }
        monitor.contain("measure a second trainer", steps, new IllegalStateException("this listener measures the "
                + "trainer of model '" + (boundTrainer == null ? "given to the builder" : boundTrainer.getModel().getName())
                + "' and was called by another trainer (model '" + trainer.getModel().getName()
                + "'); one listener measures one trainer: build one listener per trainer"));
        return false;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        try {
            if (!isBound(trainer)) {
                return;
            }
            trainerLoss = taskLoss(trainer.getLoss());
        } catch (Throwable t) {
            monitor.contain("read the trainer's loss", steps, t);
        }
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (!bound(trainer)) {
            return;
        }
        // called before trainer.step(): the weights are those after `steps` steps
        measureIfDue(trainer, false);
        steps++;
    }

    /** {@link #isBound} that never throws (a failure counts as not bound). */
    private boolean bound(Trainer trainer) {
        try {
            return isBound(trainer);
        } catch (Throwable t) {
            monitor.contain("identify the trainer", steps, t);
            return false;
        }
    }

    @Override
    public void onEpoch(Trainer trainer) {
        if (!bound(trainer)) {
            return;
        }
        epochs++;
        measureIfDue(trainer, monitor.dueAfterEpoch(epochs, steps));
    }

    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        if (!bound(trainer)) {
            return;
        }
        drain(trainer);
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (!bound(trainer)) {
            return;
        }
        // the final state, if maxOverhead postponed the last due measurement
        measureIfDue(trainer, monitor.finalMeasurementPending());
        monitor.awaitIdle(Duration.ofMinutes(10));
        drain(trainer);
    }

    private void measureIfDue(Trainer trainer, boolean epochDue) {
        try {
            if (trainerLoss == null) {
                trainerLoss = taskLoss(trainer.getLoss());
            }
            if (steps > lastMeasuredStep && (epochDue || monitor.dueAfterStep(steps))) {
                measure(trainer.getModel(), steps, epochs);
            }
            drain(trainer);
        } catch (Throwable t) {
            monitor.contain("measure", steps, t);
        }
    }

    /**
     * Measures the trainer's model now at the steps and epochs counted so far, whatever the schedule says
     * (e.g. step 0, before training starts). Never throws.
     *
     * @param trainer the trainer whose model is measured; another trainer than the bound one is ignored
     */
    public void measureNow(Trainer trainer) {
        if (!bound(trainer)) {
            return;
        }
        try {
            if (trainerLoss == null) {
                trainerLoss = taskLoss(trainer.getLoss());
            }
            measure(trainer.getModel(), steps, epochs);
            drain(trainer);
        } catch (Throwable t) {
            monitor.contain("measure", steps, t);
        }
    }

    /**
     * Measures a model now, recorded at the given step and epoch. Never throws.
     *
     * @param model the model to measure
     * @param step  the optimiser steps done so far, recorded as the record's step
     * @param epoch the epoch the record is labelled with
     */
    public void measureNow(Model model, long step, int epoch) {
        try {
            measure(model, step, epoch);
        } catch (Throwable t) {
            monitor.contain("measure", step, t);
        }
    }

    private void measure(Model model, long step, int epoch) {
        lastMeasuredStep = step;
        Block block = DjlModels.blockOf(model);
        if (boundBlock != null && block != boundBlock) {
            throw new IllegalStateException("this listener measures another model's block; one listener measures one "
                    + "model: build one listener per model");
        }
        boundBlock = block;
        Loss loss = explicitLoss != null ? explicitLoss : trainerLoss;
        DjlModelView v = view;
        if (v == null || v.block() != block || v.loss() != loss) {
            // a replaced view is not closed here: in asynchronous mode its last measurement may still run
            view = null;
            v = new DjlModelView(block, loss, trainData, validationData, lmnChild, lmnPoints);
            view = v;
        }
        monitor.submit(step, epoch, new ModelMeasurement(v.snapshot(), v));
    }

    /** The task loss: spectral-entropy terms removed from a composite loss. */
    static Loss taskLoss(Loss loss) {
        if (!(loss instanceof AbstractCompositeLoss composite)) {
            return loss instanceof SpectralEntropyLoss ? null : loss;
        }
        List<Loss> kept = composite.getComponents().stream().filter(l -> !(l instanceof SpectralEntropyLoss)).toList();
        if (kept.size() == composite.getComponents().size()) {
            return loss;
        }
        if (kept.size() == 1) {
            return kept.get(0);
        }
        SimpleCompositeLoss rest = new SimpleCompositeLoss(loss.getName() + "-task");
        kept.forEach(rest::addLoss);
        return rest;
    }

    /** Adds finished records to the trainer's metrics, on the training thread. Never throws. */
    private void drain(Trainer trainer) {
        try {
            ai.djl.metric.Metrics metrics = trainer.getMetrics();
            ComplexityRecord r;
            while ((r = forTrainerMetrics.poll()) != null) {
                if (metrics != null) {
                    addTo(metrics, r);
                }
            }
        } catch (Throwable t) {
            monitor.contain("add the records to the trainer's metrics", steps, t);
        }
    }

    private static void addTo(ai.djl.metric.Metrics metrics, ComplexityRecord r) {
        Dimension step = new Dimension("step", Long.toString(r.step()));
        for (ComplexityEstimate e : r.estimates()) {
            String base = "grok." + e.estimator();
            metrics.addMetric(base, e.value(), Unit.NONE, step);
            e.details().forEach((k, v) -> metrics.addMetric(base + "." + k, v, Unit.NONE, step));
            for (TensorValue t : e.perTensor()) {
                metrics.addMetric(base + "." + t.tensor(), t.value(), Unit.NONE, step, new Dimension("layer", t.tensor()));
            }
        }
    }

    /** Waits for the last measurement and closes the sinks. */
    @Override
    public void close() {
        monitor.close();
        DjlModelView v = view;
        view = null;
        if (v != null) {
            try {
                v.close();
            } catch (Throwable t) {
                monitor.contain("free the evaluation arrays", -1, t);
            }
        }
    }
}
