package org.grokmetrics.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The load-time check passes the reference and rejects each kind of untrustworthy provider. */
final class LinearAlgebraSelfCheckTest {

    @Test
    void thePureJavaProviderPasses() {
        Optional<String> f = LinearAlgebraSelfCheck.failure(new EjmlLinearAlgebra());
        assertTrue(f.isEmpty(), () -> f.get());
    }

    @Test
    void aProviderWrongOnTallMatricesFailsNamingTheShape() {
        String f = LinearAlgebraSelfCheck.failure(FaultyLinearAlgebra.likeOpenBlas019()).orElseThrow();
        assertTrue(f.contains("300x150") && f.contains("singular values"), f);
    }

    @Test
    void aProviderWithWrongEigenvaluesFails() {
        String f = LinearAlgebraSelfCheck.failure(FaultyLinearAlgebra.wrongEigen()).orElseThrow();
        assertTrue(f.contains("eigen"), f);
    }

    @Test
    void aProviderThatDiffersFromItselfFails() {
        AtomicInteger calls = new AtomicInteger();
        LinearAlgebra drifting = new Delegating() {
            @Override
            public Svd svd(int rows, int cols, double[] a, boolean vectors) {
                Svd svd = super.svd(rows, cols, a, vectors);
                if (calls.incrementAndGet() % 2 == 0) {
                    double[] s = svd.singularValues().clone();
                    s[s.length - 1] *= 1 + 1e-7;   // invisible to the identities, not to a second look
                    return new Svd(rows, cols, s, svd.u(), svd.vt());
                }
                return svd;
            }
        };
        String f = LinearAlgebraSelfCheck.failure(drifting).orElseThrow();
        assertTrue(f.contains("repeated"), f);
    }

    @Test
    void aProviderThatThrowsFails() {
        LinearAlgebra broken = new Delegating() {
            @Override
            public Svd svd(int rows, int cols, double[] a, boolean vectors) {
                throw new UnsatisfiedLinkError("no libopenblas in java.library.path");
            }
        };
        String f = LinearAlgebraSelfCheck.failure(broken).orElseThrow();
        assertTrue(f.contains("UnsatisfiedLinkError"), f);
    }

    /** EJML under another name, for overriding one method. */
    private static class Delegating implements LinearAlgebra {
        private final LinearAlgebra ejml = new EjmlLinearAlgebra();

        @Override
        public String name() {
            return "delegating";
        }

        @Override
        public Svd svd(int rows, int cols, double[] a, boolean vectors) {
            return ejml.svd(rows, cols, a, vectors);
        }

        @Override
        public SymmetricEigen symmetricEigen(int n, double[] a, boolean vectors) {
            return ejml.symmetricEigen(n, a, vectors);
        }
    }
}
