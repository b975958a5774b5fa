package org.grokmetrics.monitor;

import java.util.Objects;

/**
 * Loss and accuracy of the model at a measurement, as computed by an adapter (NaN where unknown or, for
 * accuracy, undefined: a model that is not a classifier; NaN outputs make both NaN).
 *
 * @param trainLoss          mean train loss per example, in {@code lossUnit}
 * @param trainAccuracy      train accuracy in [0, 1]
 * @param validationLoss     mean validation loss per example, in {@code lossUnit}
 * @param validationAccuracy validation accuracy in [0, 1]
 * @param lossUnit           the losses' unit: {@code "nats"} for log-losses (cross-entropy), otherwise the loss
 *                           function's name (its own units, e.g. {@code LossMSE}); "" when unknown
 */
public record Metrics(double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy,
                      String lossUnit) {

    /** Nothing measured. */
    public static final Metrics NONE = new Metrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /**
     * Checks the loss unit.
     *
     * @param trainLoss          mean train loss per example, NaN if unknown
     * @param trainAccuracy      train accuracy in [0, 1], NaN if unknown or undefined
     * @param validationLoss     mean validation loss per example, NaN if unknown
     * @param validationAccuracy validation accuracy in [0, 1], NaN if unknown or undefined
     * @param lossUnit           the losses' unit, "" when unknown (not null)
     */
    public Metrics {
        Objects.requireNonNull(lossUnit, "lossUnit (\"\" when unknown)");
    }

    /**
     * Metrics whose loss unit is unknown ("").
     *
     * @param trainLoss          mean train loss per example, NaN if unknown
     * @param trainAccuracy      train accuracy in [0, 1], NaN if unknown or undefined
     * @param validationLoss     mean validation loss per example, NaN if unknown
     * @param validationAccuracy validation accuracy in [0, 1], NaN if unknown or undefined
     */
    public Metrics(double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy) {
        this(trainLoss, trainAccuracy, validationLoss, validationAccuracy, "");
    }

    /**
     * Metrics from a train and a validation evaluation; NaN for a null one (no such data).
     *
     * @param train      the train evaluation, or null
     * @param validation the validation evaluation, or null
     * @return the metrics, with an unknown ("") loss unit
     */
    public static Metrics of(LossAndAccuracy train, LossAndAccuracy validation) {
        return new Metrics(train == null ? Double.NaN : train.loss(), train == null ? Double.NaN : train.accuracy(),
                validation == null ? Double.NaN : validation.loss(),
                validation == null ? Double.NaN : validation.accuracy());
    }

    /**
     * These metrics with the losses' unit.
     *
     * @param unit the losses' unit, "" when unknown (not null)
     * @return a copy with that unit
     */
    public Metrics withLossUnit(String unit) {
        return new Metrics(trainLoss, trainAccuracy, validationLoss, validationAccuracy, unit);
    }
}
