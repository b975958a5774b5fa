package org.grokmetrics.lmn;

import java.util.Objects;

import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;

/**
 * The connectivity matrix L of {@link LinearMappingNumber}: L_ij = (1/d2) &Sigma;_k r&sup2;(y_ij,k, &lambda;)
 * on the segment from x_i to x_j, L_ii = 1, computed by streaming batches of interpolated points through
 * the oracle. Every step receives what it works on as parameters; the only mutable object is the
 * {@link CountingOracle} of one computation, which counts and validates the oracle's calls.
 *
 * <p>An output coordinate whose variance over the T points is at most 1e-24 times its mean square of
 * y &minus; y(0) is constant, hence linear (r&sup2; = 1). Not part of the public API: use
 * {@link LinearMappingNumber#connectivity} or {@link LinearMappingNumber#analyze}.
 */
final class LinearConnectivity {

    /**
     * L and what computing it cost in oracle calls.
     *
     * @param matrix        L (N&times;N, symmetric, ones on the diagonal)
     * @param rowsEvaluated rows passed to the oracle (the affine prefix's included)
     * @param oracleNanos   time inside the oracle
     */
    record Computed(double[][] matrix, long rowsEvaluated, long oracleNanos) {
    }

    /**
     * The interpolation grid: &lambda;_s = s/(T&minus;1), the same centred, and
     * &Sigma;(&lambda; &minus; &lang;&lambda;&rang;)&sup2;.
     */
    private record Grid(double[] lambda, double[] centred, double sumSquares) {

        static Grid of(int t) {
            double[] lambda = new double[t];
            double mean = 0;
            for (int s = 0; s < t; s++) {
                lambda[s] = (double) s / (t - 1);
                mean += lambda[s];
            }
            mean /= t;
            double[] centred = new double[t];
            double ss = 0;
            for (int s = 0; s < t; s++) {
                centred[s] = lambda[s] - mean;
                ss += centred[s] * centred[s];
            }
            return new Grid(lambda, centred, ss);
        }

        int points() {
            return lambda.length;
        }

        int interior() {
            return lambda.length - 2;
        }
    }

    /** The most input values per oracle call (2<sup>21</sup>: 16 MB of doubles), whatever the batch rows. */
    static final int BATCH_VALUES = 1 << 21;

    private LinearConnectivity() {
    }

