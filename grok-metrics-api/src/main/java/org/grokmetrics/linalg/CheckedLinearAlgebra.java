package org.grokmetrics.linalg;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.grokmetrics.api.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decorator that verifies every decomposition of another provider against
 * {@link DecompositionInvariants} before handing it out.
 *
 * <p>When a result of the checked provider violates an identity, or the provider throws (anything
 * {@link Failures} contains), the decorator logs it once (WARN, with
 * the shape and the identity), computes that call and <em>every later call</em> with the fallback
 * provider instead (a provider seen wrong once is not trusted again), and checks the fallback's results
 * too. When there is no fallback, or the fallback is wrong as well, the call throws
 * {@link ArithmeticException} naming the identity (without a fallback the provider stays in use for
 * later calls): estimators turn that into NaN with the reason, so a wrong finite number is never
 * returned.
 *
 * <p>{@link LinearAlgebra#getDefault()} wraps the discovered provider in this decorator (with the pure-Java
 * {@link EjmlLinearAlgebra} as fallback); {@link LinearAlgebra#setDefault} uses what it is given as it is.
 * Thread-safe if the wrapped providers are.
 */
public final class CheckedLinearAlgebra implements LinearAlgebra {

    private static final Logger LOG = LoggerFactory.getLogger(CheckedLinearAlgebra.class);

    private final LinearAlgebra checked;
    private final LinearAlgebra fallback;
    private final AtomicReference<String> distrusted = new AtomicReference<>();

    private CheckedLinearAlgebra(LinearAlgebra checked, LinearAlgebra fallback) {
        this.checked = Objects.requireNonNull(checked, "checked provider");
        this.fallback = fallback;
    }

    /**
     * Verifies {@code provider}'s results; on a violation, switches to {@code fallback} for good.
     *
     * @param provider the implementation whose results are verified
     * @param fallback the provider used once {@code provider} has been seen wrong, or null to throw instead
     * @return the checking implementation; {@code provider} itself if it already checks with this fallback
     */
    public static CheckedLinearAlgebra of(LinearAlgebra provider, LinearAlgebra fallback) {
        if (provider instanceof CheckedLinearAlgebra c && fallback == c.fallback) {
            return c;
        }
        return new CheckedLinearAlgebra(provider, fallback);
    }

    /**
     * The provider whose results are verified.
     *
     * @return the provider
     */
    public LinearAlgebra checked() {
        return checked;
    }

    /**
     * Why the checked provider is no longer used, if one of its results was wrong.
     *
     * @return the violation that made it distrusted, empty while it is trusted
     */
    public Optional<String> distrustedBecause() {
        return Optional.ofNullable(distrusted.get());
    }

    /** The checked provider's name: results are the provider's as long as it is right. */
    @Override
    public String name() {
        return checked.name();
    }

    @Override
    public int priority() {
        return checked.priority();
    }

    @Override
    public Svd svd(int rows, int cols, double[] a, boolean vectors) {
        LinearAlgebra.checkMatrix(rows, cols, a);
        return verified("SVD", rows + "x" + cols, la -> la.svd(rows, cols, a, vectors),
                svd -> DecompositionInvariants.violation(rows, cols, a, svd));
    }

    /** The checked provider's values (by its own path, {@link LinearAlgebra#singularValues}), verified as an SVD without vectors. */
    @Override
    public double[] singularValues(int rows, int cols, double[] a) {
        LinearAlgebra.checkMatrix(rows, cols, a);
        return verified("singular values", rows + "x" + cols,
                la -> new Svd(rows, cols, la.singularValues(rows, cols, a), null, null),
                svd -> DecompositionInvariants.violation(rows, cols, a, svd)).singularValues();
    }

    /**
     * The checked provider's values of a matrix read by rows (by its own path, {@link
     * LinearAlgebra#singularValues(int, int, MatrixRows)}), verified as singular values without vectors
     * ({@link DecompositionInvariants#valueViolation}, reading the matrix again rather than holding it).
     */
    @Override
    public double[] singularValues(int rows, int cols, MatrixRows a) {
        java.util.Objects.requireNonNull(a, "matrix rows");
        return verified("singular values", rows + "x" + cols, la -> la.singularValues(rows, cols, a),
                s -> DecompositionInvariants.valueViolation(rows, cols, a, s));
    }

    @Override
    public SymmetricEigen symmetricEigen(int n, double[] a, boolean vectors) {
        LinearAlgebra.checkMatrix(n, n, a);
        return verified("eigen-decomposition", n + "x" + n, la -> la.symmetricEigen(n, a, vectors),
                e -> DecompositionInvariants.violation(n, a, e));
    }

    /**
     * The checked provider's result if it passes {@code check}; else (or if it throws) the fallback's,
     * which must pass too.
     */
    private <R> R verified(String what, String shape, Function<LinearAlgebra, R> decompose,
                           Function<R, Optional<String>> check) {
        if (distrusted.get() == null) {
            Optional<String> wrong;
            try {
                R result = decompose.apply(checked);
                wrong = check.apply(result);
                if (wrong.isEmpty()) {
                    return result;
                }
            } catch (Throwable t) {
                if (fallback == null) {
                    throw t;
                }
                wrong = Optional.of(shape + ": threw " + Failures.contain(t));
            }
            distrust(what, wrong.get());
        }
        // only reached with a fallback: distrust() throws without one
        R result = decompose.apply(fallback);
        check.apply(result).ifPresent(v -> {
            throw new ArithmeticException(fallback.name() + " " + what + " fails a check too: " + v);
        });
        return result;
    }

    /**
     * Records the first violation and switches to the fallback; without a fallback, throws for this call
     * only (a provider with nothing to fall back on stays in use for the calls it gets right).
     */
    private void distrust(String what, String violation) {
        String reason = what + " of " + violation;
        if (fallback == null) {
            throw new ArithmeticException("linear algebra provider " + checked.name() + " returned a wrong " + reason);
        }
        if (distrusted.compareAndSet(null, reason)) {
            LOG.warn("linear algebra provider {} returned a wrong {}; using {} from now on", checked.name(), reason,
                    fallback.name());
        }
    }

    @Override
    public String toString() {
        return "checked " + checked.name() + (fallback == null ? "" : " (fallback " + fallback.name() + ")");
    }
}
