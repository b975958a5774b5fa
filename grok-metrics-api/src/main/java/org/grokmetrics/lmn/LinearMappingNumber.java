package org.grokmetrics.lmn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.EstimationCost;
import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.MeasureUnit;
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
 * rows per oracle call; then one N&times;N symmetric eigen-problem (values only). A
 * {@link FactoredFunctionOracle} (f = g &#8728; A, A affine) is interpolated after A, which is exact and
 * evaluates A only on the N points.
 *
 * <h2>Errors</h2>
 * Fewer than 2 points, ragged or non-finite points, an oracle that returns the wrong number of rows,
 * ragged rows or NaN/Inf values: {@link IllegalArgumentException} naming the point, pair and &lambda;.
 *
 * <p>As a {@link ComplexityEstimator} ({@value #NAME}, dimensionless) it reads the sub-network and its
 * sample points from the {@link EstimationContext}, sub-samples {@link Options#sampleCount()} of them
 * with a seeded generator, and reports details {@code entropy_bits}, {@code points},
 * {@code mean_connectivity} and {@code l2_norm} (the paper's baseline: &radic;&Sigma;w&sup2; over the
 * context's parameters). Immutable and thread-safe; the oracle is called from the calling thread only.
 */
public final class LinearMappingNumber implements ComplexityEstimator {

    /** The estimator's name and CSV column. */
    public static final String NAME = "lmn";

    /**
     * Options.
     *
     * @param interpolationPoints T, points on &lambda; &isin; [0, 1] including both ends (&ge; 3; paper: 21)
     * @param sampleCount         N to sub-sample from the context's points; 0 = use all
     * @param seed                seed of the sub-sampling
     * @param batchRows           target rows per oracle call (&ge; 1)
     */
    public record Options(int interpolationPoints, int sampleCount, long seed, int batchRows) {
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

        /** The paper's T = 21, N = 256 sub-sampled with seed 0, batches of 8,192 rows. */
        public static Options defaults() {
            return new Options(21, 256, 0L, 8192);
        }

        public Options withSampleCount(int n) {
            return new Options(interpolationPoints, n, seed, batchRows);
        }

        public Options withInterpolationPoints(int t) {
            return new Options(t, sampleCount, seed, batchRows);
        }

        public Options withBatchRows(int rows) {
            return new Options(interpolationPoints, sampleCount, seed, rows);
        }

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

    private final Options options;
    private final LinearAlgebra linearAlgebra;

    private LinearMappingNumber(Options options, LinearAlgebra linearAlgebra) {
        this.options = Objects.requireNonNull(options, "options");
        this.linearAlgebra = linearAlgebra;
    }

    /** An estimator with {@link Options#defaults()}. */
    public static LinearMappingNumber create() {
        return new LinearMappingNumber(Options.defaults(), null);
    }

    /** An estimator with the given options on the default linear algebra. */
    public static LinearMappingNumber withOptions(Options options) {
        return new LinearMappingNumber(options, null);
    }

    /** An estimator with the given options and linear algebra. */
    public static LinearMappingNumber withOptions(Options options, LinearAlgebra linearAlgebra) {
        return new LinearMappingNumber(options, Objects.requireNonNull(linearAlgebra, "linearAlgebra"));
    }

    public Options options() {
        return options;
    }

    private LinearAlgebra la() {
        return linearAlgebra != null ? linearAlgebra : LinearAlgebra.getDefault();
    }

    /** The connectivity matrix L with the paper's T = 21 (no sub-sampling: every point is used). */
    public static double[][] connectivity(FunctionOracle f, double[][] points) {
        return new Builder(f, points, 21, Options.defaults().batchRows()).build();
    }

    /**
     * S_NL in bits from a connectivity matrix.
     *
     * @throws IllegalArgumentException if L is not square, not symmetric (to 1e-9) or not finite
     */
    public static double entropyBits(double[][] connectivity) {
        return entropyBits(connectivity, LinearAlgebra.getDefault());
    }

    /** 2^S_NL of f on the points, T = 21, every point used. */
    public static double lmn(FunctionOracle f, double[][] points) {
        return Math.pow(2, entropyBits(connectivity(f, points)));
    }

    /** S_NL of eigenvalues (signed; absolute values are normalised). */
    public static double entropyBitsOfEigenvalues(double[] eigenvalues) {
        double sum = 0;
        for (double v : eigenvalues) {
            sum += Math.abs(v);
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("connectivity has no non-zero eigenvalue");
        }
        double s = 0;
        for (double v : eigenvalues) {
            double p = Math.abs(v) / sum;
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
     * Full evaluation on the given points (no sub-sampling), with timings.
     *
     * @throws IllegalArgumentException on bad points or oracle output (see the class comment)
     */
    public Result analyze(FunctionOracle f, double[][] points) {
        Builder b = new Builder(f, points, options.interpolationPoints(), options.batchRows());
        long t0 = System.nanoTime();
        double[][] l = b.build();
        long t1 = System.nanoTime();
        int n = l.length;
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(l[i], 0, flat, i * n, n);
        }
        double[] ev = la().symmetricEigen(n, flat, false).eigenvalues();
        double s = entropyBitsOfEigenvalues(ev);
        long t2 = System.nanoTime();
        return new Result(Math.pow(2, s), s, l, ev, b.rowsEvaluated, b.oracleNanos, (t1 - t0) - b.oracleNanos, t2 - t1);
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
        double[][] points = subsample(all, options.sampleCount(), options.seed());
        Result r = analyze(f, points);
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
        details.put("l2_norm", l2Norm(context.parameters()));
        EstimationCost cost = new EstimationCost(System.nanoTime() - start, 0, r.rowsEvaluated(), r.oracleNanos());
        return ComplexityEstimate.of(NAME, r.lmn(), unit(), List.of(), details, cost);
    }

    /**
     * &radic;(&Sigma; w&sup2;) over every parameter: the L2 norm baseline of the paper.
     *
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

    /** Builds L by streaming batches of interpolated points through the oracle. */
    private static final class Builder {
        private final FunctionOracle f;
        private final double[][] x;
        private final int n;
        private final int d1;
        private final int t;
        private final int interior;
        private final int pairsPerBatch;
        private final double[] lambda;
        private final double[] centred;
        private final double lambdaSs;
        long rowsEvaluated;
        long oracleNanos;
        private int d2 = -1;
        private double[][] ends;

        Builder(FunctionOracle f, double[][] points, int t, int batchRows) {
            Objects.requireNonNull(f, "function oracle");
            Objects.requireNonNull(points, "points");
            checkPoints(points);
            if (f instanceof FactoredFunctionOracle ff) {
                // interpolate after the affine first step: exact, and A is paid N times, not N^2 T / 2
                int count = points.length;
                long s = System.nanoTime();
                points = ff.affinePrefix(points);
                oracleNanos += System.nanoTime() - s;
                rowsEvaluated += count;
                if (points == null || points.length != count) {
                    throw new IllegalArgumentException("affine prefix of the function oracle returned "
                            + (points == null ? "null" : points.length + " rows") + " for " + count + " points");
                }
                checkPoints(points);
                f = ff::applyAfterPrefix;
            }
            this.f = f;
            if (points.length < 2) {
                throw new IllegalArgumentException("linear mapping number needs at least 2 points, got " + points.length);
            }
            this.x = points;
            this.n = points.length;
            this.d1 = points[0].length;
            this.t = t;
            this.interior = t - 2;
            this.pairsPerBatch = Math.max(1, batchRows / interior);
            this.lambda = new double[t];
            double mean = 0;
            for (int s = 0; s < t; s++) {
                lambda[s] = (double) s / (t - 1);
                mean += lambda[s];
            }
            mean /= t;
            this.centred = new double[t];
            double ss = 0;
            for (int s = 0; s < t; s++) {
                centred[s] = lambda[s] - mean;
                ss += centred[s] * centred[s];
            }
            this.lambdaSs = ss;
        }

        private static void checkPoints(double[][] points) {
            if (points.length < 2) {
                throw new IllegalArgumentException("linear mapping number needs at least 2 points, got " + points.length);
            }
            int d = points[0] == null ? -1 : points[0].length;
            for (int i = 0; i < points.length; i++) {
                if (points[i] == null || points[i].length != d) {
                    throw new IllegalArgumentException("point " + i + " has " + (points[i] == null ? "no"
                            : points[i].length) + " coordinates, point 0 has " + d);
                }
                for (int k = 0; k < d; k++) {
                    if (!Double.isFinite(points[i][k])) {
                        throw new IllegalArgumentException("point " + i + " coordinate " + k + " is " + points[i][k]);
                    }
                }
            }
        }

        private double[][] call(double[][] in, String what) {
            long s = System.nanoTime();
            double[][] out = f.apply(in);
            oracleNanos += System.nanoTime() - s;
            rowsEvaluated += in.length;
            if (out == null || out.length != in.length) {
                throw new IllegalArgumentException("function oracle returned " + (out == null ? "null" : out.length + " rows")
                        + " for " + in.length + " inputs (" + what + ")");
            }
            if (d2 < 0) {
                d2 = out[0].length;
                if (d2 == 0) {
                    throw new IllegalArgumentException("function oracle returned rows of length 0");
                }
            }
            for (double[] row : out) {
                if (row == null || row.length != d2) {
                    throw new IllegalArgumentException("function oracle returned a row of length "
                            + (row == null ? "null" : row.length) + ", expected " + d2 + " (" + what + ")");
                }
            }
            return out;
        }

        double[][] build() {
            ends = call(x, "the sample points");
            for (int i = 0; i < n; i++) {
                checkFinite(ends[i], i, i, 0.0);
            }
            double[][] l = new double[n][n];
            for (int i = 0; i < n; i++) {
                l[i][i] = 1.0;
            }
            int[] pi = new int[pairsPerBatch];
            int[] pj = new int[pairsPerBatch];
            int count = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    pi[count] = i;
                    pj[count] = j;
                    if (++count == pairsPerBatch) {
                        flush(pi, pj, count, l);
                        count = 0;
                    }
                }
            }
            if (count > 0) {
                flush(pi, pj, count, l);
            }
            return l;
        }

        private void flush(int[] pi, int[] pj, int count, double[][] l) {
            double[][] in = new double[count * interior][];
            for (int p = 0; p < count; p++) {
                double[] a = x[pi[p]];
                double[] b = x[pj[p]];
                for (int s = 1; s <= interior; s++) {
                    double lam = lambda[s];
                    double[] row = new double[d1];
                    for (int k = 0; k < d1; k++) {
                        row[k] = a[k] + lam * (b[k] - a[k]);
                    }
                    in[p * interior + s - 1] = row;
                }
            }
            double[][] out = call(in, "interpolated points");
            double[] sum = new double[d2];
            double[] sumSq = new double[d2];
            double[] cov = new double[d2];
            for (int p = 0; p < count; p++) {
                int i = pi[p];
                int j = pj[p];
                double[] y0 = ends[i];
                double[] y1 = ends[j];
                // values are shifted by y(0): variance and covariance are shift-invariant, and the
                // one-pass sums lose no precision to a large common offset
                for (int k = 0; k < d2; k++) {
                    double e = y1[k] - y0[k];
                    sum[k] = e;
                    sumSq[k] = e * e;
                    cov[k] = centred[t - 1] * e;
                }
                for (int s = 1; s <= interior; s++) {
                    double[] y = out[p * interior + s - 1];
                    double c = centred[s];
                    for (int k = 0; k < d2; k++) {
                        double v = y[k] - y0[k];
                        sum[k] += v;
                        sumSq[k] += v * v;
                        cov[k] += c * v;
                    }
                }
                double acc = 0;
                for (int k = 0; k < d2; k++) {
                    double var = sumSq[k] - sum[k] * sum[k] / t;
                    if (!Double.isFinite(var) || !Double.isFinite(cov[k])) {
                        for (int s = 1; s <= interior; s++) {
                            checkFinite(out[p * interior + s - 1], i, j, lambda[s]);
                        }
                    }
                    if (var <= 1e-24 * sumSq[k]) {
                        acc += 1.0;
                    } else {
                        double r2 = cov[k] * cov[k] / (var * lambdaSs);
                        acc += Math.min(1.0, Math.max(0.0, r2));
                    }
                }
                double lij = acc / d2;
                l[i][j] = lij;
                l[j][i] = lij;
            }
        }

        private static void checkFinite(double[] y, int i, int j, double lam) {
            for (int k = 0; k < y.length; k++) {
                if (!Double.isFinite(y[k])) {
                    throw new IllegalArgumentException("function oracle output " + k + " is " + y[k] + " for pair ("
                            + i + ", " + j + ") at lambda " + lam);
                }
            }
        }
    }
}