    /**
     * L of f on the points with T = {@code t} interpolation points, about {@code batchRows} rows per
     * oracle call but at most {@link #BATCH_VALUES} values (and at least one segment's interior). A {@link FactoredFunctionOracle} is interpolated after its affine prefix (exact).
     *
     * @throws IllegalArgumentException on bad points or oracle output (see {@link LinearMappingNumber})
     */
    static Computed compute(FunctionOracle f, double[][] points, int t, int batchRows) {
        Objects.requireNonNull(f, "function oracle");
        Objects.requireNonNull(points, "points");
        checkPoints(points);
        // the oracle gets copies of every array this computation keeps: one that writes into its input batch
        // changes neither the caller's points nor L
        points = copy(points);
        CountingOracle oracle;
        if (f instanceof FactoredFunctionOracle ff) {
            // interpolate after the affine first step: exact, and A is paid N times, not N^2 T / 2
            oracle = new CountingOracle(ff::applyAfterPrefix);
            points = oracle.affinePrefix(ff, points);
            checkPoints(points);
        } else {
            oracle = new CountingOracle(f);
        }
        Grid grid = Grid.of(t);
        // at most BATCH_VALUES input values per call: a wide layer's batches of thousands of rows cost a framework
        // more in allocating them than in the arithmetic (ND4J, d = 3072: 8,192 rows 2.3x slower than 512)
        int rows = Math.min(batchRows, Math.max(grid.interior(), BATCH_VALUES / Math.max(1, points[0].length)));
        double[][] l = matrix(oracle, points, grid, Math.max(1, rows / grid.interior()));
        return new Computed(l, oracle.rows, oracle.nanos);
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

    /** A deep copy of a matrix of rows. */
    static double[][] copy(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i] == null ? null : rows[i].clone();
        }
        return out;
    }

    /** L over every pair i &lt; j, {@code pairsPerBatch} segments per oracle call. */
    private static double[][] matrix(CountingOracle oracle, double[][] x, Grid grid, int pairsPerBatch) {
        int n = x.length;
        // kept for every pair: a copy, so that an oracle that reuses its output buffer cannot change them later
        double[][] ends = copy(oracle.call(copy(x), "the sample points"));
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
                    fillPairs(oracle, x, ends, grid, pi, pj, count, l);
                    count = 0;
                }
            }
        }
        if (count > 0) {
            fillPairs(oracle, x, ends, grid, pi, pj, count, l);
        }
        return l;
    }

    /** The interior points of the first {@code count} segments (pi[p], pj[p]), in one batch. */
    private static double[][] interpolate(double[][] x, Grid grid, int[] pi, int[] pj, int count) {
        int interior = grid.interior();
        int d1 = x[0].length;
        double[][] in = new double[count * interior][];
        for (int p = 0; p < count; p++) {
            double[] a = x[pi[p]];
            double[] b = x[pj[p]];
            for (int s = 1; s <= interior; s++) {
                double lam = grid.lambda()[s];
                double[] row = new double[d1];
                for (int k = 0; k < d1; k++) {
                    row[k] = a[k] + lam * (b[k] - a[k]);
                }
                in[p * interior + s - 1] = row;
            }
        }
        return in;
    }

    /** Evaluates one batch of segments and writes their L_ij and L_ji. */
    private static void fillPairs(CountingOracle oracle, double[][] x, double[][] ends, Grid grid, int[] pi, int[] pj,
                                  int count, double[][] l) {
        int interior = grid.interior();
        double[][] out = oracle.call(interpolate(x, grid, pi, pj, count), "interpolated points");
        for (int p = 0; p < count; p++) {
            int i = pi[p];
            int j = pj[p];
            double lij = segment(ends[i], ends[j], out, p * interior, grid, i, j);
            l[i][j] = lij;
            l[j][i] = lij;
        }
    }

    /**
     * (1/d2) &Sigma;_k r&sup2; of one segment: ends y0 and y1, interior outputs out[first ..
     * first + T &minus; 3].
     */
    private static double segment(double[] y0, double[] y1, double[][] out, int first, Grid grid, int i, int j) {
        int t = grid.points();
        int interior = grid.interior();
        double[] centred = grid.centred();
        int d2 = y0.length;
        double[] sum = new double[d2];
        double[] sumSq = new double[d2];
        double[] cov = new double[d2];
        // r^2 is scale-invariant per output: each is divided by a power of two (exact) near its largest |value|
        // on the segment, so that squares cannot overflow (outputs of 1e200) nor underflow
        double[] scale = new double[d2];
        for (int k = 0; k < d2; k++) {
            scale[k] = Math.max(Math.abs(y0[k]), Math.abs(y1[k]));
        }
        for (int s = 1; s <= interior; s++) {
            double[] y = out[first + s - 1];
            for (int k = 0; k < d2; k++) {
                scale[k] = Math.max(scale[k], Math.abs(y[k]));   // NaN-propagating: non-finite outputs fail below
            }
        }
        for (int k = 0; k < d2; k++) {
            scale[k] = inversePowerOfTwo(scale[k]);
        }
        // values are shifted by y(0): variance and covariance are shift-invariant, and the
        // one-pass sums lose no precision to a large common offset
        for (int k = 0; k < d2; k++) {
            double e = y1[k] * scale[k] - y0[k] * scale[k];
            sum[k] = e;
            sumSq[k] = e * e;
            cov[k] = centred[t - 1] * e;
        }
        for (int s = 1; s <= interior; s++) {
            double[] y = out[first + s - 1];
            double c = centred[s];
            for (int k = 0; k < d2; k++) {
                double v = y[k] * scale[k] - y0[k] * scale[k];
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
                    checkFinite(out[first + s - 1], i, j, grid.lambda()[s]);
                }
            }
            if (var <= 1e-24 * sumSq[k]) {
                acc += 1.0;
            } else {
                double r2 = cov[k] * cov[k] / (var * grid.sumSquares());
                acc += Math.min(1.0, Math.max(0.0, r2));
            }
        }
        return acc / d2;
    }

    /** 2^-e for the largest |value| m in [2^e, 2^(e+1)); 1 for 0 and for non-finite m (checked by the caller). */
    private static double inversePowerOfTwo(double m) {
        if (!(m > 0) || Double.isInfinite(m)) {
            return 1.0;
        }
        int e = m >= Double.MIN_NORMAL ? Math.getExponent(m) : Math.getExponent(Math.scalb(m, 64)) - 64;
        // 2^-e may itself be beyond double (e <= -1024): scale in two steps then
        return e > -1023 ? Math.scalb(1.0, -e) : Math.scalb(1.0, 1022);
    }

    private static void checkFinite(double[] y, int i, int j, double lam) {
        for (int k = 0; k < y.length; k++) {
            if (!Double.isFinite(y[k])) {
                throw new IllegalArgumentException("function oracle output " + k + " is " + y[k] + " for pair ("
                        + i + ", " + j + ") at lambda " + lam);
            }
        }
    }

    /** The oracle of one computation: counts rows and time, and checks every answer's shape. */
    private static final class CountingOracle {
        private final FunctionOracle f;
        private long rows;
        private long nanos;
        private int d2 = -1;

        CountingOracle(FunctionOracle f) {
            this.f = f;
        }

        /** The prefix A of a factored oracle on the points, counted as oracle work. */
        double[][] affinePrefix(FactoredFunctionOracle ff, double[][] points) {
            int count = points.length;
            long s = System.nanoTime();
            double[][] out = ff.affinePrefix(copy(points));
            nanos += System.nanoTime() - s;
            rows += count;
            if (out == null || out.length != count) {
                throw new IllegalArgumentException("affine prefix of the function oracle returned "
                        + (out == null ? "null" : out.length + " rows") + " for " + count + " points");
            }
            return copy(out);
        }

        double[][] call(double[][] in, String what) {
            long s = System.nanoTime();
            double[][] out = f.apply(in);
            nanos += System.nanoTime() - s;
            rows += in.length;
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
    }
}
