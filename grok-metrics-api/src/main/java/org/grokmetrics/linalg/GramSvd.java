package org.grokmetrics.linalg;

import java.util.Optional;

/**
 * Singular values and a low-rank basis from the eigen-decomposition of the short side's Gram matrix
 * ({@link GramMatrix}): for an m&times;n matrix A with k = min(m, n), G = A&middot;A&#7488; (m &le; n) or
 * A&#7488;&middot;A (m &gt; n) is k&times;k, its eigenvalues are &sigma;<sub>i</sub>&sup2; and its
 * eigenvectors the singular vectors of the short side. k&sup2;&middot;max(m, n) flops for G plus one k&times;k
 * symmetric eigen-decomposition (by whichever {@link LinearAlgebra} is given, so ND4J's LAPACK when it
 * is in use, with that provider's checks), against EJML's bidiagonalisation of the whole matrix:
 * 3&ndash;10&times; faster on the shapes of GPT-2 (figures in docs/performance.md).
 *
 * <h2>Accuracy</h2>
 * Forming G squares the condition number: an eigenvalue carries an absolute error of about
 * k&middot;&epsilon;&middot;&sigma;<sub>1</sub>&sup2; (&epsilon; = 2<sup>&minus;53</sup>), so &sigma;<sub>i</sub> = &radic;&lambda;<sub>i</sub>
 * one of about k&middot;&epsilon;&middot;&sigma;<sub>1</sub>&sup2;/(2&sigma;<sub>i</sub>).
 * {@link #singularValues} returns the values only where that bound, at the smallest value, stays below
 * {@value #VALUE_TOLERANCE}&middot;&sigma;<sub>1</sub> (ten times tighter than {@link LinearAlgebraSelfCheck}'s
 * agreement); otherwise (ill-conditioned and rank-deficient matrices) it returns empty and the caller
 * uses a full SVD. {@link #basis} is not an SVD: it is a rank-k approximation A&middot;V<sub>k</sub>V<sub>k</sub>&#7488;
 * or U<sub>k</sub>U<sub>k</sub>&#7488;&middot;A, the orthogonal projection onto the leading eigenvectors, valid
 * for any conditioning (the projection is what it is even where the small singular vectors are
 * inaccurate); its values are &radic;&lambda; with the absolute error above.
 */
public final class GramSvd {

    /** The largest estimated error of a singular value, relative to &sigma;<sub>1</sub>, that {@link #singularValues} accepts. */
    public static final double VALUE_TOLERANCE = 1e-10;

    /** Below this short side the classic SVD is cheap enough; the Gram path is not taken. */
    public static final int MIN_SHORT_SIDE = 32;

    private static final double EPS = Math.ulp(1.0) / 2;

    /** Output rows per block of {@link Basis#floatFactors}' projection. */
    private static final int BLOCK = 64;

    /** Rows and columns of a register tile of the projection. */
    private static final int TILE = 4;

    private GramSvd() {
    }

    /**
     * The singular values of the m&times;n row-major matrix, descending, if the Gram path is accurate to
     * {@value #VALUE_TOLERANCE}&middot;&sigma;<sub>1</sub> for this matrix (short side at least
     * {@value #MIN_SHORT_SIDE}, smallest value not too small); empty otherwise.
     *
     * @param la   the eigen-decomposition used for G
     * @param rows the number of rows m
     * @param cols the number of columns n
     * @param a    the m&middot;n entries, row-major (not modified)
     * @return the min(m, n) singular values, descending; empty where the Gram path is not accurate enough
     * @throws IllegalArgumentException if the sizes disagree or a value is not finite
     */
    public static Optional<double[]> singularValues(LinearAlgebra la, int rows, int cols, double[] a) {
        LinearAlgebra.checkMatrix(rows, cols, a);
        return singularValues(la, rows, cols, MatrixRows.of(a, cols), DecompositionInvariants.maxAbs(a));
    }

    /**
     * {@link #singularValues(LinearAlgebra, int, int, double[])} of a matrix read through {@code a}, a row
     * segment at a time: the same values as over an array of the same entries, and the matrix never copied
     * whole (a float tensor read in place: {@link MatrixRows#of(java.nio.FloatBuffer, int, double)}).
     *
     * @param la   the eigen-decomposition used for G
     * @param rows the number of rows m, &ge; 0
     * @param cols the number of columns n, &ge; 0
     * @param a    the entries
     * @return the min(m, n) singular values, descending; empty where the Gram path does not apply
     * @throws IllegalArgumentException if an entry is not finite (the whole matrix is scanned first)
     */
    public static Optional<double[]> singularValues(LinearAlgebra la, int rows, int cols, MatrixRows a) {
        return singularValues(la, rows, cols, a, MatrixRows.maxAbs(rows, cols, a));
    }

