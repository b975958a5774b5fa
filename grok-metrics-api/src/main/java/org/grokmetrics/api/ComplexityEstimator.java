package org.grokmetrics.api;

/**
 * A measure of a network's complexity.
 *
 * <p>Contract, checked for every implementation by the abstract contract test
 * {@code ComplexityEstimatorContract}:
 * <ul>
 *   <li>{@link #estimate(EstimationContext)} never returns null, never changes the snapshot (snapshots
 *       are immutable anyway) and never calls an oracle for something it does not need;</li>
 *   <li>the result's {@code estimator} equals {@link #name()} and its unit equals {@link #unit()};</li>
 *   <li>bad input (NaN/Inf weights, a missing oracle the estimator needs) raises
 *       {@link IllegalArgumentException} or {@link IllegalStateException} with a message naming the
 *       tensor or input at fault; {@link #estimateSafely(EstimationContext)} turns any exception, and
 *       the errors {@link Failures} contains, into a {@linkplain ComplexityEstimate#failed failed
 *       estimate} instead, which is what listeners use;</li>
 *   <li>the same context gives the same value (estimators are deterministic; randomised ones are
 *       seeded by their options).</li>
 * </ul>
 *
 * <p>Implementations are immutable and thread-safe unless documented otherwise.
 */
public interface ComplexityEstimator {

    /**
     * A short, stable identifier used as the column name in CSV/JSON output, e.g. {@code "pruning-mdl"}.
     *
     * @return the identifier, equal to every estimate's {@link ComplexityEstimate#estimator()}
     */
    String name();

    /**
     * The unit of the estimate's value.
     *
     * @return the unit, equal to every estimate's {@link ComplexityEstimate#unit()}
     */
    MeasureUnit unit();

    /**
     * Measures the complexity of {@code context.parameters()}.
     *
     * @param context the weights and the oracles the estimator may use
     * @return the estimate, never null
     * @throws IllegalArgumentException if the weights or the oracle outputs are invalid (NaN/Inf)
     * @throws IllegalStateException    if an input this estimator needs is absent from the context
     */
    ComplexityEstimate estimate(EstimationContext context);

    /**
     * Estimates from weights alone.
     *
     * @param parameters the weights
     * @return {@link #estimate(EstimationContext)} on a context without oracles
     * @throws IllegalArgumentException if the weights are invalid (NaN/Inf)
     * @throws IllegalStateException    if the estimator needs an oracle
     */
    default ComplexityEstimate estimate(ParameterSnapshot parameters) {
        return estimate(EstimationContext.of(parameters));
    }

    /**
     * Like {@link #estimate(EstimationContext)}, but whatever {@link Failures} contains (every exception,
     * and errors such as {@link LinkageError}, {@link StackOverflowError} and {@link OutOfMemoryError})
     * becomes a failed estimate (value NaN) whose reason is {@link Failures#reason(Throwable)}: the
     * throwable's class and message. Never throws, except the errors {@link Failures} propagates
     * ({@link ThreadDeath}, {@link InternalError}, {@link UnknownError}).
     *
     * @param context the weights and the oracles the estimator may use
     * @return the estimate, or a failed estimate with the wall time spent until the failure
     */
    default ComplexityEstimate estimateSafely(EstimationContext context) {
        long start = System.nanoTime();
        try {
            return estimate(context);
        } catch (Throwable t) {
            return ComplexityEstimate.failed(name(), unit(), Failures.contain(t),
                    EstimationCost.ofWall(System.nanoTime() - start));
        }
    }
}
