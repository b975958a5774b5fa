package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebraContract;
import org.junit.jupiter.api.Test;

/** ND4J's LAPACK provider, in both variants, meets the same contract as the pure-Java default. */
class Nd4jLinearAlgebraTest extends LinearAlgebraContract {

    private static final Nd4jLinearAlgebra LA = Nd4jLinearAlgebra.lapackOnly();

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LA;
    }

    @Test
    void isDiscoveredAsTheDefault() {
        assertEquals("nd4j-lapack+ejml", LinearAlgebra.getDefault().name());
    }

    /** The default (hybrid) variant under the same contract. */
    @org.junit.jupiter.api.Nested
    class Hybrid extends LinearAlgebraContract {
        @Override
        protected LinearAlgebra linearAlgebra() {
            return new Nd4jLinearAlgebra();
        }
    }
}
