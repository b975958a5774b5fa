package org.grokmetrics.monitor;

/**
 * Mean loss and accuracy of a model on one data set: the shape in which both adapters return an
 * evaluation ({@code Dl4jModels.Evaluation}, {@code DjlModels.Evaluation}).
 */
public interface LossAndAccuracy {

    /**
     * Mean loss (in the loss's unit, nats for cross-entropy).
     *
     * @return the mean loss per example; NaN if the model's outputs are NaN
     */
    double loss();

    /**
     * Accuracy in [0, 1], NaN if the model is not a classifier.
     *
     * @return the fraction of examples classified right, in [0, 1]; NaN if undefined
     */
    double accuracy();
}
