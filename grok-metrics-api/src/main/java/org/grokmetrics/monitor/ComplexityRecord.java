package org.grokmetrics.monitor;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.grokmetrics.api.ComplexityEstimate;

/**
 * One measurement during training: when, how the model was doing, and every estimator's result.
 * Metrics not measured are NaN.
 *
 * @param step               optimiser steps (iterations) completed
 * @param epoch              epochs completed
 * @param elapsedMillis      wall time since the monitor started, in milliseconds
 * @param trainLoss          mean train loss per example (in {@code lossUnit}), NaN if not measured
 * @param trainAccuracy      train accuracy in [0, 1], NaN if not measured
 * @param validationLoss     mean validation loss per example (in {@code lossUnit}), NaN if not measured
 * @param validationAccuracy validation accuracy in [0, 1], NaN if not measured
 * @param estimates          each estimator's result, in the monitor's estimator order
 * @param lossUnit           the losses' unit ({@link Metrics#lossUnit()}): "nats" for log-losses, "" if unknown
 */
public record ComplexityRecord(long step, int epoch, long elapsedMillis, double trainLoss, double trainAccuracy,
                               double validationLoss, double validationAccuracy, List<ComplexityEstimate> estimates,
                               String lossUnit) {

    /**
     * Copies the estimates; a null loss unit becomes "".
     *
     * @param step               optimiser steps (iterations) completed
     * @param epoch              epochs completed
     * @param elapsedMillis      wall time since the monitor started, in milliseconds
     * @param trainLoss          mean train loss per example, NaN if not measured
     * @param trainAccuracy      train accuracy in [0, 1], NaN if not measured
     * @param validationLoss     mean validation loss per example, NaN if not measured
     * @param validationAccuracy validation accuracy in [0, 1], NaN if not measured
     * @param estimates          each estimator's result, in the monitor's estimator order (not null; copied)
     * @param lossUnit           the losses' unit, null or "" if unknown
     */
    public ComplexityRecord {
        estimates = List.copyOf(Objects.requireNonNull(estimates, "estimates"));
        lossUnit = Objects.requireNonNullElse(lossUnit, "");
    }

    /**
     * A record whose loss unit is unknown ("").
     *
     * @param step               optimiser steps (iterations) completed
     * @param epoch              epochs completed
     * @param elapsedMillis      wall time since the monitor started, in milliseconds
     * @param trainLoss          mean train loss per example, NaN if not measured
     * @param trainAccuracy      train accuracy in [0, 1], NaN if not measured
     * @param validationLoss     mean validation loss per example, NaN if not measured
     * @param validationAccuracy validation accuracy in [0, 1], NaN if not measured
     * @param estimates          each estimator's result, in the monitor's estimator order (not null; copied)
     */
    public ComplexityRecord(long step, int epoch, long elapsedMillis, double trainLoss, double trainAccuracy,
                            double validationLoss, double validationAccuracy, List<ComplexityEstimate> estimates) {
        this(step, epoch, elapsedMillis, trainLoss, trainAccuracy, validationLoss, validationAccuracy, estimates, "");
    }

    /**
     * The estimate of the named estimator, if it ran.
     *
     * @param estimator the estimator's name
     * @return its estimate (perhaps a failed one), empty if no estimator of that name ran
     */
    public Optional<ComplexityEstimate> estimate(String estimator) {
        return estimates.stream().filter(e -> e.estimator().equals(estimator)).findFirst();
    }

    /**
     * The named estimator's value, or NaN.
     *
     * @param estimator the estimator's name
     * @return its value in its unit; NaN if it did not run, failed or is undefined
     */
    public double value(String estimator) {
        return estimate(estimator).map(ComplexityEstimate::value).orElse(Double.NaN);
    }
}
