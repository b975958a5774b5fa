package org.grokmetrics.compress;

import java.util.stream.IntStream;

/**
 * The exact product S = C<sub>A</sub> C<sub>B</sub> of two matrices of integer codes, C<sub>A</sub>
 * m&times;k and C<sub>B</sub> k&times;n, row-major, |codes| &le; 32767: the reconstruction of a low-rank
 * tensor of format version 3, whose weights are float(S<sub>ij</sub> &middot; (&Delta;<sub>A</sub>
 * &Delta;<sub>B</sub>)), the product of the two steps rounded to double once.
 *
 * <p>Every product of two codes is an integer of magnitude below 2<sup>30</sup> and every partial sum one
 * below k &middot; 2<sup>30</sup> &lt; 2<sup>53</sup> (k &le; {@link #MAX_RANK}), so double arithmetic holds
 * S exactly in any order of summation: the result does not depend on blocking, threads or on whether S was
 * built at once or by adding and removing factor columns ({@link #add}). That is what lets the compressor
 * move a cached S from rank k to rank k&prime; in m&middot;n&middot;|k &minus; k&prime;| multiply-adds
 * instead of rebuilding it, and the decoder still get the same floats bit for bit.
 */
final class CodeProduct {

    /** The largest rank whose sums stay exact in double: k &middot; 32767&sup2; &lt; 2<sup>53</sup>. */
    static final int MAX_RANK = 1 << 22;

    /** Rows per parallel task. */
    private static final int ROWS_PER_TASK = 32;

    /** Columns per block: eight accumulator rows of a block stay in the first-level cache. */
    private static final int COLUMNS_PER_BLOCK = 256;

    /** Multiply-adds above which the work runs in parallel. */
    private static final long PARALLEL_WORK = 1L << 22;

    private CodeProduct() {
    }

    /**
     * S += sign &middot; C<sub>A</sub>[:, from:to] C<sub>B</sub>[from:to, :], with C<sub>A</sub> of row
     * stride {@code strideA} (its rank) and C<sub>B</sub> of rows of length n.
     *
     * @param s       the m&times;n sums, updated in place
     * @param sign    +1 to add the columns, &minus;1 to remove them
     * @throws IllegalArgumentException if the rank exceeds {@link #MAX_RANK}
     */
    static void add(double[] s, int m, int n, int[] codesA, int strideA, int[] codesB, int from, int to, int sign) {
        checkRank(Math.max(strideA, to));
        if (to <= from || m == 0 || n == 0) {
            return;
        }
        run(s, null, Double.NaN, m, n, codesA, strideA, codesB, from, to, sign);
    }

