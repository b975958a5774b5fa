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

    public ComplexityRecord {
        estimates = List.copyOf(Objects.requireNonNull(estimates, "estimates"));
        lossUnit = Objects.requireNonNullElse(lossUnit, "");
    }

    /** A record whose loss unit is unknown (""). */
    public ComplexityRecord(long step, int epoch, long elapsedMillis, double trainLoss, double trainAccuracy,
                            double validationLoss, double validationAccuracy, List<ComplexityEstimate> estimates) {
        this(step, epoch, elapsedMillis, trainLoss, trainAccuracy, validationLoss, validationAccuracy, estimates, "");
    }

    /** The estimate of the named estimator, if it ran. */
    public Optional<ComplexityEstimate> estimate(String estimator) {
        return estimates.stream().filter(e -> e.estimator().equals(estimator)).findFirst();
    }

    /** The named estimator's value, or NaN. */
    public double value(String estimator) {
        return estimate(estimator).map(ComplexityEstimate::value).orElse(Double.NaN);
    }
}
