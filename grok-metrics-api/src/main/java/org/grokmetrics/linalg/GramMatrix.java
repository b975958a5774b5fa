package org.grokmetrics.linalg;

/**
 * The Gram matrix of a matrix's short side: A&middot;A&#7488; (m&times;m) for a wide or square m&times;n
 * matrix, A&#7488;&middot;A (n&times;n) for a tall one. The first step of {@link GramSvd}.
 *
 * <p>Every entry is a sum of products taken in one fixed order (column panels of {@value #PANEL} in
 * ascending order, within a panel four interleaved partial sums), so the result is the same on every
 * call and thread; it is exactly symmetric (the lower triangle is computed, the upper copied). Cost
 * k&sup2;&middot;l flops for k the short and l the long side, in 4&times;4 register blocks.
 */
final class GramMatrix {

    /** Long-side entries per panel: a 4-row tile of a panel stays in the first-level cache. */
    static final int PANEL = 256;

    private GramMatrix() {
    }

    /** The k&times;k row-major Gram matrix of the short side of the row-major m&times;n matrix {@code a}. */
    static double[] of(int rows, int cols, double[] a) {
        return of(rows, cols, MatrixRows.of(a, cols));
    }

    /**
     * The Gram matrix of a matrix read through {@code a}: one panel of {@value #PANEL} rows (tall) or columns
     * (wide) copied at a time, so the matrix itself is never copied whole; the same sums, in the same order, as
     * over an array.
     */
    static double[] of(int rows, int cols, MatrixRows a) {
        if (rows <= cols) {
            double[] g = new double[rows * rows];
            double[] panel = new double[rows * Math.min(PANEL, Math.max(1, cols))];
            for (int c0 = 0; c0 < cols; c0 += PANEL) {
                int len = Math.min(PANEL, cols - c0);
                for (int i = 0; i < rows; i++) {
                    a.read(i, c0, panel, i * len, len);
                }
                accumulate(panel, 0, len, len, rows, g);
            }
            return mirror(g, rows);
        }
        // tall: transpose one panel of rows at a time, then the same kernel
        double[] g = new double[cols * cols];
        double[] panel = new double[cols * PANEL];
        double[] row = new double[cols];
        for (int r0 = 0; r0 < rows; r0 += PANEL) {
            int len = Math.min(PANEL, rows - r0);
            for (int r = 0; r < len; r++) {
                a.read(r0 + r, 0, row, 0, cols);
                for (int j = 0; j < cols; j++) {
                    panel[j * PANEL + r] = row[j];
                }
            }
            accumulate(panel, 0, PANEL, len, cols, g);
        }
        return mirror(g, cols);
    }

    /**
     * Adds P&middot;P&#7488; to the lower triangle of g (k&times;k), P the k rows of length {@code len} at
     * {@code p[off + i * stride ...]}.
     */
    private static void accumulate(double[] p, int off, int stride, int len, int k, double[] g) {
        int full = k - k % 4;
        for (int i = 0; i < full; i += 4) {
            int a0 = off + i * stride;
            int a1 = a0 + stride;
            int a2 = a1 + stride;
            int a3 = a2 + stride;
            for (int j = 0; j <= i; j += 4) {
                int b0 = off + j * stride;
                int b1 = b0 + stride;
                int b2 = b1 + stride;
                int b3 = b2 + stride;
                double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
                for (int c = 0; c < len; c++) {
                    double x0 = p[a0 + c];
                    double x1 = p[a1 + c];
                    double x2 = p[a2 + c];
                    double x3 = p[a3 + c];
                    double y0 = p[b0 + c];
                    double y1 = p[b1 + c];
                    double y2 = p[b2 + c];
                    double y3 = p[b3 + c];
                    s00 += x0 * y0;
                    s01 += x0 * y1;
                    s02 += x0 * y2;
                    s03 += x0 * y3;
                    s10 += x1 * y0;
                    s11 += x1 * y1;
                    s12 += x1 * y2;
                    s13 += x1 * y3;
                    s20 += x2 * y0;
                    s21 += x2 * y1;
                    s22 += x2 * y2;
                    s23 += x2 * y3;
                    s30 += x3 * y0;
                    s31 += x3 * y1;
                    s32 += x3 * y2;
                    s33 += x3 * y3;
                }
                int g0 = i * k + j;
                g[g0] += s00;
                g[g0 + 1] += s01;
                g[g0 + 2] += s02;
                g[g0 + 3] += s03;
                g[g0 + k] += s10;
                g[g0 + k + 1] += s11;
                g[g0 + k + 2] += s12;
                g[g0 + k + 3] += s13;
                g[g0 + 2 * k] += s20;
                g[g0 + 2 * k + 1] += s21;
                g[g0 + 2 * k + 2] += s22;
                g[g0 + 2 * k + 3] += s23;
                g[g0 + 3 * k] += s30;
                g[g0 + 3 * k + 1] += s31;
                g[g0 + 3 * k + 2] += s32;
                g[g0 + 3 * k + 3] += s33;
            }
        }
        for (int i = full; i < k; i++) {
            int ai = off + i * stride;
            for (int j = 0; j <= i; j++) {
                int bj = off + j * stride;
                double s = 0;
                for (int c = 0; c < len; c++) {
                    s += p[ai + c] * p[bj + c];
                }
                g[i * k + j] += s;
            }
        }
    }

    /** Copies the lower triangle onto the upper. */
    private static double[] mirror(double[] g, int k) {
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                g[i * k + j] = g[j * k + i];
            }
        }
        return g;
    }
}