    /**
     * With {@code out} null, S += sign &middot; (columns from..to); otherwise the exact sums of those columns,
     * times {@code scale}, rounded to float into {@code out} (no m&times;n array of sums).
     */
    private static void run(double[] s, float[] out, double scale, int m, int n, int[] codesA, int strideA,
                            int[] codesB, int from, int to, int sign) {
        int kk = to - from;
        // the factor columns and rows in use, as doubles (exact), once
        double[] a = new double[m * kk];
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < kk; l++) {
                a[i * kk + l] = (double) sign * codesA[i * strideA + from + l];
            }
        }
        double[] b = new double[kk * n];
        for (int l = 0; l < kk; l++) {
            int off = (from + l) * n;
            for (int j = 0; j < n; j++) {
                b[l * n + j] = codesB[off + j];
            }
        }
        accumulate(s, out, scale, a, b, m, kk, n);
    }

    /**
     * The kernel of both low-rank rules: for every entry, acc = (S<sub>ij</sub>, or 0 without S) +
     * &Sigma;<sub>l</sub> a<sub>il</sub> b<sub>lj</sub> in double, l ascending; then acc back into S, or
     * float(acc &middot; scale) into {@code out}. Rows in blocks of eight (sharing B's loads), blocks in
     * parallel above {@link #PARALLEL_WORK}: neither changes any entry's sum, so the result is the plain triple
     * loop's on any thread count (version 2's rule, {@link Coded#product}, relies on that; version 3's sums
     * are exact and would not need it).
     *
     * @param a m&times;k, row-major
     * @param b k&times;n, row-major
     */
    static void accumulate(double[] s, float[] out, double scale, double[] a, double[] b, int m, int k, int n) {
        int blocks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream stream = IntStream.range(0, blocks);
        if ((long) m * k * n >= PARALLEL_WORK) {
            stream = stream.parallel();
        }
        stream.forEach(blk -> rows(s, out, scale, n, a, b, k, blk * ROWS_PER_TASK, Math.min(m, (blk + 1) * ROWS_PER_TASK)));
    }

    /** The weights float(S<sub>ij</sub> &middot; (&Delta;<sub>A</sub> &Delta;<sub>B</sub>)) of exact sums S. */
    static float[] weights(double[] s, double deltaA, double deltaB) {
        double scale = deltaA * deltaB;
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) (s[i] * scale);
        }
        return out;
    }

    /** The weights of C<sub>A</sub> C<sub>B</sub> (rank k) built from scratch. */
    static float[] weights(int[] codesA, int[] codesB, int m, int k, int n, double deltaA, double deltaB) {
        checkRank(k);
        float[] out = new float[m * n];
        if (k > 0 && m > 0 && n > 0) {
            run(null, out, deltaA * deltaB, m, n, codesA, k, codesB, 0, k, 1);
        }
        return out;
    }

    private static void checkRank(int k) {
        if (k > MAX_RANK) {
            throw new IllegalArgumentException("rank " + k + " above " + MAX_RANK
                    + ", where sums of codes stop being exact in double");
        }
    }

    private static void rows(double[] s, float[] out, double scale, int n, double[] a, double[] b, int kk, int lo,
                             int hi) {
        int jb = Math.min(n, COLUMNS_PER_BLOCK);
        double[][] acc = new double[8][jb];
        double[] x = new double[8];
        for (int i = lo; i < hi; i += 8) {
            int rows = Math.min(8, hi - i);
            for (int j0 = 0; j0 < n; j0 += jb) {
                int len = Math.min(jb, n - j0);
                for (int r = 0; r < 8; r++) {
                    if (r < rows && s != null) {
                        System.arraycopy(s, (i + r) * n + j0, acc[r], 0, len);
                    } else {
                        java.util.Arrays.fill(acc[r], 0, len, 0.0);
                    }
                }
                double[] c0 = acc[0];
                double[] c1 = acc[1];
                double[] c2 = acc[2];
                double[] c3 = acc[3];
                double[] c4 = acc[4];
                double[] c5 = acc[5];
                double[] c6 = acc[6];
                double[] c7 = acc[7];
                for (int l = 0; l < kk; l++) {
                    for (int r = 0; r < 8; r++) {
                        x[r] = r < rows ? a[(i + r) * kk + l] : 0.0;
                    }
                    double x0 = x[0];
                    double x1 = x[1];
                    double x2 = x[2];
                    double x3 = x[3];
                    double x4 = x[4];
                    double x5 = x[5];
                    double x6 = x[6];
                    double x7 = x[7];
                    int off = l * n + j0;
                    for (int j = 0; j < len; j++) {
                        double y = b[off + j];
                        c0[j] += x0 * y;
                        c1[j] += x1 * y;
                        c2[j] += x2 * y;
                        c3[j] += x3 * y;
                        c4[j] += x4 * y;
                        c5[j] += x5 * y;
                        c6[j] += x6 * y;
                        c7[j] += x7 * y;
                    }
                }
                for (int r = 0; r < rows; r++) {
                    if (out == null) {
                        System.arraycopy(acc[r], 0, s, (i + r) * n + j0, len);
                    } else {
                        double[] ar = acc[r];
                        int o = (i + r) * n + j0;
                        for (int j = 0; j < len; j++) {
                            out[o + j] = (float) (ar[j] * scale);
                        }
                    }
                }
            }
        }
    }
}
