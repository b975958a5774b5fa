package org.grokmetrics.mdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.grokmetrics.testing.Gen;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;

/** {@link Pearson} against Commons Math's {@code PearsonsCorrelation} (a test-scope reference) and closed forms. */
class PearsonTest {

    @PropertyTest(cases = 200)
    void agreesWithCommonsMath(Seed seed) {
        Gen g = seed.gen();
        int n = g.intIn(2, 200);
        double scale = g.logUniform(1e-4, 1e4);
        // offsets up to 100x the spread: Commons Math's updating formulas stay accurate to ~1e-12 there
        double offset = g.random().nextBoolean() ? 0 : 100 * scale * g.gaussian();
        double slope = g.gaussian();
        double noise = g.doubleIn(0, 1);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = offset + scale * g.gaussian();
            y[i] = slope * x[i] + g.gaussian() * scale * noise;
        }
        double ours = Pearson.correlation(x, y);
        double reference = new PearsonsCorrelation().correlation(x, y);
        assertTrue(Double.isFinite(ours), "finite for non-constant series");
        assertEquals(reference, ours, 1e-9, "n=" + n + " offset=" + offset + " scale=" + scale);
    }

    /** Far from zero (offset 10^8 spreads), against the exact value of r for the same doubles. */
    @PropertyTest(cases = 50)
    void farFromZeroAgreesWithExactArithmetic(Seed seed) {
        Gen g = seed.gen();
        int n = g.intIn(3, 100);
        double scale = g.logUniform(1e-3, 1);
        double offset = 1e8 * scale * (g.random().nextBoolean() ? 1 : -1);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = offset + scale * g.gaussian();
            y[i] = -offset + 0.5 * x[i] + scale * g.gaussian();
        }
        assertEquals(exact(x, y), Pearson.correlation(x, y), 1e-9);
    }

    /** r in 60-digit decimal arithmetic from the doubles as given. */
    static double exact(double[] x, double[] y) {
        java.math.MathContext mc = new java.math.MathContext(60);
        java.math.BigDecimal n = java.math.BigDecimal.valueOf(x.length);
        java.math.BigDecimal sx = java.math.BigDecimal.ZERO;
        java.math.BigDecimal sy = java.math.BigDecimal.ZERO;
        for (int i = 0; i < x.length; i++) {
            sx = sx.add(new java.math.BigDecimal(x[i]));
            sy = sy.add(new java.math.BigDecimal(y[i]));
        }
        java.math.BigDecimal mx = sx.divide(n, mc);
        java.math.BigDecimal my = sy.divide(n, mc);
        java.math.BigDecimal sxy = java.math.BigDecimal.ZERO;
        java.math.BigDecimal sxx = java.math.BigDecimal.ZERO;
        java.math.BigDecimal syy = java.math.BigDecimal.ZERO;
        for (int i = 0; i < x.length; i++) {
            java.math.BigDecimal dx = new java.math.BigDecimal(x[i]).subtract(mx, mc);
            java.math.BigDecimal dy = new java.math.BigDecimal(y[i]).subtract(my, mc);
            sxy = sxy.add(dx.multiply(dy, mc), mc);
            sxx = sxx.add(dx.multiply(dx, mc), mc);
            syy = syy.add(dy.multiply(dy, mc), mc);
        }
        return sxy.divide(sxx.multiply(syy, mc).sqrt(mc), mc).doubleValue();
    }

    @Test
    void closedForms() {
        assertEquals(1.0, Pearson.correlation(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 0);
        assertEquals(-1.0, Pearson.correlation(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 0);
        // x = (1,2,3,4), y = (1,3,2,4): Σdxdy = 4, Σdx² = Σdy² = 5 -> r = 0.8
        assertEquals(0.8, Pearson.correlation(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), 1e-15);
    }

    @Test
    void undefinedIsNaN() {
        assertTrue(Double.isNaN(Pearson.correlation(new double[] {1, 1, 1}, new double[] {1, 2, 3})), "constant x");
        assertTrue(Double.isNaN(Pearson.correlation(new double[] {1}, new double[] {2})), "one point");
        assertTrue(Double.isNaN(Pearson.correlation(new double[] {1, Double.NaN}, new double[] {1, 2})), "NaN input");
        assertThrows(IllegalArgumentException.class, () -> Pearson.correlation(new double[2], new double[3]));
    }
}
