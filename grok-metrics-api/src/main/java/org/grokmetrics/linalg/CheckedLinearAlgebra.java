package org.grokmetrics.linalg;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decorator that verifies every decomposition of another provider against
 * {@link DecompositionInvariants} before handing it out.
 *
 * <p>When a result of the checked provider violates an identity, the decorator logs it once (WARN, with
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
     * @param fallback the provider used once {@code provider} has been seen wrong, or null to throw instead
     */
    public static CheckedLinearAlgebra of(LinearAlgebra provider, LinearAlgebra fallback) {
        if (provider instanceof CheckedLinearAlgebra c && fallback == c.fallback) {
            return c;
        }
        return new CheckedLinearAlgebra(provider, fallback);
    }

    /** The provider whose results are verified. */
    public LinearAlgebra checked() {
        return checked;
    }

    /** Why the checked provider is no longer used, if one of its results was wrong. */
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
        if (distrusted.get() == null) {
            Svd svd = checked.svd(rows, cols, a, vectors);
            Optional<String> wrong = DecompositionInvariants.violation(rows, cols, a, svd);
            if (wrong.isEmpty()) {
                return svd;
            }
            distrust("SVD", wrong.get());
        }
        // only reached with a fallback: distrust() throws without one
        Svd svd = fallback.svd(rows, cols, a, vectors);
        DecompositionInvariants.violation(rows, cols, a, svd).ifPresent(v -> {
            throw new ArithmeticException(fallback.name() + " SVD fails a check too: " + v);
        });
        return svd;
    }

    @Override
    public SymmetricEigen symmetricEigen(int n, double[] a, boolean vectors) {
        LinearAlgebra.checkMatrix(n, n, a);
        if (distrusted.get() == null) {
            SymmetricEigen e = checked.symmetricEigen(n, a, vectors);
            Optional<String> wrong = DecompositionInvariants.violation(n, a, e);
            if (wrong.isEmpty()) {
                return e;
            }
            distrust("eigen-decomposition", wrong.get());
        }
        // only reached with a fallback: distrust() throws without one
        SymmetricEigen e = fallback.symmetricEigen(n, a, vectors);
        DecompositionInvariants.violation(n, a, e).ifPresent(v -> {
            throw new ArithmeticException(fallback.name() + " eigen-decomposition fails a check too: " + v);
        });
        return e;
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
