/**
 * The framework-agnostic contract of grok-metrics.
 *
 * <p>A network's weights are handed over as a {@link org.grokmetrics.api.ParameterSnapshot}: an
 * immutable, ordered list of named {@link org.grokmetrics.api.Tensor}s. Estimators that need to run
 * the network receive it through oracles: a {@link org.grokmetrics.api.LossOracle} evaluates the mean
 * train loss for any set of weights (the rate&ndash;distortion compressor), a
 * {@link org.grokmetrics.api.FunctionOracle} evaluates a sub-network on a batch of inputs (the linear
 * mapping number). Every measure implements {@link org.grokmetrics.api.ComplexityEstimator} and returns
 * an immutable {@link org.grokmetrics.api.ComplexityEstimate}, so training listeners run all of them
 * alike.
 *
 * <p>Nothing in this package depends on Deeplearning4j or DJL; the adapter modules translate their
 * models into these types.
 */
package org.grokmetrics.api;
