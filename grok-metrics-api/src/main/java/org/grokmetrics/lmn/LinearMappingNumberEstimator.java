package org.grokmetrics.lmn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.EstimationCost;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.linalg.LinearAlgebra;

/**
 * The linear mapping number as a {@link ComplexityEstimator} ({@value #NAME}, dimensionless): the
 * formula of {@link LinearMappingNumber} on the sub-network and sample points of an
 * {@link EstimationContext}.
 *
 * <p>{@link #estimate} reads the sub-network and its points from the context
 * ({@link EstimationContext#requireSubNetwork}, {@link EstimationContext#requirePoints}), sub-samples
 * {@link LinearMappingNumber.Options#sampleCount()} of them with a generator seeded by
 * {@link LinearMappingNumber.Options#seed()} ({@link LinearMappingNumber#subsample}), evaluates
 * {@link LinearMappingNumber#analyze(FunctionOracle, double[][], LinearMappingNumber.Options, LinearAlgebra)}
 * and reports details {@code entropy_bits} (S_NL), {@code points} (N used), {@code mean_connectivity}
 * (the mean of L's entries) and {@code l2_norm} (the paper's baseline &radic;&Sigma;w&sup2; over the
 * context's parameters, {@link LinearMappingNumber#l2Norm}). Errors are the formula's
 * {@link IllegalArgumentException}s; {@link ComplexityEstimator#estimateSafely} turns them into NaN.
 *
 * <p>Immutable and thread-safe; the oracle is called from the calling thread only.
 */
public final class LinearMappingNumberEstimator implements ComplexityEstimator {

    /** The estimator's name and CSV column. */
    public static final String NAME = "lmn";

    private final LinearMappingNumber.Options options;
    private final LinearAlgebra linearAlgebra;

    private LinearMappingNumberEstimator(LinearMappingNumber.Options options, LinearAlgebra linearAlgebra) {
        this.options = Objects.requireNonNull(options, "options");
        this.linearAlgebra = linearAlgebra;
    }

    /**
     * An estimator with {@link LinearMappingNumber.Options#defaults()}.
     *
     * @return the estimator, on the default linear algebra
     */
    public static LinearMappingNumberEstimator of() {
        return new LinearMappingNumberEstimator(LinearMappingNumber.Options.defaults(), null);
    }

    /**
     * An estimator with the given options on the default linear algebra (looked up at each call).
     *
     * @param options the options (not null)
     * @return the estimator
     */
    public static LinearMappingNumberEstimator of(LinearMappingNumber.Options options) {
        return new LinearMappingNumberEstimator(options, null);
    }

    /**
     * An estimator with the given options and linear algebra.
     *
     * @param options       the options (not null)
     * @param linearAlgebra the implementation of the eigen-decomposition (not null)
     * @return the estimator
     */
    public static LinearMappingNumberEstimator of(LinearMappingNumber.Options options, LinearAlgebra linearAlgebra) {
        return new LinearMappingNumberEstimator(options, Objects.requireNonNull(linearAlgebra, "linearAlgebra"));
    }

    /**
     * An estimator with the default options.
     *
     * @return {@link #of()}
     * @deprecated use {@link #of()}, the factory verb of every measure.
     */
    @Deprecated
    public static LinearMappingNumberEstimator create() {
        return of();
    }

    /**
     * An estimator with the given options.
     *
     * @param options the options (not null)
     * @return {@link #of(LinearMappingNumber.Options)}
     * @deprecated use {@link #of(LinearMappingNumber.Options)}, the factory verb of every measure.
     */
    @Deprecated
    public static LinearMappingNumberEstimator withOptions(LinearMappingNumber.Options options) {
        return of(options);
    }

    /**
     * An estimator with the given options and linear algebra.
     *
     * @param options       the options (not null)
     * @param linearAlgebra the implementation of the eigen-decomposition (not null)
     * @return {@link #of(LinearMappingNumber.Options, LinearAlgebra)}
     * @deprecated use {@link #of(LinearMappingNumber.Options, LinearAlgebra)}.
     */
    @Deprecated
    public static LinearMappingNumberEstimator withOptions(LinearMappingNumber.Options options,
                                                           LinearAlgebra linearAlgebra) {
        return of(options, linearAlgebra);
    }

    /**
     * The options of this estimator.
     *
     * @return T, N, the seed and the batch size
     */
    public LinearMappingNumber.Options options() {
        return options;
    }

    private LinearAlgebra la() {
        return linearAlgebra != null ? linearAlgebra : LinearAlgebra.getDefault();
    }

    /**
     * Full evaluation with these options on the given points (no sub-sampling), with timings.
     *
     * @param f      the sub-network
     * @param points the N &ge; 2 points in f's input space, one per row
     * @return the LMN, S_NL, L, its eigenvalues and the costs
     * @throws IllegalArgumentException on bad points or oracle output (see {@link LinearMappingNumber})
     */
    public LinearMappingNumber.Result analyze(FunctionOracle f, double[][] points) {
        return LinearMappingNumber.analyze(f, points, options, la());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MeasureUnit unit() {
        return MeasureUnit.DIMENSIONLESS;
    }

    @Override
    public ComplexityEstimate estimate(EstimationContext context) {
        long start = System.nanoTime();
        FunctionOracle f = context.requireSubNetwork(NAME);
        double[][] all = context.requirePoints(NAME);
        context.parameters().requireNonEmpty(NAME);
        double[][] points = LinearMappingNumber.subsample(all, options.sampleCount(), options.seed());
        LinearMappingNumber.Result r = analyze(f, points);
        double mean = 0;
        for (double[] row : r.connectivity()) {
            for (double v : row) {
                mean += v;
            }
        }
        mean /= (double) points.length * points.length;
        Map<String, Double> details = new LinkedHashMap<>();
        details.put("entropy_bits", r.entropyBits());
        details.put("points", (double) points.length);
        details.put("mean_connectivity", mean);
        details.put("l2_norm", LinearMappingNumber.l2Norm(context.parameters()));
        EstimationCost cost = new EstimationCost(System.nanoTime() - start, 0, r.rowsEvaluated(), r.oracleNanos());
        return ComplexityEstimate.of(NAME, r.lmn(), unit(), List.of(), details, cost);
    }
}
