package org.grokmetrics.lmn;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.linalg.LinearAlgebra;

/**
 * Linear mapping number of a sub-network f: R^d1 &rarr; R^d2 on N sample points.
 *
 * <h2>Formula (SPEC &sect;3)</h2>
 * <pre>
 *   y_ij(&lambda;) = f(x_i + &lambda;(x_j &minus; x_i)),  &lambda; = 0, 1/(T&minus;1), &hellip;, 1   (T = 21 by default)
 *   r&sup2;(y, &lambda;) = (&lang;y&lambda;&rang; &minus; &lang;y&rang;&lang;&lambda;&rang;)&sup2; / ((&lang;y&sup2;&rang; &minus; &lang;y&rang;&sup2;)(&lang;&lambda;&sup2;&rang; &minus; &lang;&lambda;&rang;&sup2;))
 *   L_ij = (1/d2) &Sigma;_k r&sup2;(y_ij,k, &lambda;),   L_ii = 1                   connectivity, in [0, 1]
 *   &lambda;&#771;_i = |&mu;_i| / &Sigma;_j |&mu;_j|      (&mu; = eigenvalues of the symmetric L)
 *   S_NL = &minus;&Sigma;_i &lambda;&#771;_i log2 &lambda;&#771;_i   bits;   LMN = 2^S_NL, in [1, N]
 * </pre>
 * An output coordinate that is constant along the segment is linear: r&sup2; = 1. "Constant" means that
 * the variance over the T points is at most 1e-24 times the mean square of y &minus; y(0) (exactly
 * zero for a truly constant output; the test is relative, so it does not depend on the output's scale).
 *
 * <h2>Cost</h2>
 * f is evaluated once on the N points (the &lambda; = 0 and 1 ends of every segment) and on
 * N(N&minus;1)/2 &times; (T&minus;2) interior points, in batches of about {@link Options#batchRows()}
 * rows per oracle call (at most 2<sup>21</sup> input values each); then one N&times;N symmetric eigen-problem (values only). A
 * {@link FactoredFunctionOracle} (f = g &#8728; A, A affine) is interpolated after A, which is exact and
 * evaluates A only on the N points.
 *
 * <h2>Errors</h2>
 * Fewer than 2 points, ragged or non-finite points, an oracle that returns the wrong number of rows,
 * ragged rows or NaN/Inf values: {@link IllegalArgumentException} naming the point, pair and &lambda;.
 *
 * <h2>Entry points</h2>
 * {@link #connectivity} (L, computed by the package-private {@code LinearConnectivity}),
 * {@link #entropyBits} (S_NL), {@link #lmn} (2^S_NL), {@link #analyze} (all of it, with timings), and the
 * estimator's helpers {@link #subsample} and {@link #l2Norm} (the paper's baseline). The
 * {@code ComplexityEstimator} ({@value LinearMappingNumberEstimator#NAME}) is
 * {@link LinearMappingNumberEstimator}. Static methods only; the oracle is called from the calling
 * thread only.
 */
public final class LinearMappingNumber {

    /**
     * The estimator's name and CSV column.
     *
     * @deprecated the estimator is {@link LinearMappingNumberEstimator}: use {@link LinearMappingNumberEstimator#NAME}
     */
    @Deprecated(since = "0.1.0")
    public static final String NAME = LinearMappingNumberEstimator.NAME;

    /**
     * Options of an evaluation ({@code interpolationPoints}, {@code batchRows}) and of the estimator's
     * sub-sampling ({@code sampleCount}, {@code seed}); each is validated here.
     *
     * @param interpolationPoints T, points on &lambda; &isin; [0, 1] including both ends (&ge; 3; paper: 21)
     * @param sampleCount         N to sub-sample from the context's points; 0 = use all
     * @param seed                seed of the sub-sampling
     * @param batchRows           target rows per oracle call (&ge; 1); wide inputs get fewer, at most 2<sup>21</sup>
     *                            values per call (a d = 3072 layer: 682 rows)
     */
    public record Options(int interpolationPoints, int sampleCount, long seed, int batchRows) {
        /**
         * Validates the options.
         *
         * @param interpolationPoints T, &ge; 3
         * @param sampleCount         N, 0 (all) or &ge; 2
         * @param seed                seed of the sub-sampling
         * @param batchRows           target rows per oracle call, &ge; 1
         * @throws IllegalArgumentException naming the first option out of range
         */
        public Options {
            if (interpolationPoints < 3) {
                throw new IllegalArgumentException("interpolationPoints must be >= 3, was " + interpolationPoints);
            }
            if (sampleCount < 0 || sampleCount == 1) {
                throw new IllegalArgumentException("sampleCount must be 0 (all) or >= 2, was " + sampleCount);
            }
            if (batchRows < 1) {
                throw new IllegalArgumentException("batchRows must be >= 1, was " + batchRows);
            }
        }

