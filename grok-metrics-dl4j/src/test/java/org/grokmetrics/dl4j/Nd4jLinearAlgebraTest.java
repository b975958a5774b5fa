package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.grokmetrics.linalg.CheckedLinearAlgebra;
import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebraContract;
import org.grokmetrics.linalg.LinearAlgebraSelection;
import org.grokmetrics.linalg.LinearAlgebraSelfCheck;
import org.grokmetrics.linalg.SymmetricEigen;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ND4J's LAPACK provider, in both variants, meets the same contract as the pure-Java default where its
 * native library is right; where it is not (OpenBLAS 0.3.19 on AVX-512 kernels, see
 * {@link Nd4jOnAvx512KernelsTest}) the contract is skipped and the default must not be ND4J.
 */
class Nd4jLinearAlgebraTest extends LinearAlgebraContract {

    private static final Nd4jLinearAlgebra LA = Nd4jLinearAlgebra.lapackOnly();
    private static Optional<String> selfCheck;

    @BeforeAll
    static void nativeLibraryIsRightHere() {
        selfCheck = LinearAlgebraSelfCheck.failure(LA);
        Assumptions.assumeTrue(selfCheck.isEmpty(), () -> "ND4J's LAPACK is wrong on this machine: " + selfCheck.get());
    }

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LA;
    }

    @Test
    void isDiscoveredAsTheCheckedDefault() {
        LinearAlgebraSelection s = LinearAlgebra.selection();
        assertEquals("nd4j-lapack+ejml", s.linearAlgebra().name());
        assertTrue(s.linearAlgebra() instanceof CheckedLinearAlgebra, s.linearAlgebra().toString());
        assertTrue(s.how().contains("passed its self-check"), s.how());
    }

    /**
     * On the CPU backend the eigen-decomposition takes OpenBLAS's dsyevd (not ND4J's syev): it must load here,
     * and on Gram matrices wider than 128 (the sizes the compressor's rank chain decomposes) give the eigenpairs
     * of EJML's decomposition: A q = &lambda; q, orthonormal vectors, the trace kept.
     */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {129, 300, 520})
    void theDivideAndConquerDriverGivesEjmlsEigenpairs(int n) {
        assertTrue(OpenBlasEigen.AVAILABLE, "LAPACKE_dsyevd of nd4j-native's OpenBLAS did not load");
        java.util.SplittableRandom r = new java.util.SplittableRandom(n);
        int cols = 2 * n + 7;
        double[] b = new double[n * cols];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextDouble(-1, 1);
        }
        double[] a = new double[n * n];
        double trace = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double x = 0;
                for (int p = 0; p < cols; p++) {
                    x += b[i * cols + p] * b[j * cols + p];
                }
                a[i * n + j] = x;
                a[j * n + i] = x;
            }
            trace += a[i * n + i];
        }
        SymmetricEigen e = LA.symmetricEigen(n, a, true);
        double[] ref = new EjmlLinearAlgebra().symmetricEigen(n, a, false).eigenvalues();
        double scale = ref[0];
        double sum = 0;
        for (int j = 0; j < n; j++) {
            assertEquals(ref[j], e.eigenvalues()[j], 1e-11 * scale, "lambda_" + j);
            sum += e.eigenvalues()[j];
        }
        assertEquals(trace, sum, 1e-10 * trace, "sum of eigenvalues = trace");
        double[] q = e.vectors();
        for (int j = 0; j < n; j += 7) {
            for (int i = 0; i < n; i++) {
                double aq = 0;
                for (int p = 0; p < n; p++) {
                    aq += a[i * n + p] * q[p * n + j];
                }
                assertEquals(e.eigenvalues()[j] * q[i * n + j], aq, 1e-10 * scale, "(A q - lambda q)_" + i + " of q_" + j);
            }
            for (int k = j; k < n; k += 11) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[i * n + j] * q[i * n + k];
                }
                assertEquals(j == k ? 1 : 0, dot, 1e-10, "q_" + j + " . q_" + k);
            }
        }
    }

    /** The default (hybrid) variant under the same contract. */
    @Nested
    class Hybrid extends LinearAlgebraContract {
        @Override
        protected LinearAlgebra linearAlgebra() {
            return new Nd4jLinearAlgebra();
        }

        @Override
        protected boolean runsLargeShapes() {
            return false;   // singular values alone take the same LAPACK path as lapackOnly()
        }
    }
}
