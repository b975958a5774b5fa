package org.grokmetrics.monitor;

import java.util.Objects;
import java.util.Optional;

import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.Failures;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;

/**
 * The one {@link Measurement} of the listeners: weights copied at a measurement point, evaluated through the
 * adapter's {@link View} of the model, which the listener builds once (what kind of model, its parameters,
 * its data, the LMN cut, a private copy to evaluate on) and reuses at every measurement.
 */
public final class ModelMeasurement implements Measurement {

    /**
     * An adapter's view of the model being trained: evaluates any weights without touching the model.
     * Called from one thread at a time (the monitor's), one measurement after the other.
     */
    public interface View {

        /**
         * The train-loss oracle over the train data, empty without train data (or loss).
         *
         * @return the oracle giving the mean train loss per example for given weights
         */
        Optional<LossOracle> trainLoss();

        /**
         * Number of training examples the train loss averages over; 0 without train data.
         *
         * @return the number of examples, {@code >= 0}
         */
        long trainExamples();

        /**
         * The LMN sub-network evaluated at {@code weights}, with its sample points, or empty when the listener
         * does not measure LMN. What it throws fails the LMN estimate alone (with the reason), never the others.
         *
         * @param weights the weights captured at the measurement point
         * @return the sub-network and its points, or empty
         */
        Optional<SubNetwork> subNetwork(ParameterSnapshot weights);

        /**
         * Train and validation loss and accuracy at {@code weights} (NaN where there are no data).
         *
         * @param weights the weights captured at the measurement point
         * @return the metrics at those weights
         */
        Metrics metrics(ParameterSnapshot weights);
    }

    /**
     * A sub-network and the sample points in its input space.
     *
     * @param function the sub-network
     * @param points   rows of sample points
     */
    public record SubNetwork(FunctionOracle function, double[][] points) {

        /**
         * Checks that neither component is null.
         *
         * @param function the sub-network (not null)
         * @param points   rows of sample points (not null)
         */
        public SubNetwork {
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(points, "points");
        }
    }

    private final ParameterSnapshot snapshot;
    private final View view;

    /**
     * A measurement of {@code snapshot} through {@code view}.
     *
     * @param snapshot the weights at the measurement point (already copied out of the model)
     * @param view     the adapter's view of the model
     */
    public ModelMeasurement(ParameterSnapshot snapshot, View view) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.view = Objects.requireNonNull(view, "view");
    }

    @Override
    public EstimationContext context() {
        EstimationContext ctx = EstimationContext.of(snapshot);
        Optional<LossOracle> loss = view.trainLoss();
        if (loss.isPresent()) {
            ctx = ctx.withTrainLoss(loss.get(), view.trainExamples());
        }
        Optional<SubNetwork> sub;
        try {
            sub = view.subNetwork(snapshot);
        } catch (Throwable t) {
            // the sub-network's failure is the LMN estimator's alone: every other estimate goes on
            String reason = "the sub-network could not be prepared: " + Failures.contain(t);
            FunctionOracle failed = in -> {
                throw new IllegalStateException(reason);
            };
            return ctx.withSubNetwork(failed, () -> {
                throw new IllegalStateException(reason);
            });
        }
        if (sub.isPresent()) {
            double[][] points = sub.get().points();
            ctx = ctx.withSubNetwork(sub.get().function(), () -> points);
        }
        return ctx;
    }

    @Override
    public Metrics metrics() {
        return view.metrics(snapshot);
    }
}
