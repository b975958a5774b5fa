/**
 * The small linear-algebra service behind the spectral measures: thin SVD and symmetric
 * eigen-decomposition of dense row-major double matrices.
 *
 * <p>{@link org.grokmetrics.linalg.LinearAlgebra#getDefault()} returns the implementation in use: one
 * set with {@link org.grokmetrics.linalg.LinearAlgebra#setDefault}, else the highest-priority provider
 * found by {@link java.util.ServiceLoader}, else the pure-Java {@link org.grokmetrics.linalg.EjmlLinearAlgebra}
 * (EJML). Adapter modules plug in native LAPACK through the service loader; a provider is used only
 * if it passes {@link org.grokmetrics.linalg.LinearAlgebraSelfCheck}, and then every result it returns is
 * verified ({@link org.grokmetrics.linalg.CheckedLinearAlgebra}, {@link org.grokmetrics.linalg.DecompositionInvariants}).
 */
package org.grokmetrics.linalg;
