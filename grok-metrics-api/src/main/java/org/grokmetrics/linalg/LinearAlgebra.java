package org.grokmetrics.linalg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;

import org.grokmetrics.api.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dense linear algebra on row-major double arrays: the SPI behind spectral entropy, the compressor's
 * low-rank step and the linear mapping number.
 *
 * <p>Implementations must be thread-safe (no shared mutable workspaces) and must not modify their
 * input arrays. Implementations are discovered with {@link ServiceLoader}; the one with the highest
 * {@link #priority()} that passes {@link LinearAlgebraSelfCheck} wins, its results verified by
 * {@link CheckedLinearAlgebra}, unless {@link #setDefault(LinearAlgebra)} chose one ({@link #selection()}
 * tells which and why).
 */
public interface LinearAlgebra {

    /**
     * A short name for logs and benchmarks, e.g. {@code "ejml"} or {@code "nd4j-lapack"}.
     *
     * @return the name
     */
    String name();

    /**
     * Higher wins in service-loader discovery; the pure-Java default has 0.
     *
     * @return the priority; 0 unless overridden
     */
    default int priority() {
        return 0;
    }

    /**
     * Thin SVD of the m&times;n row-major matrix {@code a}.
     *
     * @param rows    the number of rows m, &ge; 0
     * @param cols    the number of columns n, &ge; 0
     * @param a       the m&middot;n entries, row-major (not modified)
     * @param vectors whether U and V&#7488; are needed (singular values alone are cheaper)
     * @return the min(m, n) singular values, descending, and U and V&#7488; if asked
     * @throws IllegalArgumentException if {@code a.length != rows * cols} or a value is not finite
     */
    Svd svd(int rows, int cols, double[] a, boolean vectors);

    /**
     * Singular values of the m&times;n row-major matrix, descending, to within
     * {@value GramSvd#VALUE_TOLERANCE}&middot;&sigma;<sub>1</sub> of the exact ones: from the eigenvalues of the
     * short side's Gram matrix ({@link GramSvd#singularValues}, by this implementation's
     * {@link #symmetricEigen}) where that is accurate enough, else from {@link #svd} without vectors.
     *
     * @param rows the number of rows m, &ge; 0
     * @param cols the number of columns n, &ge; 0
     * @param a    the m&middot;n entries, row-major (not modified)
     * @return the min(m, n) singular values, descending, &ge; 0
     * @throws IllegalArgumentException if {@code a.length != rows * cols} or a value is not finite
     */
    default double[] singularValues(int rows, int cols, double[] a) {
        return GramSvd.singularValues(this, rows, cols, a).orElseGet(() -> svd(rows, cols, a, false).singularValues());
    }

    /**
     * {@link #singularValues(int, int, double[])} of a matrix read through {@code a} a row segment at a time
     * (e.g. a float tensor in place, {@link MatrixRows#of(java.nio.FloatBuffer, int, double)}): where the Gram
     * path applies the matrix is never copied whole; else it is copied once into a double array for
     * {@link #svd}.
     *
     * @param rows the number of rows m, &ge; 0
     * @param cols the number of columns n, &ge; 0
     * @param a    the entries (not modified)
     * @return the min(m, n) singular values, descending, &ge; 0
     * @throws IllegalArgumentException if a dimension is negative or too large for one array, or a value is not
     *                                  finite
     */
    default double[] singularValues(int rows, int cols, MatrixRows a) {
        Objects.requireNonNull(a, "matrix rows");
        if (rows < 0 || cols < 0 || (long) rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("matrix of " + rows + "x" + cols + " is not a valid array shape");
        }
        return GramSvd.singularValues(this, rows, cols, a)
                .orElseGet(() -> svd(rows, cols, MatrixRows.toArray(rows, cols, a), false).singularValues());
    }

    /**
     * Eigen-decomposition of the symmetric n&times;n row-major matrix {@code a} (only symmetry of the
     * input is assumed, not checked beyond what the algorithm needs).
     *
     * @param n       the order of the matrix, &ge; 0
     * @param a       the n&middot;n entries, row-major (not modified)
     * @param vectors whether the eigenvectors are needed
     * @return the n eigenvalues and, if asked, the eigenvectors
     * @throws IllegalArgumentException if {@code a.length != n * n} or a value is not finite
     */
    SymmetricEigen symmetricEigen(int n, double[] a, boolean vectors);

    /**
     * The implementation in use (see the package documentation for how it is chosen).
     *
     * @return {@link #selection()}'s implementation
     */
    static LinearAlgebra getDefault() {
        return selection().linearAlgebra();
    }

    /**
     * The implementation in use with how it was chosen: the one set with {@link #setDefault}, else the
     * highest-priority service provider that passes {@link LinearAlgebraSelfCheck}, wrapped in
     * {@link CheckedLinearAlgebra} with the pure-Java {@link EjmlLinearAlgebra} as fallback, else EJML
     * (checked, without fallback). Discovery runs once per JVM and is logged once (INFO; WARN for a
     * provider that failed its self-check).
     *
     * @return the implementation, how it was chosen and the providers rejected
     */
    static LinearAlgebraSelection selection() {
        return Holder.get();
    }

    /**
     * Chooses the implementation used from now on by every estimator that is not given one explicitly,
     * as it is (its results are not checked). Pass null to go back to discovery.
     *
     * @param impl the implementation, or null for discovery
     */
    static void setDefault(LinearAlgebra impl) {
        Holder.CHOSEN.set(impl == null ? null
                : new LinearAlgebraSelection(impl, impl.name() + ": set with LinearAlgebra.setDefault (results not checked)",
                        java.util.List.of()));
    }

    /**
     * Checks the arguments every implementation receives.
     *
     * @param rows the number of rows m, &ge; 0
     * @param cols the number of columns n, &ge; 0
     * @param a    the entries, row-major; every one must be finite
     * @throws IllegalArgumentException if a dimension is negative, the length is not rows &middot; cols, or a value is not finite, naming its row and column
     * @throws NullPointerException     if {@code a} is null
     */
    static void checkMatrix(int rows, int cols, double[] a) {
        Objects.requireNonNull(a, "matrix data");
        if (rows < 0 || cols < 0 || (long) rows * cols != a.length) {
            throw new IllegalArgumentException("matrix of " + rows + "x" + cols + " cannot hold " + a.length
                    + " values");
        }
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException("matrix has non-finite value " + a[i] + " at row " + (i / Math.max(cols, 1))
                        + ", column " + (i % Math.max(cols, 1)));
            }
        }
    }

    /** Lazy, thread-safe discovery of the default. */
    final class Holder {
        private static final Logger LOG = LoggerFactory.getLogger(LinearAlgebra.class);
        static final AtomicReference<LinearAlgebraSelection> CHOSEN = new AtomicReference<>();
        private static volatile LinearAlgebraSelection discovered;

        private Holder() {
        }

        static LinearAlgebraSelection get() {
            LinearAlgebraSelection chosen = CHOSEN.get();
            if (chosen != null) {
                return chosen;
            }
            LinearAlgebraSelection d = discovered;
            if (d == null) {
                synchronized (Holder.class) {
                    d = discovered;
                    if (d == null) {
                        d = discover();
                        discovered = d;
                        if (d.rejected().isEmpty()) {
                            LOG.info("linear algebra: {}", d.describe());
                        } else {
                            LOG.warn("linear algebra: {}", d.describe());
                        }
                    }
                }
            }
            return d;
        }

        private static LinearAlgebraSelection discover() {
            List<LinearAlgebra> found = ServiceLoader.load(LinearAlgebra.class).stream()
                    .map(Holder::load)
                    .filter(Objects::nonNull)
                    .sorted(Comparator.comparingInt(LinearAlgebra::priority).reversed())
                    .toList();
            EjmlLinearAlgebra reference = new EjmlLinearAlgebra();
            List<String> rejected = new ArrayList<>();
            for (LinearAlgebra candidate : found) {
                long start = System.nanoTime();
                Optional<String> failure = LinearAlgebraSelfCheck.failure(candidate);
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (failure.isEmpty()) {
                    return new LinearAlgebraSelection(CheckedLinearAlgebra.of(candidate, reference),
                            candidate.name() + ": passed its self-check (" + ms + " ms); every result verified, "
                                    + reference.name() + " as fallback", rejected);
                }
                rejected.add(candidate.name() + " (self-check failed: " + failure.get() + ")");
            }
            return new LinearAlgebraSelection(CheckedLinearAlgebra.of(reference, null),
                    reference.name() + ": pure Java" + (found.isEmpty() ? ", no other provider found" : "")
                            + "; every result verified", rejected);
        }

        private static LinearAlgebra load(ServiceLoader.Provider<LinearAlgebra> p) {
            try {
                return p.get();
            } catch (Throwable t) {
                LOG.warn("linear algebra provider {} could not be loaded: {}", p.type().getName(), Failures.contain(t));
                return null;
            }
        }
    }
}
