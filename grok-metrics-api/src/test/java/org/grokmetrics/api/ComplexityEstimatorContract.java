package org.grokmetrics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ComplexityEstimator} must meet. Each implementation's test extends this
 * class and says how to build the estimator and a valid context for given weights.
 */
public abstract class ComplexityEstimatorContract {

    /** The estimator under test. */
    protected abstract ComplexityEstimator estimator();

    /** A context the estimator can work with, around the given weights. */
    protected EstimationContext context(ParameterSnapshot parameters) {
        return EstimationContext.of(parameters);
    }

    /** A small random model: a 2-D weight, a 3-D weight and a bias. */
    protected static ParameterSnapshot randomModel(Seed seed) {
        var g = seed.gen();
        int m = g.intIn(2, 12);
        int n = g.intIn(2, 12);
        return ParameterSnapshot.of(List.of(
                Tensor.matrix("w1", m, n, g.gaussianFloats(m * n, 0.5)),
                new Tensor("w2", new int[] {n, 2, 3}, g.gaussianFloats(n * 6, 0.2)),
                Tensor.vector("b1", g.gaussianFloats(n, 0.1))));
    }

    @PropertyTest(cases = 20)
    void resultIsNamedUnitedAndDeterministic(Seed seed) {
        ParameterSnapshot p = randomModel(seed);
        ComplexityEstimate a = estimator().estimate(context(p));
        ComplexityEstimate b = estimator().estimate(context(p));
        assertNotNull(a);
        assertEquals(estimator().name(), a.estimator());
        assertEquals(estimator().unit(), a.unit());
        assertTrue(a.succeeded(), () -> "failed: " + a.failure());
        assertTrue(Double.isFinite(a.value()), "value " + a.value());
        assertEquals(Double.doubleToLongBits(a.value()), Double.doubleToLongBits(b.value()), "deterministic");
        assertTrue(a.cost().wallNanos() >= 0);
    }

    @Test
    void nonFiniteWeightsFailClearlyAndSafely() {
        ParameterSnapshot p = ParameterSnapshot.of(List.of(
                Tensor.matrix("good", 2, 2, new float[] {1, 2, 3, 4}),
                Tensor.matrix("poisoned", 2, 2, new float[] {1, Float.NaN, 3, 4})));
        ComplexityEstimate e = estimator().estimateSafely(context(p));
        assertFalse(e.succeeded());
        assertTrue(Double.isNaN(e.value()));
        assertTrue(e.failure().orElseThrow().contains("poisoned"), e.failure().orElseThrow());
        assertEquals(estimator().name(), e.estimator());
    }

    @Test
    void nameIsAStableColumnName() {
        assertTrue(estimator().name().matches("[a-z0-9][a-z0-9._-]*"), estimator().name());
    }
}
