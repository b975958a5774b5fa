package org.grokmetrics.linalg;

import java.nio.FloatBuffer;

/**
 * The entries of a row-major m&times;n matrix, read a row segment at a time: from a double array, or from a
 * float buffer (a tensor's values, read in place) times a scale. The Gram path ({@link GramSvd#basis(LinearAlgebra,
 * int, int, MatrixRows)}, {@link GramSvd.Basis#floatFactors(MatrixRows, int, double)}) reads its matrix through
 * it, so that a large matrix is never copied whole (at GPT-2's embedding, 50257&times;768, a double copy is
 * 309 MB).
 */
@FunctionalInterface
public interface MatrixRows {

    /**
     * Copies entries (row, from) to (row, from + len &minus; 1) into {@code dst[off ..]}.
     *
     * @param row  the row
     * @param from the first column
     * @param dst  where the values go
     * @param off  the first index of dst written
     * @param len  how many values
     */
    void read(int row, int from, double[] dst, int off, int len);

    /**
     * The rows of a row-major double array with {@code cols} columns.
     *
     * @param a    the entries (not copied; not modified)
     * @param cols the number of columns n
     * @return the reader
     */
    static MatrixRows of(double[] a, int cols) {
        return (row, from, dst, off, len) -> System.arraycopy(a, row * cols + from, dst, off, len);
    }

    /**
     * The rows of a row-major float buffer with {@code cols} columns, each value widened to double and
     * multiplied by {@code scale} (a power of two keeps every value exact). Absolute reads: the buffer's
     * position is not moved, and readers on several threads may share it.
     *
     * @param a     the entries (read in place)
     * @param cols  the number of columns n
     * @param scale the factor applied to every value
     * @return the reader
     */
    static MatrixRows of(FloatBuffer a, int cols, double scale) {
        return (row, from, dst, off, len) -> {
            int at = row * cols + from;
            for (int i = 0; i < len; i++) {
                dst[off + i] = scale * a.get(at + i);
            }
        };
    }

    /**
     * The entries of {@code a} divided by {@code scale} as they are read (so that a Gram matrix neither overflows
     * nor underflows): the same values as an array of a<sub>ij</sub> / scale.
     *
     * @param a     the entries
     * @param scale the divisor, not zero
     * @return the reader
     */
    static MatrixRows divided(MatrixRows a, double scale) {
        return (row, from, dst, off, len) -> {
            a.read(row, from, dst, off, len);
            for (int i = 0; i < len; i++) {
                dst[off + i] /= scale;
            }
        };
    }

    /**
     * The largest |a<sub>ij</sub>| of an m&times;n matrix, read row by row.
     *
     * @param rows m
     * @param cols n
     * @param a    the entries
     * @return the largest magnitude; 0 for an empty or zero matrix
     * @throws IllegalArgumentException if an entry is not finite, naming its row and column
     */
    static double maxAbs(int rows, int cols, MatrixRows a) {
        double max = 0;
        double[] row = new double[cols];
        for (int i = 0; i < rows; i++) {
            a.read(i, 0, row, 0, cols);
            for (int j = 0; j < cols; j++) {
                double v = row[j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("matrix has non-finite value " + v + " at row " + i
                            + ", column " + j);
                }
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    /**
     * The m&times;n entries copied into one row-major double array.
     *
     * @param rows m
     * @param cols n
     * @param a    the entries
     * @return a new array of m&middot;n values
     */
    static double[] toArray(int rows, int cols, MatrixRows a) {
        double[] out = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            a.read(i, 0, out, i * cols, cols);
        }
        return out;
    }
}
