package org.grokmetrics.mdl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;

/**
 * Pruning MDL (seed 004): the number of parameters whose magnitude exceeds a threshold,
 * MDL(&theta;) = |{w &isin; &theta; : |w| &gt; &epsilon;}|, over all tensors (biases and normalisation
 * parameters included). The study uses &epsilon; = {@value #DEFAULT_THRESHOLD}, measured every 500 steps.
 *
 * <p>NaN weights: |NaN| &gt; &epsilon; is false, so a NaN would silently count as pruned; the methods
 * here reject NaN and infinite weights with {@link IllegalArgumentException} naming the tensor instead.
 * The threshold must be finite and &ge; 0. Stateless and thread-safe.
 */
public final class PruningMdl {

    /** The study's threshold &epsilon; = 1e-2. */
    public static final double DEFAULT_THRESHOLD = 1e-2;

    private PruningMdl() {
    }

    /**
     * Number of weights with |w| &gt; threshold.
     *
     * @param p         the weights (not null)
     * @param threshold the pruning threshold &epsilon;, finite and &ge; 0
     * @return the number of weights kept, in [0, {@link ParameterSnapshot#size()}]
     * @throws IllegalArgumentException if the threshold is negative or not finite, or a weight is not
     *                                  finite
     */
    public static long count(ParameterSnapshot p, double threshold) {
        Objects.requireNonNull(p, "snapshot");
        checkThreshold(threshold);
        long n = 0;
        for (Tensor t : p.tensors()) {
            n += count(t, threshold);
        }
        return n;
    }

    /**
     * {@link #count(ParameterSnapshot, double)} at the study's &epsilon; = 1e-2.
     *
     * @param p the weights (not null)
     * @return the number of weights with |w| &gt; 1e-2
     * @throws IllegalArgumentException if a weight is not finite
     */
    public static long count(ParameterSnapshot p) {
        return count(p, DEFAULT_THRESHOLD);
    }

    /**
     * Number of weights of one tensor with |w| &gt; threshold.
     *
     * @param t         the tensor
     * @param threshold the pruning threshold &epsilon;, finite and &ge; 0
     * @return the number of weights kept, in [0, {@link Tensor#size()}]
     * @throws IllegalArgumentException if the threshold is bad or a weight is not finite
     */
    public static long count(Tensor t, double threshold) {
        checkThreshold(threshold);
        t.requireFinite();
        // compare in double so the threshold is not rounded: |w| > threshold exactly
        long n = 0;
        for (int i = 0, size = t.size(); i < size; i++) {
            if (Math.abs((double) t.get(i)) > threshold) {
                n++;
            }
        }
        return n;
    }

    /**
     * Per-tensor counts, in snapshot order.
     *
     * @param p         the weights
     * @param threshold the pruning threshold &epsilon;, finite and &ge; 0
     * @return each tensor's name and its number of weights with |w| &gt; threshold, in snapshot order
     * @throws IllegalArgumentException if the threshold is negative or not finite, or a weight is not finite
     */
    public static Map<String, Long> countPerTensor(ParameterSnapshot p, double threshold) {
        checkThreshold(threshold);
        Map<String, Long> out = new LinkedHashMap<>();
        for (Tensor t : p.tensors()) {
            out.put(t.name(), count(t, threshold));
        }
        return out;
    }

    private static void checkThreshold(double threshold) {
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("pruning threshold must be finite and >= 0, was " + threshold);
        }
    }
}
