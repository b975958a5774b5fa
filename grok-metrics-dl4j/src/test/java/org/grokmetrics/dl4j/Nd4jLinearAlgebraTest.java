package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.grokmetrics.linalg.CheckedLinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebraContract;
import org.grokmetrics.linalg.LinearAlgebraSelection;
import org.grokmetrics.linalg.LinearAlgebraSelfCheck;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

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
