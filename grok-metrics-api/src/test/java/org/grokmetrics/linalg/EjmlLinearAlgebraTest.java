package org.grokmetrics.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EjmlLinearAlgebraTest extends LinearAlgebraContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return new EjmlLinearAlgebra();
    }

    @Test
    void isTheDefaultWithoutProviders() {
        // the api module has no service provider on its test class path
        assertEquals("ejml", LinearAlgebra.getDefault().name());
    }
}
