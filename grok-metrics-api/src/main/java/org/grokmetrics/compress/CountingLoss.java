package org.grokmetrics.compress;

import java.util.Objects;

import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;

/**
 * A loss oracle that counts its calls and the nanoseconds spent in them, around another (as Hipparchus'
 * {@code LeastSquaresFactory.countEvaluations} wraps a problem). Not thread-safe.
 */
final class CountingLoss implements LossOracle {

    private final LossOracle inner;
    private int evaluations;
    private long nanos;

    private CountingLoss(LossOracle inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    static CountingLoss countEvaluations(LossOracle oracle) {
        return new CountingLoss(oracle);
    }

    @Override
    public double loss(ParameterSnapshot p) {
        long s = System.nanoTime();
        double l = inner.loss(p);
        nanos += System.nanoTime() - s;
        evaluations++;
        return l;
    }

    /** Calls so far. */
    int evaluations() {
        return evaluations;
    }

    /** Nanoseconds inside the wrapped oracle so far. */
    long nanos() {
        return nanos;
    }
}
