package org.grokmetrics.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.grokmetrics.api.Tensor;
import org.grokmetrics.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spectral entropy at the edges of double: H(cA) = H(A) (scale invariance) for c over decades from 1e-320
 * to 1e300, exactly for powers of two; equal singular values near Double.MAX_VALUE give ln 2; the gradient
 * is 1/c times the gradient at scale 1, finite for every float input, denormals included.
 */
final class SpectralEntropyScaleTest {

    /** A fixed 4x3 matrix of small integers (4 significant bits: exact at any scale down to 2^-1070). */
    private static final double[] A = {3, -1, 2, 0, 5, -7, 1, 1, 4, -2, 6, 1};

    private static Result at(double c, boolean gradient) {
        double[] m = new double[A.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = c * A[i];
        }
        return new Result(SpectralEntropy.analyze(4, 3, m, gradient, LinearAlgebra.getDefault()), m);
    }

    private record Result(SpectralEntropy.Result r, double[] m) {
    }

    @Test
    void everyDecadeFrom1eMinus320To1e300GivesTheEntropyAtScaleOne() {
        SpectralEntropy.Result one = at(1, true).r();
        // first-order sensitivity of H to a perturbation E of A: |dH| <= ||dH/dA||_F ||E||_F
        double gradNorm = 0;
        for (double g : one.gradient().orElseThrow()) {
            gradNorm += g * g;
        }
        gradNorm = Math.sqrt(gradNorm);
        for (int k = -320; k <= 300; k++) {
            double c = Double.parseDouble("1e" + k);
            Result r = at(c, false);
            // the rounding of c*A, in units of A: what the matrix really is at this scale
            double err = 0;
            for (int i = 0; i < A.length; i++) {
                double d = r.m()[i] / c - A[i];
                err += d * d;
            }
            err = Math.sqrt(err);
            if (c < 1e-300) {
                // denormal entries: the division by c above is itself inexact; bound the rounding directly
                err = Math.sqrt(A.length) * Double.MIN_VALUE / c;
            }
            double tol = 1e-13 + 4 * gradNorm * err;
            assertEquals(one.entropy(), r.r().entropy(), tol, "c = " + c);
            assertTrue(Double.isFinite(r.r().effectiveRank()), "c = " + c);
        }
    }

    @Test
    void powersOfTwoFromDenormalToNearMaxGiveExactlyTheSameEntropy() {
        double h = at(1, false).r().entropy();
        for (int e = -1070; e <= 1020; e++) {
            assertEquals(h, at(Math.scalb(1.0, e), false).r().entropy(), 0.0, "c = 2^" + e);
        }
    }

    @Test
    void twoEqualSingularValuesNearDoubleMaxGiveLn2() {
        double s = 0.9 * Double.MAX_VALUE;
        double[] diag = {s, 0, 0, s};
        assertEquals(Math.log(2), SpectralEntropy.analyze(2, 2, diag, false, LinearAlgebra.getDefault()).entropy(),
                1e-15);
        // a rotation of it: the entries are cos/sin times s, their squares far beyond double
        double c = Math.cos(0.3);
        double n = Math.sin(0.3);
        double[] rotated = {c * s, -n * s, n * s, c * s};
        SpectralEntropy.Result r = SpectralEntropy.analyze(2, 2, rotated, true, LinearAlgebra.getDefault());
        assertEquals(Math.log(2), r.entropy(), 1e-14);
        assertEquals(s, r.singularValues()[0], 1e-14 * s);
        for (double g : r.gradient().orElseThrow()) {
            // equal singular values: H is at its maximum, the gradient vanishes (up to rounding at scale 1e-308)
            assertTrue(Double.isFinite(g) && Math.abs(g) < 1e-300, "gradient " + g);
        }
        assertEquals(Math.log(2), SpectralEntropy.entropyOfSingularValues(new double[] {Double.MAX_VALUE,
                Double.MAX_VALUE}), 1e-15);
    }

    @ParameterizedTest
    @ValueSource(ints = {-149, -140, -126, -100, 0, 60, 120})
    void theGradientOfAFloatMatrixIsFiniteAndScalesAsOneOverC(int e) {
        // float entries 2^e * A: denormal floats for e < -126 + 3
        double c = Math.scalb(1.0, e);
        float[] f = new float[A.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (c * A[i]);
        }
        Tensor t = Tensor.matrix("w", 4, 3, f);
        double[] g = SpectralEntropy.analyze(t, true, LinearAlgebra.getDefault()).gradient().orElseThrow();
        double[] g1 = at(1, true).r().gradient().orElseThrow();
        for (int i = 0; i < g.length; i++) {
            assertTrue(Double.isFinite(g[i]), "gradient entry " + i + " at 2^" + e + ": " + g[i]);
            assertEquals(g1[i], g[i] * c, 1e-12 * (1 + Math.abs(g1[i])), "entry " + i + " at 2^" + e);
        }
    }

    @Test
    void aGradientBeyondTheTargetRangeIsAnErrorWithItsCauseNotAnInfinity() {
        float[] f = new float[A.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (Math.scalb(1.0, -149) * A[i]);
        }
        // the double gradient is ~2^149: finite in double, beyond float
        var e = assertThrows(IllegalArgumentException.class, () -> SpectralEntropy.gradient(Tensor.matrix("w", 4, 3, f)));
        assertTrue(e.getMessage().contains("beyond float's range"), e.getMessage());
        // a double matrix at 2^-1070: its gradient ~2^1070 is beyond double
        var d = assertThrows(IllegalArgumentException.class, () -> at(Math.scalb(1.0, -1070), true));
        assertTrue(d.getMessage().contains("beyond double's range"), d.getMessage());
        // and without the gradient, the same matrix is fine
        assertEquals(at(1, false).r().entropy(), at(Math.scalb(1.0, -1070), false).r().entropy(), 0.0);
    }

    @Test
    void equalSingularValuesAtDenormalScaleHaveAFiniteZeroGradient() {
        double t = Math.scalb(1.0, -1070);
        SpectralEntropy.Result r = SpectralEntropy.analyze(2, 2, new double[] {t, 0, 0, t}, true,
                LinearAlgebra.getDefault());
        assertEquals(Math.log(2), r.entropy(), 1e-15);
        assertEquals(Optional.of(0.0), java.util.Arrays.stream(r.gradient().orElseThrow()).map(Math::abs).boxed()
                .max(Double::compare));
    }
}
