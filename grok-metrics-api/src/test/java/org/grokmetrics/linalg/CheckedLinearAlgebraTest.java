package org.grokmetrics.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checking decorator over a provider that is wrong on exactly the shapes ND4J's LAPACK gets wrong:
 * every result it hands out meets the full contract, the wrong provider is dropped at its first wrong
 * result, and without a fallback the call fails instead of returning a wrong number.
 */
class CheckedLinearAlgebraTest extends LinearAlgebraContract {

    private final CheckedLinearAlgebra checked =
            CheckedLinearAlgebra.of(FaultyLinearAlgebra.likeOpenBlas019(), new EjmlLinearAlgebra());

    @Override
    protected LinearAlgebra linearAlgebra() {
        return checked;
    }

    @Override
    protected boolean runsLargeShapes() {
        return false;
    }

    @ParameterizedTest(name = "{0}x{1} vectors={2}")
    @CsvSource({"300, 150, false", "150, 300, false", "3072, 768, false", "129, 129, true", "200, 140, true"})
    void aWrongResultIsReplacedAndTheProviderDropped(int m, int n, boolean vectors) {
        FaultyLinearAlgebra faulty = FaultyLinearAlgebra.likeOpenBlas019();
        CheckedLinearAlgebra la = CheckedLinearAlgebra.of(faulty, new EjmlLinearAlgebra());
        double[] a = MatrixCases.splitmix(m, n, 5);
        double[] right = new EjmlLinearAlgebra().svd(m, n, a, false).singularValues();
        assertTrue(la.distrustedBecause().isEmpty());
        assertArrayEquals(right, la.svd(m, n, a, vectors).singularValues(), 0.0);
        String reason = la.distrustedBecause().orElseThrow();
        assertTrue(reason.contains(m + "x" + n), reason);
        int before = faulty.calls();
        la.svd(20, 10, MatrixCases.splitmix(20, 10, 1), false);
        assertEquals(before, faulty.calls(), "a provider seen wrong once is not asked again");
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"400, 150", "150, 400", "300, 140"})
    void wrongSingularValuesOfAMatrixReadByRowsAreReplaced(int m, int n) {
        // the provider's Gram path on a wrong eigen-decomposition (off by 1e-6 beyond order 128): the values are
        // checked against the matrix, read again by rows, and the fallback's taken
        CheckedLinearAlgebra la = CheckedLinearAlgebra.of(FaultyLinearAlgebra.wrongEigen(), new EjmlLinearAlgebra());
        double[] a = MatrixCases.splitmix(m, n, 7);
        double[] right = new EjmlLinearAlgebra().singularValues(m, n, a);
        assertArrayEquals(right, la.singularValues(m, n, MatrixRows.of(a, n)), 0.0);
        String reason = la.distrustedBecause().orElseThrow();
        assertTrue(reason.contains(m + "x" + n) && reason.contains("Frobenius"), reason);
    }

    @Test
    void rightResultsPassThroughUnchanged() {
        FaultyLinearAlgebra faulty = FaultyLinearAlgebra.likeOpenBlas019();
        CheckedLinearAlgebra la = CheckedLinearAlgebra.of(faulty, new EjmlLinearAlgebra());
        for (int[] sh : new int[][] {{128, 300}, {200, 250}, {300, 300}, {40, 400}}) {
            assertFalse(FaultyLinearAlgebra.wrongFor(sh[0], sh[1], false));
            la.svd(sh[0], sh[1], MatrixCases.splitmix(sh[0], sh[1], 3), false);
        }
        assertTrue(la.distrustedBecause().isEmpty(), () -> la.distrustedBecause().get());
        assertEquals(4, faulty.calls());
    }

    @Test
    void withoutFallbackAWrongResultThrowsNamingTheIdentity() {
        CheckedLinearAlgebra la = CheckedLinearAlgebra.of(FaultyLinearAlgebra.likeOpenBlas019(), null);
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> la.svd(512, 256, MatrixCases.splitmix(512, 256, 1), false));
        assertTrue(e.getMessage().contains("512x256") && e.getMessage().contains("Frobenius"), e.getMessage());
        // the provider stays in use for the shapes it gets right
        la.svd(100, 100, MatrixCases.splitmix(100, 100, 1), false);
    }

    @Test
    void aProviderThatThrowsIsReplacedByTheFallback() {
        LinearAlgebra throwing = new LinearAlgebra() {
            @Override
            public String name() {
                return "throwing";
            }

            @Override
            public Svd svd(int rows, int cols, double[] a, boolean vectors) {
                throw new UnsatisfiedLinkError("libopenblas.so: cannot open shared object file");
            }

            @Override
            public SymmetricEigen symmetricEigen(int n, double[] a, boolean vectors) {
                throw new IllegalStateException("not reached");
            }
        };
        CheckedLinearAlgebra la = CheckedLinearAlgebra.of(throwing, new EjmlLinearAlgebra());
        double[] a = MatrixCases.splitmix(30, 20, 1);
        assertArrayEquals(new EjmlLinearAlgebra().singularValues(30, 20, a), la.singularValues(30, 20, a), 0.0);
        assertTrue(la.distrustedBecause().orElseThrow().contains("UnsatisfiedLinkError"), la.distrustedBecause().get());
        assertThrows(UnsatisfiedLinkError.class, () -> CheckedLinearAlgebra.of(throwing, null).singularValues(30, 20, a),
                "without a fallback the provider's own error is the caller's");
    }

    @Test
    void wrongEigenvaluesAreReplaced() {
        CheckedLinearAlgebra la = CheckedLinearAlgebra.of(FaultyLinearAlgebra.wrongEigen(), new EjmlLinearAlgebra());
        int n = 150;
        double[] b = MatrixCases.splitmix(n, n, 8);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = b[i * n + j] + b[j * n + i];
            }
        }
        assertArrayEquals(new EjmlLinearAlgebra().symmetricEigen(n, a, false).eigenvalues(),
                la.symmetricEigen(n, a, false).eigenvalues(), 0.0);
        assertTrue(la.distrustedBecause().orElseThrow().contains("eigen"));
    }

    @Test
    void keepsTheCheckedProvidersName() {
        assertEquals("faulty", checked.name());
        assertEquals("faulty", checked.checked().name());
    }

    /** The api's default (pure Java, checked, no fallback) meets the contract. */
    @Nested
    class Default extends LinearAlgebraContract {
        @Override
        protected LinearAlgebra linearAlgebra() {
            return LinearAlgebra.getDefault();
        }

        @Override
        protected boolean runsLargeShapes() {
            return false;
        }
    }
}
