package org.grokmetrics.spectral;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.EstimationCost;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.api.TensorValue;
import org.grokmetrics.linalg.LinearAlgebra;

/**
 * Mean spectral entropy over a model's matrices, as a {@link ComplexityEstimator}.
 *
 * <p>Value: {@link SpectralEntropy#meanEntropy} in nats. Per tensor: H with detail
 * {@code effective_rank}. Model details: {@code effective_rank} (parameter-weighted, SPEC &sect;1) and
 * {@code matrices}. A snapshot without matrices gives a failed estimate (NaN with the reason).
 * Needs weights only. Immutable and thread-safe.
 */
public final class SpectralEntropyEstimator implements ComplexityEstimator {

    /** The estimator's name and CSV column. */
    public static final String NAME = "spectral-entropy";

    private final LinearAlgebra linearAlgebra;

    private SpectralEntropyEstimator(LinearAlgebra linearAlgebra) {
        this.linearAlgebra = linearAlgebra;
    }

    /**
     * An estimator on {@link LinearAlgebra#getDefault()} (looked up at each estimate).
     *
     * @return the estimator
     */
    public static SpectralEntropyEstimator of() {
        return new SpectralEntropyEstimator(null);
    }

    /**
     * An estimator on a given linear-algebra implementation.
     *
     * @param linearAlgebra the implementation that computes the singular values (not null)
     * @return the estimator
     */
    public static SpectralEntropyEstimator of(LinearAlgebra linearAlgebra) {
        return new SpectralEntropyEstimator(java.util.Objects.requireNonNull(linearAlgebra, "linearAlgebra"));
    }

    /**
     * An estimator on the default linear algebra.
     *
     * @return {@link #of()}
     * @deprecated use {@link #of()}, the factory verb of every measure.
     */
    @Deprecated
    public static SpectralEntropyEstimator create() {
        return of();
    }

    /**
     * An estimator on a given linear-algebra implementation.
     *
     * @param linearAlgebra the implementation that computes the singular values (not null)
     * @return {@link #of(LinearAlgebra)}
     * @deprecated use {@link #of(LinearAlgebra)}, the factory verb of every measure.
     */
    @Deprecated
    public static SpectralEntropyEstimator using(LinearAlgebra linearAlgebra) {
        return of(linearAlgebra);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MeasureUnit unit() {
        return MeasureUnit.NATS;
    }

    @Override
    public ComplexityEstimate estimate(EstimationContext context) {
        long start = System.nanoTime();
        LinearAlgebra la = linearAlgebra != null ? linearAlgebra : LinearAlgebra.getDefault();
        SpectralEntropy.Summary s = SpectralEntropy.summarize(context.parameters(), la);
        EstimationCost cost = EstimationCost.ofWall(System.nanoTime() - start);
        if (s.perMatrix().isEmpty()) {
            return ComplexityEstimate.failed(NAME, unit(), "snapshot has no tensor of rank >= 2", cost);
        }
        List<TensorValue> per = new ArrayList<>();
        for (int i = 0; i < s.perMatrix().size(); i++) {
            SpectralEntropy.Result r = s.perMatrix().get(i);
            per.add(new TensorValue(s.names().get(i), r.entropy(), Map.of("effective_rank", r.effectiveRank())));
        }
        Map<String, Double> details = new LinkedHashMap<>();
        details.put("effective_rank", s.weightedEffectiveRank());
        details.put("matrices", (double) per.size());
        return ComplexityEstimate.of(NAME, s.meanEntropy(), unit(), per, details, cost);
    }
}