        /**
         * T = 21 interpolation points (SPEC &sect;3); N = 256 sample points, sub-sampled with seed 0 (our choice:
         * the LMN paper states no N); batches of 8,192 rows.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(21, 256, 0L, 8192);
        }

        /**
         * These options with another sample count N.
         *
         * @param n the number of points sub-sampled, 0 (all) or &ge; 2
         * @return the new options
         * @throws IllegalArgumentException if n is negative or 1
         */
        public Options withSampleCount(int n) {
            return new Options(interpolationPoints, n, seed, batchRows);
        }

        /**
         * These options with another number T of interpolation points.
         *
         * @param t the points on each segment, both ends included, &ge; 3
         * @return the new options
         * @throws IllegalArgumentException if t &lt; 3
         */
        public Options withInterpolationPoints(int t) {
            return new Options(t, sampleCount, seed, batchRows);
        }

        /**
         * These options with another batch size.
         *
         * @param rows the target rows per oracle call, &ge; 1
         * @return the new options
         * @throws IllegalArgumentException if rows &lt; 1
         */
        public Options withBatchRows(int rows) {
            return new Options(interpolationPoints, sampleCount, seed, rows);
        }

        /**
         * These options with another sub-sampling seed.
         *
         * @param s the seed
         * @return the new options
         */
        public Options withSeed(long s) {
            return new Options(interpolationPoints, sampleCount, s, batchRows);
        }
    }

    /**
     * Everything one evaluation produced.
     *
     * @param lmn               2^S_NL
     * @param entropyBits       S_NL in bits
     * @param connectivity      L (N&times;N)
     * @param eigenvalues       eigenvalues of L, descending (signed)
     * @param rowsEvaluated     rows passed to the oracle
     * @param oracleNanos       time inside the oracle
     * @param connectivityNanos time building L outside the oracle (interpolation, r&sup2;)
     * @param eigenNanos        time of the eigen-decomposition and entropy
     */
    public record Result(double lmn, double entropyBits, double[][] connectivity, double[] eigenvalues,
                         long rowsEvaluated, long oracleNanos, long connectivityNanos, long eigenNanos) {
    }

    private LinearMappingNumber() {
    }

    /**
     * An estimator with {@link Options#defaults()}.
     *
     * @return the estimator
     * @deprecated use {@link LinearMappingNumberEstimator#of()}
     */
    @Deprecated(since = "0.1.0")
    public static LinearMappingNumberEstimator create() {
        return LinearMappingNumberEstimator.of();
    }

    /**
     * An estimator with the given options on the default linear algebra.
     *
     * @param options the options (not null)
     * @return the estimator
     * @deprecated use {@link LinearMappingNumberEstimator#of(Options)}
     */
    @Deprecated(since = "0.1.0")
    public static LinearMappingNumberEstimator withOptions(Options options) {
        return LinearMappingNumberEstimator.of(options);
    }

    /**
     * An estimator with the given options and linear algebra.
     *
     * @param options       the options (not null)
     * @param linearAlgebra the implementation of the eigen-decomposition (not null)
     * @return the estimator
     * @deprecated use {@link LinearMappingNumberEstimator#of(Options, LinearAlgebra)}
     */
    @Deprecated(since = "0.1.0")
    public static LinearMappingNumberEstimator withOptions(Options options, LinearAlgebra linearAlgebra) {
        return LinearMappingNumberEstimator.of(options, linearAlgebra);
    }

    /**
     * The connectivity matrix L with the paper's T = 21 (no sub-sampling: every point is used).
     *
     * @param f      the sub-network
     * @param points the N &ge; 2 points in f's input space, one per row
     * @return L, N&times;N, symmetric, entries in [0, 1], diagonal 1
     * @throws IllegalArgumentException on bad points or oracle output (see the class comment)
     */
    public static double[][] connectivity(FunctionOracle f, double[][] points) {
        return LinearConnectivity.compute(f, points, 21, Options.defaults().batchRows()).matrix();
    }

    /**
     * S_NL in bits from a connectivity matrix.
     *
     * @param connectivity L, square and symmetric
     * @return S_NL in bits, in [0, log2 N]
     * @throws IllegalArgumentException if L is not square, not symmetric (to 1e-9) or not finite
     */
    public static double entropyBits(double[][] connectivity) {
        return entropyBits(connectivity, LinearAlgebra.getDefault());
    }

    /**
     * 2^S_NL of f on the points, T = 21, every point used.
     *
     * @param f      the sub-network
     * @param points the N &ge; 2 points in f's input space, one per row
     * @return the linear mapping number, in [1, N]
     * @throws IllegalArgumentException on bad points or oracle output (see the class comment)
     */
    public static double lmn(FunctionOracle f, double[][] points) {
        return Math.pow(2, entropyBits(connectivity(f, points)));
    }

