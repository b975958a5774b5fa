package org.grokmetrics.mdl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.EstimationCost;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.api.TensorValue;

/**
 * {@link PruningMdl#count} as an estimator: value in parameters, per-tensor counts, details
 * {@code threshold} and {@code fraction_kept}. Immutable and thread-safe.
 */
public final class PruningMdlEstimator implements ComplexityEstimator {

    /** The estimator's name and CSV column. */
    public static final String NAME = "pruning-mdl";

    private final double threshold;

    private PruningMdlEstimator(double threshold) {
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("pruning threshold must be finite and >= 0, was " + threshold);
        }
        this.threshold = threshold;
    }

    /**
     * The study's &epsilon; = 1e-2.
     *
     * @return the estimator with threshold {@link PruningMdl#DEFAULT_THRESHOLD}
     */
    public static PruningMdlEstimator of() {
        return new PruningMdlEstimator(PruningMdl.DEFAULT_THRESHOLD);
    }

    /**
     * Another threshold.
     *
     * @param threshold the pruning threshold &epsilon;, finite and &ge; 0
     * @return the estimator
     * @throws IllegalArgumentException if it is negative or not finite
     */
    public static PruningMdlEstimator of(double threshold) {
        return new PruningMdlEstimator(threshold);
    }

    /**
     * The estimator at the study's threshold.
     *
     * @return {@link #of()}
     * @deprecated use {@link #of()}, the factory verb of every measure.
     */
    @Deprecated
    public static PruningMdlEstimator create() {
        return of();
    }

    /**
     * The estimator at another threshold.
     *
     * @param threshold the pruning threshold &epsilon;, finite and &ge; 0
     * @return {@link #of(double)}
     * @deprecated use {@link #of(double)}, the factory verb of every measure.
     */
    @Deprecated
    public static PruningMdlEstimator withThreshold(double threshold) {
        return of(threshold);
    }

    /**
     * The threshold &epsilon;.
     *
     * @return &epsilon;, finite and &ge; 0
     */
    public double threshold() {
        return threshold;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MeasureUnit unit() {
        return MeasureUnit.PARAMETERS;
    }

    @Override
    public ComplexityEstimate estimate(EstimationContext context) {
        long start = System.nanoTime();
        List<TensorValue> per = new ArrayList<>();
        long total = 0;
        for (Tensor t : context.parameters().requireNonEmpty(NAME).tensors()) {
            long c = PruningMdl.count(t, threshold);
            total += c;
            per.add(TensorValue.of(t.name(), c));
        }
        long size = context.parameters().size();
        return ComplexityEstimate.of(NAME, total, unit(), per,
                Map.of("threshold", threshold, "fraction_kept", size == 0 ? 0.0 : (double) total / size),
                EstimationCost.ofWall(System.nanoTime() - start));
    }
}
