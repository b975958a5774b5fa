package org.grokmetrics.linalg;

/**
 * A thin singular value decomposition M = U &middot; diag(&sigma;) &middot; V&#7488; of an m&times;n
 * matrix, k = min(m, n).
 *
 * <p>The arrays are handed over as computed (not copied): treat them as read-only.
 *
 * @param rows           m
 * @param cols           n
 * @param singularValues &sigma;, length k, non-negative, in descending order
 * @param u              U, m&times;k row-major, or null if vectors were not requested
 * @param vt             V&#7488;, k&times;n row-major, or null if vectors were not requested
 */
public record Svd(int rows, int cols, double[] singularValues, double[] u, double[] vt) {

    /**
     * k = min(rows, cols).
     *
     * @return k, the number of singular values
     */
    public int rank() {
        return singularValues.length;
    }

    /**
     * True if U and V&#7488; are present.
     *
     * @return whether both U and V&#7488; were computed
     */
    public boolean hasVectors() {
        return u != null && vt != null;
    }

    /**
     * U &middot; diag(w) &middot; V&#7488; for a weight per singular triplet: the m&times;n row-major
     * result. This is how gradients of spectral functions are assembled.
     *
     * @param w one weight per singular triplet, length k
     * @return the m&middot;n entries of U &middot; diag(w) &middot; V&#7488;, row-major
     * @throws IllegalStateException    if the vectors were not computed
     * @throws IllegalArgumentException if {@code w} does not have k entries
     */
    public double[] reconstruct(double[] w) {
        if (!hasVectors()) {
            throw new IllegalStateException("SVD computed without singular vectors");
        }
        int k = rank();
        if (w.length != k) {
            throw new IllegalArgumentException("need " + k + " weights, got " + w.length);
        }
        double[] out = new double[rows * cols];
        double[] scaledRow = new double[k];
        for (int i = 0; i < rows; i++) {
            int uOff = i * k;
            for (int j = 0; j < k; j++) {
                scaledRow[j] = u[uOff + j] * w[j];
            }
            int oOff = i * cols;
            for (int j = 0; j < k; j++) {
                double s = scaledRow[j];
                if (s == 0.0) {
                    continue;
                }
                int vOff = j * cols;
                for (int c = 0; c < cols; c++) {
                    out[oOff + c] += s * vt[vOff + c];
                }
            }
        }
        return out;
    }
}
