package org.grokmetrics.monitor;

/**
 * Loss and accuracy of the model at a measurement, as computed by an adapter (NaN where unknown).
 *
 * @param trainLoss          mean train loss (nats)
 * @param trainAccuracy      train accuracy in [0, 1]
 * @param validationLoss     mean validation loss (nats)
 * @param validationAccuracy validation accuracy in [0, 1]
 */
public record Metrics(double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy) {

    /** Nothing measured. */
    public static final Metrics NONE = new Metrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Metrics from a train and a validation evaluation; NaN for a null one (no such data). */
    public static Metrics of(LossAndAccuracy train, LossAndAccuracy validation) {
        return new Metrics(train == null ? Double.NaN : train.loss(), train == null ? Double.NaN : train.accuracy(),
                validation == null ? Double.NaN : validation.loss(),
                validation == null ? Double.NaN : validation.accuracy());
    }
}
