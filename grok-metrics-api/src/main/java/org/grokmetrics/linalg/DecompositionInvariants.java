package org.grokmetrics.linalg;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Identities every correct decomposition satisfies, checked in time linear in the matrix size: the
 * independent evaluation behind {@link CheckedLinearAlgebra} and {@link LinearAlgebraSelfCheck}.
 *
 * <h2>What is checked</h2>
 * For a thin SVD A = U&middot;diag(&sigma;)&middot;V&#7488; of an m&times;n matrix, k = min(m, n):
 * <pre>
 *   shape        &sigma; has k entries, all finite, &sigma;_1 &ge; &sigma;_2 &ge; &hellip; &ge; &sigma;_k &ge; 0
 *   Frobenius    |&Sigma; &sigma;_i&sup2; &minus; &Vert;A&Vert;&sup2;_F| &le; {@value #FROBENIUS_TOLERANCE} &middot; &Vert;A&Vert;&sup2;_F
 *   top value    &sigma;_1 &ge; (1 &minus; {@value #FROBENIUS_TOLERANCE}) &middot; &Vert;A v&Vert; / &Vert;v&Vert;  for v after
 *                {@value #POWER_STEPS} power steps (a lower bound on &sigma;_1 whatever v is)
 *   vectors      &Vert;A x &minus; U(&sigma; &#8728; V&#7488;x)&Vert; &le; {@value #PROBE_TOLERANCE} &middot; &sigma;_1 &Vert;x&Vert;,
 *                &Vert;U&#7488;U z &minus; z&Vert; and &Vert;V&#7488;V z &minus; z&Vert; &le; {@value #PROBE_TOLERANCE} &Vert;z&Vert;
 *                for pseudo-random x, z (Freivalds' check: a wrong factorisation passes with probability ~0)
 * </pre>
 * For a symmetric eigen-decomposition A = Q&middot;diag(&lambda;)&middot;Q&#7488;: &lambda; descending and finite,
 * &Sigma;&lambda;_i = tr A and &Sigma;&lambda;_i&sup2; = &Vert;A&Vert;&sup2;_F to the same tolerances (relative to
 * &Vert;A&Vert;_F&sup2;, and &radic;n&middot;&Vert;A&Vert;_F for the trace), and the probe
 * &Vert;A x &minus; Q(&lambda; &#8728; Q&#7488;x)&Vert; when vectors are present.
 *
 * <p>Norms are computed on A / max|a<sub>ij</sub>| so that neither overflow nor underflow can fake a
 * pass. The tolerances sit about five orders of magnitude above what backward-stable LAPACK and EJML
 * reach on matrices up to 4096&times;4096 (relative errors of 10<sup>&minus;15</sup>&ndash;10<sup>&minus;13</sup>
 * measured), and many orders below the errors of the defects they exist for (OpenBLAS 0.3.19's
 * AVX-512 kernels: relative errors of 0.27 to 22, see docs/measures.md). Passing them is necessary, not
 * sufficient: a spectrum could keep its sum of squares and its top value and still be wrong, which is why
 * a provider must also pass {@link LinearAlgebraSelfCheck} before it is used.
 *
 * <p>Cost: O(m&middot;n) per check with {@value #POWER_STEPS} power steps (about 4&middot;{@value #POWER_STEPS}
 * m&middot;n flops), small beside the O(m&middot;n&middot;k) decomposition it checks.
 */
public final class DecompositionInvariants {

    /** Relative tolerance of the Frobenius, trace and top-value identities. */
    public static final double FROBENIUS_TOLERANCE = 1e-9;

    /** Relative tolerance of the random-probe identities. */
    public static final double PROBE_TOLERANCE = 1e-8;

    /** Power-iteration steps behind the lower bound on &sigma;<sub>1</sub>. */
    public static final int POWER_STEPS = 3;

    private DecompositionInvariants() {
    }

    /**
     * The first identity the SVD of {@code a} violates, described in one line, or empty if it satisfies all.
     *
     * @param rows m, the input's rows
     * @param cols n, the input's columns
     * @param a    the m&times;n row-major input, as given to the decomposition
     * @param svd  its decomposition (with or without vectors)
     * @return the violation, e.g. a singular value out of order or a Frobenius norm that does not match
     * @throws IllegalArgumentException if an entry of {@code a} is not finite (naming its row and column)
     */
    public static Optional<String> violation(int rows, int cols, double[] a, Svd svd) {
        Optional<String> values = valueViolation(rows, cols, MatrixRows.of(a, cols), svd.singularValues());
        if (values.isPresent() || !svd.hasVectors() || Math.min(rows, cols) == 0) {
            return values;
        }
        double scale = maxAbs(a);
        return scale == 0 ? Optional.empty() : vectorViolation(rows, cols, a, svd, scale);
    }

    /**
     * The first identity that singular values of a matrix read through {@code a} violate (shape, Frobenius and
     * top value; a matrix that is not held whole has no vector check), or empty. The same arithmetic, in the
     * same order, as {@link #violation(int, int, double[], Svd)} over an array of the same entries.
     *
     * @param rows           m, the input's rows
     * @param cols           n, the input's columns
     * @param a              the m&times;n input, as given to the decomposition
     * @param singularValues its singular values
     * @return the violation described in one line, or empty
     * @throws IllegalArgumentException if an entry of {@code a} is not finite (naming its row and column)
     */
    public static Optional<String> valueViolation(int rows, int cols, MatrixRows a, double[] singularValues) {
        int k = Math.min(rows, cols);
        double[] s = singularValues;
        String shape = rows + "x" + cols;
        if (s == null || s.length != k) {
            return Optional.of(shape + ": " + (s == null ? "no" : s.length) + " singular values, expected " + k);
        }
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(s[i]) || s[i] < 0 || (i > 0 && s[i] > s[i - 1])) {
                return Optional.of(shape + ": singular value " + i + " = " + s[i]
                        + (i > 0 ? " after " + s[i - 1] : "") + " (must be finite, non-negative, descending)");
            }
        }
        if (k == 0) {
            return Optional.empty();
        }
        double scale = MatrixRows.maxAbs(rows, cols, a);
        if (scale == 0) {
            return s[0] == 0 ? Optional.empty() : Optional.of(shape + ": zero matrix with sigma_1 = " + s[0]);
        }
        double fro2 = 0;
        double[] row = new double[cols];
        for (int i = 0; i < rows; i++) {
            a.read(i, 0, row, 0, cols);
            for (double x : row) {
                double y = x / scale;
                fro2 += y * y;
            }
        }
        double sum2 = 0;
        for (double x : s) {
            double y = x / scale;
            sum2 += y * y;
        }
        if (!(Math.abs(sum2 - fro2) <= FROBENIUS_TOLERANCE * fro2)) {
            return Optional.of(String.format("%s: sum of squared singular values %.9g, squared Frobenius norm %.9g",
                    shape, sum2 * scale * scale, fro2 * scale * scale));
        }
        double lower = powerLowerBound(rows, cols, a, scale);
        if (!(s[0] / scale >= (1 - FROBENIUS_TOLERANCE) * lower)) {
            return Optional.of(String.format("%s: sigma_1 = %.9g below the power-iteration lower bound %.9g",
                    shape, s[0], lower * scale));
        }
        return Optional.empty();
    }

    /**
     * The first identity the symmetric eigen-decomposition of {@code a} violates, or empty.
     *
     * @param n     the order of the input
     * @param a     the n&times;n row-major input, as given to the decomposition
     * @param eigen its decomposition (with or without vectors)
     * @return the violation, described in one line
     */
    public static Optional<String> violation(int n, double[] a, SymmetricEigen eigen) {
        double[] l = eigen.eigenvalues();
        String shape = n + "x" + n;
        if (l == null || l.length != n) {
            return Optional.of(shape + ": " + (l == null ? "no" : l.length) + " eigenvalues, expected " + n);
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(l[i]) || (i > 0 && l[i] > l[i - 1])) {
                return Optional.of(shape + ": eigenvalue " + i + " = " + l[i] + " (must be finite, descending)");
            }
        }
        if (n == 0) {
            return Optional.empty();
        }
        double scale = maxAbs(a);
        if (scale == 0) {
            return Math.max(Math.abs(l[0]), Math.abs(l[n - 1])) == 0 ? Optional.empty()
                    : Optional.of(shape + ": zero matrix with a non-zero eigenvalue");
        }
        double fro2 = 0;
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += a[i * n + i] / scale;
            for (int j = 0; j < n; j++) {
                double y = a[i * n + j] / scale;
                fro2 += y * y;
            }
        }
        double sum = 0;
        double sum2 = 0;
        for (double x : l) {
            double y = x / scale;
            sum += y;
            sum2 += y * y;
        }
        if (!(Math.abs(sum2 - fro2) <= FROBENIUS_TOLERANCE * fro2)) {
            return Optional.of(String.format("%s: sum of squared eigenvalues %.9g, squared Frobenius norm %.9g",
                    shape, sum2 * scale * scale, fro2 * scale * scale));
        }
        if (!(Math.abs(sum - trace) <= FROBENIUS_TOLERANCE * Math.sqrt(n * fro2))) {
            return Optional.of(String.format("%s: sum of eigenvalues %.9g, trace %.9g", shape, sum * scale, trace * scale));
        }
        double[] q = eigen.vectors();
        if (q == null) {
            return Optional.empty();
        }
        if (q.length != n * n) {
            return Optional.of(shape + ": eigenvector matrix holds " + q.length + " values");
        }
        double[] x = probe(n, 1);
        double residual = factoredResidual(multiply(a, n, n, x, scale), q, n, multiplyTransposed(q, n, n, x, 1), l, scale);
        double bound = PROBE_TOLERANCE * Math.max(Math.abs(l[0]), Math.abs(l[n - 1])) / scale * norm(x);
        if (!(residual <= bound)) {
            return Optional.of(String.format("%s: |A x - Q diag(lambda) Q^T x| = %.3g exceeds %.3g",
                    shape, residual * scale, bound * scale));
        }
        return Optional.empty();
    }

    private static Optional<String> vectorViolation(int rows, int cols, double[] a, Svd svd, double scale) {
        int k = Math.min(rows, cols);
        String shape = rows + "x" + cols;
        double[] u = svd.u();
        double[] vt = svd.vt();
        if (u.length != rows * k || vt.length != k * cols) {
            return Optional.of(shape + ": U holds " + u.length + " and V^T " + vt.length + " values, expected "
                    + rows * k + " and " + k * cols);
        }
        double[] s = svd.singularValues();
        double[] x = probe(cols, 2);
        double residual = factoredResidual(multiply(a, rows, cols, x, scale), u, rows, multiply(vt, k, cols, x, 1), s, scale);
        double bound = PROBE_TOLERANCE * (s[0] / scale) * norm(x);
        if (!(residual <= bound)) {
            return Optional.of(String.format("%s: |A x - U diag(sigma) V^T x| = %.3g exceeds %.3g",
                    shape, residual * scale, bound * scale));
        }
        double[] z = probe(k, 3);
        double[] utuz = multiplyTransposed(u, rows, k, multiply(u, rows, k, z, 1), 1);
        double[] vvtz = multiply(vt, k, cols, multiplyTransposed(vt, k, cols, z, 1), 1);
        double zBound = PROBE_TOLERANCE * norm(z);
        if (!(distance(utuz, z) <= zBound) || !(distance(vvtz, z) <= zBound)) {
            return Optional.of(String.format("%s: singular vectors not orthonormal (|U^T U z - z| = %.3g, |V^T V z - z| = %.3g)",
                    shape, distance(utuz, z), distance(vvtz, z)));
        }
        return Optional.empty();
    }

    /**
     * &Vert;Ax/scale &minus; L&middot;(w/scale &#8728; Rx)&Vert; for a factorisation A = L&middot;diag(w)&middot;R, given
     * Ax/scale and Rx: the Freivalds residual of both decompositions (L = U or Q, R = V&#7488; or Q&#7488;).
     */
    private static double factoredResidual(double[] ax, double[] left, int rows, double[] rx, double[] w, double scale) {
        for (int j = 0; j < rx.length; j++) {
            rx[j] *= w[j] / scale;
        }
        return distance(ax, multiply(left, rows, rx.length, rx, 1));
    }

    /** &Vert;A v&Vert;/&Vert;v&Vert; of the scaled matrix after a few power steps on A&#7488;A: at most &sigma;_1/scale. */
    private static double powerLowerBound(int rows, int cols, MatrixRows a, double scale) {
        double[] v = probe(cols, 4);
        double estimate = 0;
        for (int step = 0; step < POWER_STEPS; step++) {
            double[] av = multiply(a, rows, cols, v, scale);
            double nv = norm(v);
            estimate = Math.max(estimate, norm(av) / nv);
            double[] atav = multiplyTransposed(a, rows, cols, av, scale);
            double n = norm(atav);
            if (n == 0) {
                break;
            }
            for (int j = 0; j < cols; j++) {
                v[j] = atav[j] / n;
            }
        }
        return estimate;
    }

    /** A fixed pseudo-random vector with entries in [-1, 1): the same for the same length and stream. */
    private static double[] probe(int length, int stream) {
        SplittableRandom r = new SplittableRandom(0x9E3779B97F4A7C15L * stream + length);
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        return x;
    }

    /** (M / scale) x for a row-major r&times;c matrix M. */
    private static double[] multiply(double[] m, int r, int c, double[] x, double scale) {
        return multiply(MatrixRows.of(m, c), r, c, x, scale);
    }

    /** (M / scale) x for an r&times;c matrix M read by rows. */
    private static double[] multiply(MatrixRows m, int r, int c, double[] x, double scale) {
        double[] y = new double[r];
        double[] row = new double[c];
        for (int i = 0; i < r; i++) {
            m.read(i, 0, row, 0, c);
            double acc = 0;
            for (int j = 0; j < c; j++) {
                acc += row[j] * x[j];
            }
            y[i] = acc / scale;
        }
        return y;
    }

    /** (M / scale)&#7488; y for an r&times;c matrix M read by rows. */
    private static double[] multiplyTransposed(MatrixRows m, int r, int c, double[] y, double scale) {
        double[] x = new double[c];
        double[] row = new double[c];
        for (int i = 0; i < r; i++) {
            m.read(i, 0, row, 0, c);
            double yi = y[i] / scale;
            for (int j = 0; j < c; j++) {
                x[j] += row[j] * yi;
            }
        }
        return x;
    }

    /** (M / scale)&#7488; y for a row-major r&times;c matrix M. */
    private static double[] multiplyTransposed(double[] m, int r, int c, double[] y, double scale) {
        return multiplyTransposed(MatrixRows.of(m, c), r, c, y, scale);
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static double distance(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
