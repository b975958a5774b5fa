package org.grokmetrics.api;

/**
 * The model's mean training loss for a given set of parameters.
 *
 * <p>Implementations evaluate the network with its weights replaced by {@code p} (same names and
 * shapes as the model's own) and return the mean loss over the training set, in nats (natural-log
 * cross-entropy for classifiers). They must leave the model's own weights as they found them, and
 * should be deterministic: the rate&ndash;distortion compressor compares losses of several candidate
 * weights against one reference.
 */
@FunctionalInterface
public interface LossOracle {

    /**
     * @param p parameters with the model's names and shapes
     * @return the mean train loss in nats; NaN if the loss is undefined for these weights
     */
    double loss(ParameterSnapshot p);
}
