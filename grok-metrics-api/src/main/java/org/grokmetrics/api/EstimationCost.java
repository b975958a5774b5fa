package org.grokmetrics.api;

/**
 * What an estimate cost to compute.
 *
 * @param wallNanos           elapsed wall-clock time of the whole estimate, in nanoseconds
 * @param lossEvaluations     calls made to the {@link LossOracle}
 * @param functionEvaluations rows passed to the {@link FunctionOracle} (samples evaluated)
 * @param oracleNanos         wall-clock time spent inside oracles, in nanoseconds (part of
 *                            {@code wallNanos})
 */
public record EstimationCost(long wallNanos, int lossEvaluations, long functionEvaluations, long oracleNanos) {

    /**
     * No oracle calls.
     *
     * @param wallNanos elapsed wall-clock time of the estimate, in nanoseconds
     * @return a cost with no oracle calls and no oracle time
     */
    public static EstimationCost ofWall(long wallNanos) {
        return new EstimationCost(wallNanos, 0, 0, 0);
    }

    /**
     * Wall time excluding the time spent in oracles: the estimator's own cost.
     *
     * @return {@code wallNanos - oracleNanos}, in nanoseconds
     */
    public long ownNanos() {
        return wallNanos - oracleNanos;
    }
}