    private static Optional<double[]> singularValues(LinearAlgebra la, int rows, int cols, MatrixRows a, double scale) {
        int k = Math.min(rows, cols);
        if (k < MIN_SHORT_SIDE || scale == 0) {
            return Optional.empty();
        }
        // entries already of order 1 (spectral entropy scales by a power of two first) are used as they are;
        // others are divided by their largest magnitude as they are read
        boolean asIs = scale >= 0.5 && scale <= 4;
        double[] lambda = la.symmetricEigen(k, GramMatrix.of(rows, cols, asIs ? a : MatrixRows.divided(a, scale)),
                false).eigenvalues();
        scale = asIs ? 1 : scale;
        double l1 = lambda[0];
        double lk = lambda[k - 1];
        if (!(l1 > 0) || !(lk > 0)) {
            return Optional.empty();
        }
        // error of sigma_k ~ k eps lambda_1 / (2 sigma_k), relative to sigma_1
        double error = k * EPS * Math.sqrt(l1) / (2 * Math.sqrt(lk));
        if (!(error <= VALUE_TOLERANCE)) {
            return Optional.empty();
        }
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = Math.sqrt(lambda[i]) * scale;
        }
        return Optional.of(s);
    }

    /**
     * The short side's eigenvectors of the m&times;n row-major matrix and the singular values
     * &radic;max(&lambda;, 0), descending: enough for rank-k factors ({@link Basis#factors}) of any k.
     *
     * @param la   the eigen-decomposition used for G (with vectors)
     * @param rows the number of rows m
     * @param cols the number of columns n
     * @param a    the m&middot;n entries, row-major (not modified)
     * @return the basis; zero values and vectors for an empty or zero matrix
     * @throws IllegalArgumentException if the sizes disagree or a value is not finite
     */
    public static Basis basis(LinearAlgebra la, int rows, int cols, double[] a) {
        LinearAlgebra.checkMatrix(rows, cols, a);
        return basis(la, rows, cols, MatrixRows.of(a, cols), DecompositionInvariants.maxAbs(a));
    }

    /**
     * {@link #basis(LinearAlgebra, int, int, double[])} of a matrix read through {@code a}, one row segment at
     * a time: no copy of the whole matrix is made (the caller checks that its values are finite).
     *
     * @param la   the eigen-decomposition used for G (with vectors)
     * @param rows the number of rows m
     * @param cols the number of columns n
     * @param a    the entries
     * @return the basis; zero values and vectors for an empty or zero matrix
     */
    public static Basis basis(LinearAlgebra la, int rows, int cols, MatrixRows a) {
        return basis(la, rows, cols, a, MatrixRows.maxAbs(rows, cols, a));
    }

    private static Basis basis(LinearAlgebra la, int rows, int cols, MatrixRows a, double maxAbs) {
        int k = Math.min(rows, cols);
        double scale = maxAbs;
        if (k == 0 || scale == 0) {
            return new Basis(rows, cols, new double[k], new double[k * k]);
        }
        // entries already of order 1 (a caller may scale them by a power of two) are used as they are; others
        // are divided by their largest magnitude as they are read
        boolean asIs = scale >= 0.5 && scale <= 4;
        SymmetricEigen e = la.symmetricEigen(k, GramMatrix.of(rows, cols, asIs ? a : MatrixRows.divided(a, scale)), true);
        scale = asIs ? 1 : scale;
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = Math.sqrt(Math.max(e.eigenvalues()[i], 0)) * scale;
        }
        return new Basis(rows, cols, s, e.vectors());
    }

    /**
     * The Gram eigen-decomposition of one matrix: singular values and the k&times;k short-side eigenvectors
     * Q (column j for &sigma;<sub>j</sub>). Arrays are read-only.
     *
     * @param rows           m
     * @param cols           n
     * @param singularValues &radic;max(&lambda;<sub>i</sub>, 0), descending, length k = min(m, n)
     * @param vectors        Q, k&times;k row-major: U's columns for m &le; n, V's for m &gt; n
     */
    public record Basis(int rows, int cols, double[] singularValues, double[] vectors) {

        /**
         * Rank-r factors L (m&times;r) and R (r&times;n) of the orthogonal projection of {@code a} (the matrix
         * this basis was computed from) onto the leading r eigenvectors: L&middot;R = U<sub>r</sub>U<sub>r</sub>&#7488;A
         * (m &le; n) or A&middot;V<sub>r</sub>V<sub>r</sub>&#7488; (m &gt; n), up to rounding. R's rows have unit
         * norm (or are zero, with L's column, where the projection has none), so L's column norms are the
         * singular values of the projection: the convention U<sub>r</sub>diag(&sigma;), V<sub>r</sub>&#7488; of a
         * truncated SVD. k&middot;r&middot;max(m, n) flops.
         *
         * @param a the m&middot;n row-major matrix this basis was computed from
         * @param r the rank, in [0, k]
         * @return {L, R}: L m&times;r and R r&times;n, both row-major
         * @throws IllegalArgumentException if r is outside [0, k]
         */
        public double[][] factors(double[] a, int r) {
            return factors(MatrixRows.of(a, cols), r);
        }

        private double[][] factors(MatrixRows a, int r) {
            int m = rows;
            int n = cols;
            int k = singularValues.length;
            if (r < 0 || r > k) {
                throw new IllegalArgumentException("rank " + r + " of a " + m + "x" + n + " matrix");
            }
            double[] left = new double[m * r];
            double[] right = new double[r * n];
            if (m <= n) {
                // B^T = A^T U_r (n x r); right = rows of B normalised, left = U_r scaled by their norms
                double[] bt = project(a, m, n, true, vectors, k, r);
                for (int l = 0; l < r; l++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        double x = bt[j * r + l];
                        s += x * x;
                    }
                    double norm = Math.sqrt(s);
                    for (int j = 0; j < n; j++) {
                        right[l * n + j] = norm == 0 ? 0 : bt[j * r + l] / norm;
                    }
                    for (int i = 0; i < m; i++) {
                        left[i * r + l] = norm == 0 ? 0 : vectors[i * k + l] * norm;
                    }
                }
            } else {
                // left = A V_r (m x r), right = V_r^T; V_r's columns already have unit norm
                left = project(a, m, n, false, vectors, k, r);
                for (int l = 0; l < r; l++) {
                    for (int j = 0; j < n; j++) {
                        right[l * n + j] = vectors[j * k + l];
                    }
                }
            }
            return new double[][] {left, right};
        }

        /**
         * {@link #factors} rounded to float, the left factor's values times {@code scale} (so that L&middot;R is the
         * projection of scale &middot; A: a caller that scaled A by a power of two scales it back exactly), without
         * the factors in double: the left factor of a tall matrix (m&times;r, at GPT-2's embedding 50257&times;720)
         * is projected block by block straight into float. The values equal
         * {@code (float) (scale * factors(a, r)[0][i])} and {@code (float) factors(a, r)[1][i]}.
         *
         * @param a     the m&middot;n row-major matrix this basis was computed from
         * @param r     the rank, in [0, k]
         * @param scale the factor applied to the left factor's values (1 for none; a power of two keeps them exact)
         * @return {L, R} in float: L m&times;r and R r&times;n, both row-major
         * @throws IllegalArgumentException if r is outside [0, k]
         */
        public float[][] floatFactors(double[] a, int r, double scale) {
            return floatFactors(MatrixRows.of(a, cols), r, scale);
        }

        /**
         * {@link #floatFactors(double[], int, double)} of the matrix read through {@code a} (the one this basis was
         * computed from), without a copy of it.
         *
         * @param a     the entries
         * @param r     the rank, in [0, k]
         * @param scale the factor applied to the left factor's values
         * @return {L, R} in float: L m&times;r and R r&times;n, both row-major
         * @throws IllegalArgumentException if r is outside [0, k]
         */
        public float[][] floatFactors(MatrixRows a, int r, double scale) {
            int m = rows;
            int n = cols;
            int k = singularValues.length;
            if (r < 0 || r > k) {
                throw new IllegalArgumentException("rank " + r + " of a " + m + "x" + n + " matrix");
            }
            if (m <= n) {
                double[][] f = factors(a, r);
                return new float[][] {toFloat(f[0], scale), toFloat(f[1], 1)};
            }
            float[] left = new float[m * r];
            double[] packed = pack(vectors, k, r, n);
            double[] block = new double[BLOCK * r];
            for (int o0 = 0; o0 < m; o0 += BLOCK) {
                int o1 = Math.min(m, o0 + BLOCK);
                projectRows(a, n, false, packed, r, o0, o1, block);
                for (int i = 0; i < (o1 - o0) * r; i++) {
                    left[o0 * r + i] = (float) (scale * block[i]);
                }
            }
            float[] right = new float[r * n];
            for (int l = 0; l < r; l++) {
                for (int j = 0; j < n; j++) {
                    right[l * n + j] = (float) vectors[j * k + l];
                }
            }
            return new float[][] {left, right};
        }

        private static float[] toFloat(double[] x, double scale) {
            float[] f = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                f[i] = (float) (scale * x[i]);
            }
            return f;
        }

        /**
         * A&middot;Q<sub>r</sub> (m&times;r; Q's rows indexed by A's columns) or, {@code transposed},
         * A&#7488;&middot;Q<sub>r</sub> (n&times;r; Q's rows indexed by A's rows), Q<sub>r</sub> the first r columns of the
         * k-column row-major Q ({@link #projectRows} over all output rows).
         */
        private static double[] project(MatrixRows a, int m, int n, boolean transposed, double[] q, int k, int r) {
            int outRows = transposed ? n : m;
            int inner = transposed ? m : n;
            double[] out = new double[outRows * r];
            projectRows(a, n, transposed, pack(q, k, r, inner), r, 0, outRows, out);
            return out;
        }

        /** Q<sub>r</sub> (inner rows of Q, k columns) in panels of {@value #TILE} columns, zero-padded. */
        private static double[] pack(double[] q, int k, int r, int inner) {
            int panels = (r + TILE - 1) / TILE;
            double[] packed = new double[panels * inner * TILE];
            for (int pn = 0; pn < panels; pn++) {
                int l0 = pn * TILE;
                for (int p = 0; p < inner; p++) {
                    for (int c = 0; c < TILE; c++) {
                        packed[(pn * inner + p) * TILE + c] = l0 + c < r ? q[p * k + l0 + c] : 0.0;
                    }
                }
            }
            return packed;
        }

        /**
         * Output rows o0..o1 of {@link #project} into {@code out} (row o at (o &minus; o0)&middot;r), from Q<sub>r</sub>
         * packed by {@link #pack}. Each entry is one fused multiply-add chain over the inner index in ascending
         * order, in 4&times;4 tiles held in registers; a tile's four rows (or, transposed, columns) of A are read
         * once into a small buffer (the same values on every call and thread).
         */
        private static void projectRows(MatrixRows a, int n, boolean transposed, double[] packed, int r, int o0,
                                        int o1, double[] out) {
            int panels = (r + TILE - 1) / TILE;
            int inner = packed.length / Math.max(1, panels * TILE);
            double[] x = new double[TILE * inner];
            double[] seg = new double[TILE];
            double[] tile = new double[TILE * TILE];
            for (int o = o0; o < o1; o += TILE) {
                int rows = Math.min(TILE, o1 - o);
                // rows past the end repeat the last one; their sums are dropped
                if (transposed) {
                    for (int p = 0; p < inner; p++) {
                        a.read(p, o, seg, 0, rows);
                        for (int t = 0; t < TILE; t++) {
                            x[t * inner + p] = seg[Math.min(t, rows - 1)];
                        }
                    }
                } else {
                    for (int t = 0; t < TILE; t++) {
                        a.read(o + Math.min(t, rows - 1), 0, x, t * inner, n);
                    }
                }
                for (int pn = 0; pn < panels; pn++) {
                    int l0 = pn * TILE;
                    int cols = Math.min(TILE, r - l0);
                    int base = pn * inner * TILE;
                    double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                    double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
                    for (int p = 0; p < inner; p++) {
                        int pp = base + p * TILE;
                        double y0 = packed[pp];
                        double y1 = packed[pp + 1];
                        double y2 = packed[pp + 2];
                        double y3 = packed[pp + 3];
                        double v = x[p];
                        s00 = Math.fma(v, y0, s00);
                        s01 = Math.fma(v, y1, s01);
                        s02 = Math.fma(v, y2, s02);
                        s03 = Math.fma(v, y3, s03);
                        v = x[inner + p];
                        s10 = Math.fma(v, y0, s10);
                        s11 = Math.fma(v, y1, s11);
                        s12 = Math.fma(v, y2, s12);
                        s13 = Math.fma(v, y3, s13);
                        v = x[2 * inner + p];
                        s20 = Math.fma(v, y0, s20);
                        s21 = Math.fma(v, y1, s21);
                        s22 = Math.fma(v, y2, s22);
                        s23 = Math.fma(v, y3, s23);
                        v = x[3 * inner + p];
                        s30 = Math.fma(v, y0, s30);
                        s31 = Math.fma(v, y1, s31);
                        s32 = Math.fma(v, y2, s32);
                        s33 = Math.fma(v, y3, s33);
                    }
                    tile[0] = s00;
                    tile[1] = s01;
                    tile[2] = s02;
                    tile[3] = s03;
                    tile[4] = s10;
                    tile[5] = s11;
                    tile[6] = s12;
                    tile[7] = s13;
                    tile[8] = s20;
                    tile[9] = s21;
                    tile[10] = s22;
                    tile[11] = s23;
                    tile[12] = s30;
                    tile[13] = s31;
                    tile[14] = s32;
                    tile[15] = s33;
                    for (int i = 0; i < rows; i++) {
                        System.arraycopy(tile, i * TILE, out, (o + i - o0) * r + l0, cols);
                    }
                }
            }
        }
    }

}
