package org.grokmetrics.api;

/**
 * A sub-network as a plain function R^d1 &rarr; R^d2, evaluated on a batch.
 *
 * <p>Used by the linear mapping number, which evaluates it on many interpolated points at once.
 * Implementations should be pure (no training, no dropout, no change of state) and may be called from
 * one thread at a time.
 */
@FunctionalInterface
public interface FunctionOracle {

    /**
     * @param inputs one row per sample, each of length d1
     * @return one row per sample, each of length d2, in the same order
     */
    double[][] apply(double[][] inputs);
}
