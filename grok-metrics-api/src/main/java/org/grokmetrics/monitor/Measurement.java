package org.grokmetrics.monitor;

import org.grokmetrics.api.EstimationContext;

/**
 * What an adapter captured at a measurement point, ready to be evaluated on any thread: the weights
 * (already copied out of the training model) and oracles bound to a private copy of the model.
 * Both methods run on the monitor's evaluation thread, after the training step has moved on.
 */
public interface Measurement {

    /**
     * The estimation context (weights, oracles, points).
     *
     * @return the context the estimators run on
     */
    EstimationContext context();

    /**
     * Loss and accuracy at the captured weights; NaN where the adapter has no data.
     *
     * @return the metrics recorded with the estimates
     */
    Metrics metrics();
}
