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
        run((i, v) -> s[i] += v, m, n, codesA, strideA, codesB, from, to, sign);
    }

    /**
     * {@link #add(double[], int, int, int[], int, int[], int, int, int)} into sums held as int: exact while every
     * sum stays within int, which {@link #fitsInt} tells from the rank and the codes' bounds (half the memory of
     * double sums).
     *
     * @param s the m&times;n sums, updated in place
     * @throws IllegalArgumentException if the rank exceeds {@link #MAX_RANK}
     */
    static void add(int[] s, int m, int n, int[] codesA, int strideA, int[] codesB, int from, int to, int sign) {
        checkRank(Math.max(strideA, to));
        run((i, v) -> s[i] += (int) v, m, n, codesA, strideA, codesB, from, to, sign);
    }

    /**
     * Whether every partial and final sum of k products of codes bounded by {@code boundA} and {@code boundB} in
     * magnitude fits in an int.
     */
    static boolean fitsInt(int k, int boundA, int boundB) {
        return (long) k * boundA * boundB <= Integer.MAX_VALUE;
    }

    /** Where an exact product's entries go: entry {@code index} (row-major) receives the sum v. */
    @FunctionalInterface
    private interface Sink {
        void put(int index, double v);
    }

    /**
     * Sends every entry of sign &middot; C<sub>A</sub>[:, from:to] C<sub>B</sub>[from:to, :] to {@code sink}, each
     * exactly once. Only C<sub>B</sub>'s rows in use are copied (packed in panels); C<sub>A</sub> is read in place.
     */
    private static void run(Sink sink, int m, int n, int[] codesA, int strideA, int[] codesB, int from, int to,
                            int sign) {
        int kk = to - from;
        if (kk <= 0 || m == 0 || n == 0) {
            return;
        }
        // B's rows in use, times the sign, packed in panels of PANEL columns (zero-padded): panel p holds kk rows
        // of PANEL codes
        int panels = (n + PANEL - 1) / PANEL;
        int[] b = new int[panels * kk * PANEL];
        for (int l = 0; l < kk; l++) {
            int off = (from + l) * n;
            for (int j = 0; j < n; j++) {
                b[(j / PANEL) * kk * PANEL + l * PANEL + j % PANEL] = sign * codesB[off + j];
            }
        }
        int blocks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream stream = IntStream.range(0, blocks);
        if ((long) m * kk * n >= PARALLEL_WORK) {
            stream = stream.parallel();
        }
        stream.forEach(blk -> exactRows(sink, codesA, strideA, from, b, kk, n, blk * ROWS_PER_TASK,
                Math.min(m, (blk + 1) * ROWS_PER_TASK)));
    }

    /** Columns per packed panel of B, and rows per register block: a 4&times;4 block of sums stays in registers. */
    private static final int PANEL = 4;

    /**
     * Rows lo..hi of the exact product of A (rows of stride {@code strideA}, columns from {@code from}) and the
     * panel-packed b: each 4&times;4 block of sums accumulated in registers over l with fused multiply-adds (every
     * product and partial sum is an integer below 2<sup>53</sup>, so exact in any order), then sent to the sink.
     */
    private static void exactRows(Sink sink, int[] codesA, int strideA, int from, int[] b, int kk, int n, int lo,
                                  int hi) {
        int panels = (n + PANEL - 1) / PANEL;
        double[] block = new double[PANEL * PANEL];
        for (int p = 0; p < panels; p++) {
            int j0 = p * PANEL;
            int cols = Math.min(PANEL, n - j0);
            int bp = p * kk * PANEL;
            for (int i = lo; i < hi; i += PANEL) {
                int rows = Math.min(PANEL, hi - i);
                // rows past the end repeat the last one; their sums are dropped
                int a0 = i * strideA + from;
                int a1 = (i + Math.min(1, rows - 1)) * strideA + from;
                int a2 = (i + Math.min(2, rows - 1)) * strideA + from;
                int a3 = (i + Math.min(3, rows - 1)) * strideA + from;
                double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
                for (int l = 0; l < kk; l++) {
                    int q = bp + l * PANEL;
                    double y0 = b[q];
                    double y1 = b[q + 1];
                    double y2 = b[q + 2];
                    double y3 = b[q + 3];
                    double x = codesA[a0 + l];
                    s00 = Math.fma(x, y0, s00);
                    s01 = Math.fma(x, y1, s01);
                    s02 = Math.fma(x, y2, s02);
                    s03 = Math.fma(x, y3, s03);
                    x = codesA[a1 + l];
                    s10 = Math.fma(x, y0, s10);
                    s11 = Math.fma(x, y1, s11);
                    s12 = Math.fma(x, y2, s12);
                    s13 = Math.fma(x, y3, s13);
                    x = codesA[a2 + l];
                    s20 = Math.fma(x, y0, s20);
                    s21 = Math.fma(x, y1, s21);
                    s22 = Math.fma(x, y2, s22);
                    s23 = Math.fma(x, y3, s23);
                    x = codesA[a3 + l];
                    s30 = Math.fma(x, y0, s30);
                    s31 = Math.fma(x, y1, s31);
                    s32 = Math.fma(x, y2, s32);
                    s33 = Math.fma(x, y3, s33);
                }
                block[0] = s00;
                block[1] = s01;
                block[2] = s02;
                block[3] = s03;
                block[4] = s10;
                block[5] = s11;
                block[6] = s12;
                block[7] = s13;
                block[8] = s20;
                block[9] = s21;
                block[10] = s22;
                block[11] = s23;
                block[12] = s30;
                block[13] = s31;
                block[14] = s32;
                block[15] = s33;
                for (int r = 0; r < rows; r++) {
                    int o = (i + r) * n + j0;
                    for (int c = 0; c < cols; c++) {
                        sink.put(o + c, block[r * PANEL + c]);
                    }
                }
            }
        }
    }

    /**
     * The kernel of the order-defined rules (version 2's low-rank product, {@link Coded#product}, and kind 4's):
     * for every entry, acc = (S<sub>ij</sub>, or 0 without S) + &Sigma;<sub>l</sub> a<sub>il</sub> b<sub>lj</sub>
     * in double, l ascending, each product rounded before it is added; then acc back into S, or
     * float(acc &middot; scale) into {@code out}. Rows in blocks of eight (sharing B's loads), blocks in parallel
     * above {@link #PARALLEL_WORK}: neither changes any entry's sum, so the result is the plain triple loop's on
     * any thread count, which those rules rely on. Version 3's exact sums take {@link #exactRows} instead.
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

    /** {@link #weights(double[], double, double)} of sums held as int (each widened to double exactly). */
    static float[] weights(int[] s, double deltaA, double deltaB) {
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
        double scale = deltaA * deltaB;
        run((i, v) -> out[i] = (float) (v * scale), m, n, codesA, k, codesB, 0, k, 1);
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