    /**
     * S_NL of eigenvalues (signed; absolute values are normalised).
     *
     * @param eigenvalues the eigenvalues of L, finite, not all 0
     * @return the entropy in bits of |&mu;| normalised by its sum, &ge; 0
     * @throws IllegalArgumentException if a value is not finite or all are 0
     */
    public static double entropyBitsOfEigenvalues(double[] eigenvalues) {
        // divided by the largest |value| before summing: no overflow for values near Double.MAX_VALUE
        double max = 0;
        for (double v : eigenvalues) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("eigenvalue " + v + " is not finite");
            }
            max = Math.max(max, Math.abs(v));
        }
        if (!(max > 0)) {
            throw new IllegalArgumentException("connectivity has no non-zero eigenvalue");
        }
        double sum = 0;
        for (double v : eigenvalues) {
            sum += Math.abs(v) / max;
        }
        double s = 0;
        for (double v : eigenvalues) {
            double p = Math.abs(v) / max / sum;
            if (p > 0) {
                s -= p * Math.log(p);
            }
        }
        return Math.max(0.0, s / Math.log(2));
    }

    static double entropyBits(double[][] l, LinearAlgebra la) {
        int n = l.length;
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) {
            if (l[i].length != n) {
                throw new IllegalArgumentException("connectivity must be square: row " + i + " has " + l[i].length
                        + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                double v = l[i][j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("connectivity[" + i + "][" + j + "] is " + v);
                }
                if (j < i && Math.abs(v - l[j][i]) > 1e-9 * (1 + Math.abs(v))) {
                    throw new IllegalArgumentException("connectivity is not symmetric at (" + i + ", " + j + "): " + v
                            + " vs " + l[j][i]);
                }
                flat[i * n + j] = v;
            }
        }
        return entropyBitsOfEigenvalues(la.symmetricEigen(n, flat, false).eigenvalues());
    }

    /**
     * Full evaluation on the given points with the paper's T = 21 (no sub-sampling), with timings.
     *
     * @param f      the sub-network
     * @param points the N &ge; 2 points in f's input space, one per row
     * @return the LMN, S_NL, L, its eigenvalues and the costs
     * @throws IllegalArgumentException on bad points or oracle output (see the class comment)
     */
    public static Result analyze(FunctionOracle f, double[][] points) {
        return analyze(f, points, Options.defaults(), LinearAlgebra.getDefault());
    }

    /**
     * Full evaluation on the given points (no sub-sampling: {@code sampleCount} and {@code seed} are
     * the estimator's) with T and batch size from the options, eigenvalues from {@code la}, with timings.
     *
     * @param f       the sub-network
     * @param points  the N &ge; 2 points in f's input space, one per row
     * @param options T and the batch size (not null)
     * @param la      the implementation of the eigen-decomposition (not null)
     * @return the LMN, S_NL, L, its eigenvalues and the costs
     * @throws IllegalArgumentException on bad points or oracle output (see the class comment)
     */
    public static Result analyze(FunctionOracle f, double[][] points, Options options, LinearAlgebra la) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(la, "linearAlgebra");
        long t0 = System.nanoTime();
        LinearConnectivity.Computed c = LinearConnectivity.compute(f, points, options.interpolationPoints(),
                options.batchRows());
        long t1 = System.nanoTime();
        double[][] l = c.matrix();
        int n = l.length;
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(l[i], 0, flat, i * n, n);
        }
        double[] ev = la.symmetricEigen(n, flat, false).eigenvalues();
        double s = entropyBitsOfEigenvalues(ev);
        long t2 = System.nanoTime();
        return new Result(Math.pow(2, s), s, l, ev, c.rowsEvaluated(), c.oracleNanos(), (t1 - t0) - c.oracleNanos(),
                t2 - t1);
    }

    /**
     * &radic;(&Sigma; w&sup2;) over every parameter: the L2 norm baseline of the paper.
     *
     * @param p the weights
     * @return the L2 norm, &ge; 0 (0 for an empty snapshot)
     * @throws IllegalArgumentException if a parameter is not finite
     */
    public static double l2Norm(ParameterSnapshot p) {
        double s = 0;
        for (Tensor t : p.tensors()) {
            t.requireFinite();
            for (int i = 0, n = t.size(); i < n; i++) {
                double v = t.get(i);
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    /**
     * Up to {@code n} distinct rows chosen uniformly with a seeded generator, kept in their original
     * order; all rows if {@code n} is 0 or at least the number of rows.
     *
     * @param points the rows (not null); the chosen rows are shared, not copied
     * @param n      the number of rows wanted, &ge; 0
     * @param seed   the seed of the generator: the same seed and rows give the same choice
     * @return the chosen rows, or {@code points} itself when all are kept
     */
    public static double[][] subsample(double[][] points, int n, long seed) {
        Objects.requireNonNull(points, "points");
        if (n == 0 || n >= points.length) {
            return points;
        }
        int[] idx = new int[points.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int j = i + r.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = Arrays.copyOf(idx, n);
        Arrays.sort(chosen);
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = points[chosen[i]];
        }
        return out;
    }
}
