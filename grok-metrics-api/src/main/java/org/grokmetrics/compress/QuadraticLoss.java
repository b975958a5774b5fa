package org.grokmetrics.compress;

import java.util.Objects;

import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;

/**
 * A synthetic loss for trying the compressor without a model: L(q) = base + scale &middot; mean over all
 * parameters of (q &minus; reference)&sup2;. Smooth and monotone in the distortion, so its coarse-graining
 * is easy to reason about; benchmarks use it to time the compressor's own work.
 */
public final class QuadraticLoss {

    private QuadraticLoss() {
    }

    /**
     * The loss L(q) = base + scale &middot; mean (q &minus; reference)&sup2; over the reference's values.
     *
     * @param reference the weights at which the loss is {@code base}
     * @param base      the loss at {@code reference}
     * @param scale     the factor of the mean squared distance (&ge; 0 for a loss that grows with distortion)
     * @return the oracle; it reads q's tensors by the reference's names
     * @throws IllegalArgumentException (when called) if q lacks a tensor of the reference
     */
    public static LossOracle around(ParameterSnapshot reference, double base, double scale) {
        Objects.requireNonNull(reference, "reference");
        long n = Math.max(1, reference.size());
        return q -> {
            double s = 0;
            for (Tensor t : reference.tensors()) {
                Tensor u = q.get(t.name());
                for (int i = 0; i < t.size(); i++) {
                    double d = (double) u.get(i) - t.get(i);
                    s += d * d;
                }
            }
            return base + scale * s / n;
        };
    }
}
