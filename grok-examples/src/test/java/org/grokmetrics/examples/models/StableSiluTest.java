package org.grokmetrics.examples.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SiLU and its derivative against the formulas in double, over the whole float range. */
final class StableSiluTest {

    private static final double[] X = {-1e4, -800, -100, -45, -20, -3, -1, -1e-3, 0, 1e-3, 0.5, 1, 3, 20, 44, 44.5, 45,
        60, 88, 89, 100, 300, 360, 800, 1e4};

    private static double sigma(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void valuesAndDerivativesMatchTheFormulas(DataType dt) {
        INDArray x = Nd4j.createFromArray(X).castTo(dt).reshape(1, X.length);
        INDArray f = new StableSilu().getActivation(x.dup(), false);
        INDArray eps = Nd4j.ones(dt, 1, X.length).muli(0.5);
        INDArray g = new StableSilu().backprop(x.dup(), eps).getFirst();
        double tol = dt == DataType.FLOAT ? 1e-6 : 1e-14;
        for (int i = 0; i < X.length; i++) {
            double xi = x.getDouble(0, i); // the value as stored in this precision
            double s = sigma(xi);
            double fWant = xi * s;
            double gWant = 0.5 * s * (1 + xi * (1 - s));
            assertTrue(Double.isFinite(g.getDouble(0, i)), "derivative at " + xi + " in " + dt + " is " + g.getDouble(0, i));
            assertEquals(fWant, f.getDouble(0, i), tol * Math.max(1, Math.abs(fWant)), "silu(" + xi + ")");
            assertEquals(gWant, g.getDouble(0, i), tol * Math.max(1, Math.abs(gWant)), "silu'(" + xi + ")");
        }
    }

    /**
     * The trap this class exists for (DEVELOPERS.md): ND4J 1.0.0-M2.1's own swish derivative is NaN above
     * ln(sqrt(Float.MAX_VALUE)) = 44.36 in float32. If ND4J fixes it, this test says so and StableSilu can go.
     */
    @Test
    void nd4jSwishDerivativeOverflowsAbove44InFloat32() {
        INDArray x = Nd4j.createFromArray(new float[] {44f, 45f, 100f}).reshape(1, 3);
        INDArray g = Activation.SWISH.getActivationFunction().backprop(x.dup(), Nd4j.ones(DataType.FLOAT, 1, 3)).getFirst();
        assertEquals(1.0, g.getDouble(0, 0), 1e-6);
        assertTrue(Double.isNaN(g.getDouble(0, 1)) && Double.isNaN(g.getDouble(0, 2)),
                "ND4J's swish derivative is finite above 44 now: " + g);
    }
}
