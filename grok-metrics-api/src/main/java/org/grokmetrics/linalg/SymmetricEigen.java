package org.grokmetrics.linalg;

/**
 * The eigen-decomposition A = Q &middot; diag(&lambda;) &middot; Q&#7488; of a symmetric n&times;n matrix.
 *
 * <p>Arrays are handed over as computed: treat them as read-only.
 *
 * @param n           the order
 * @param eigenvalues &lambda;, length n, in descending order
 * @param vectors     Q, n&times;n row-major with eigenvector j in column j, or null if not requested
 */
public record SymmetricEigen(int n, double[] eigenvalues, double[] vectors) {
}
