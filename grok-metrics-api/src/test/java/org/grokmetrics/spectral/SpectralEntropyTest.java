package org.grokmetrics.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.testing.Gen;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Spectral entropy against closed forms, NumPy references and Commons Math's SVD, plus the gradient
 * against central finite differences.
 */
class SpectralEntropyTest {

    private static final LinearAlgebra LA = new EjmlLinearAlgebra();

    private static double entropy(int m, int n, double[] a) {
        return SpectralEntropy.analyze(m, n, a, false, LA).entropy();
    }

    /** Matrix used for the NumPy references: sin(0.37 (i n + j) + 0.1) (1 + i mod 3), rounded to float. */
    private static Tensor sinMatrix(int m, int n) {
        float[] d = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                d[i * n + j] = (float) (Math.sin(0.37 * (i * n + j) + 0.1) * (1 + i % 3));
            }
        }
        return Tensor.matrix("sin", m, n, d);
    }

    /** Full-rank matrix used for NumPy references: cos(0.7 i^2 + 1.3 j + 0.11 i j), rounded to float. */
    private static Tensor cosMatrix(int m, int n) {
        float[] d = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                d[i * n + j] = (float) Math.cos(0.7 * i * i + 1.3 * j + 0.11 * i * j);
            }
        }
        return Tensor.matrix("cos", m, n, d);
    }

    /**
     * Values from NumPy 2.4.6 (np.linalg.svd on the float32-rounded matrix in float64,
     * H = -sum(p log p), p = s / s.sum()).
     */
    @ParameterizedTest(name = "sin {0}x{1}")
    @CsvSource({
        "5, 7, 0.684174301716341, 1.9821345145969549",
        "8, 3, 0.5459310775593622, 1.726214874308191",
        "16, 16, 0.692318742017544, 1.998343809036133",
        "1, 4, 0.0, 1.0"})
    void matchesNumpyOnLowRankReference(int m, int n, double h, double erank) {
        assertEquals(h, SpectralEntropy.entropy(sinMatrix(m, n)), 1e-10);
        assertEquals(erank, SpectralEntropy.effectiveRank(sinMatrix(m, n)), 1e-9);
    }

    @ParameterizedTest(name = "cos {0}x{1}")
    @CsvSource({
        "6, 4, 1.054564718516513, 2.8707253083328688",
        "12, 20, 2.278051030024965, 9.757644509179961",
        "32, 32, 2.923070297141807, 18.598302202952993"})
    void matchesNumpyOnFullRankReference(int m, int n, double h, double erank) {
        assertEquals(h, SpectralEntropy.entropy(cosMatrix(m, n)), 1e-10);
        assertEquals(erank, SpectralEntropy.effectiveRank(cosMatrix(m, n)), 1e-9);
    }

    @PropertyTest(cases = 50)
    void agreesWithCommonsMathSvd(Seed seed) {
        Gen g = seed.gen();
        int m = g.intIn(1, 25);
        int n = g.intIn(1, 25);
        double[] a = g.gaussianMatrix(m, n, 1);
        double[] s = new SingularValueDecomposition(new Array2DRowRealMatrix(
                org.grokmetrics.linalg.LinearAlgebraContractAccess.rows(a, m, n))).getSingularValues();
        assertEquals(SpectralEntropy.entropyOfSingularValues(s), entropy(m, n, a), 1e-10);
    }

    @PropertyTest(cases = 50)
    void rankOneHasZeroEntropy(Seed seed) {
        Gen g = seed.gen();
        int m = g.intIn(1, 30);
        int n = g.intIn(1, 30);
        double[] u = g.gaussianMatrix(m, 1, 1);
        double[] v = g.gaussianMatrix(1, n, g.logUniform(1e-3, 1e3));
        double[] a = Gen.multiply(u, v, m, 1, n);
        assertEquals(0.0, entropy(m, n, a), 1e-9);
        assertEquals(1.0, SpectralEntropy.analyze(m, n, a, false, LA).effectiveRank(), 1e-8);
    }

    @PropertyTest(cases = 50)
    void scaledOrthogonalHasLogN(Seed seed) {
        Gen g = seed.gen();
        int n = g.intIn(1, 40);
        double c = g.logUniform(1e-4, 1e4) * (g.random().nextBoolean() ? 1 : -1);
        double[] q = g.orthogonal(n);
        for (int i = 0; i < q.length; i++) {
            q[i] *= c;
        }
        assertEquals(Math.log(n), entropy(n, n, q), 1e-9);
        assertEquals(n, SpectralEntropy.analyze(n, n, q, false, LA).effectiveRank(), 1e-7 * n);
    }

    @PropertyTest(cases = 50)
    void closedFormForPrescribedSingularValues(Seed seed) {
        Gen g = seed.gen();
        int m = g.intIn(2, 20);
        int n = g.intIn(2, 20);
        int k = g.intIn(1, Math.min(m, n));
        double[] s = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            s[i] = g.logUniform(1e-2, 10);
            sum += s[i];
        }
        double h = 0;
        for (double v : s) {
            h -= v / sum * Math.log(v / sum);
        }
        assertEquals(h, entropy(m, n, g.withSingularValues(m, n, s)), 1e-9);
    }

    @PropertyTest(cases = 50)
    void invariantToScalingAndOrthogonalTransforms(Seed seed) {
        Gen g = seed.gen();
        int m = g.intIn(1, 20);
        int n = g.intIn(1, 20);
        double[] a = g.gaussianMatrix(m, n, 1);
        double h = entropy(m, n, a);
        double c = g.logUniform(1e-3, 1e3);
        double[] scaled = a.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= -c;
        }
        assertEquals(h, entropy(m, n, scaled), 1e-9, "scaling");
        assertEquals(h, entropy(m, n, Gen.multiply(g.orthogonal(m), a, m, m, n)), 1e-9, "left");
        assertEquals(h, entropy(m, n, Gen.multiply(a, g.orthogonal(n), m, n, n)), 1e-9, "right");
        assertEquals(h, entropy(n, m, Gen.transpose(a, m, n)), 1e-9, "transpose");
    }

    @PropertyTest(cases = 50)
    void effectiveRankWithinOneAndMinDimension(Seed seed) {
        Gen g = seed.gen();
        int m = g.intIn(1, 30);
        int n = g.intIn(1, 30);
        double[] a = g.gaussianMatrix(m, n, g.logUniform(1e-3, 1e3));
        double r = SpectralEntropy.analyze(m, n, a, false, LA).effectiveRank();
        assertTrue(r >= 1 - 1e-12 && r <= Math.min(m, n) + 1e-9, "erank " + r);
    }

    @PropertyTest(cases = 40)
    void gradientMatchesCentralDifferences(Seed seed) {
        Gen g = seed.gen();
        int m = g.intIn(1, 9);
        int n = g.intIn(1, 9);
        double[] a = g.gaussianMatrix(m, n, g.logUniform(0.1, 10));
        double[] grad = SpectralEntropy.analyze(m, n, a, true, LA).gradient().orElseThrow();
        double scale = 0;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        double h = 1e-6 * scale;
        for (int i = 0; i < a.length; i++) {
            double[] plus = a.clone();
            double[] minus = a.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (entropy(m, n, plus) - entropy(m, n, minus)) / (2 * h);
            assertEquals(fd, grad[i], 1e-5 * (1 + Math.abs(fd)) / Math.min(1, scale), "dH/dM at " + i);
        }
    }

    @Test
    void gradientOfFloatTensorKeepsNameAndShape() {
        Tensor t = cosMatrix(6, 4);
        Tensor g = SpectralEntropy.gradient(t);
        assertEquals("cos", g.name());
        assertArrayEquals(t.shape(), g.shape());
        double[] ref = SpectralEntropy.analyze(6, 4, t.toDoubleArray(), true, LA).gradient().orElseThrow();
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], g.get(i), 1e-6 * Math.abs(ref[i]) + 1e-7);
        }
    }

    @Test
    void gradientIsOrthogonalToScaling() {
        // H is scale-invariant, so <dH/dM, M> = 0 (Euler's theorem, degree 0)
        Tensor t = cosMatrix(12, 20);
        double[] a = t.toDoubleArray();
        double[] g = SpectralEntropy.analyze(12, 20, a, true, LA).gradient().orElseThrow();
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * g[i];
        }
        assertEquals(0.0, dot, 1e-12);
    }

    @Test
    void zeroMatrixIsDocumentedNotNaN() {
        SpectralEntropy.Result r = SpectralEntropy.analyze(3, 4, new double[12], true, LA);
        assertEquals(0.0, r.entropy());
        assertEquals(0.0, r.effectiveRank());
        assertArrayEquals(new double[12], r.gradient().orElseThrow());
    }

    @Test
    void rankDeficientGradientIsFinite() {
        Gen g = new Gen(new java.util.SplittableRandom(7));
        double[] a = g.withSingularValues(8, 6, new double[] {3, 1});
        double[] grad = SpectralEntropy.analyze(8, 6, a, true, LA).gradient().orElseThrow();
        for (double v : grad) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void nonFiniteEntriesAndVectorsAreRejectedWithTheName() {
        Tensor bad = Tensor.matrix("attn.q", 2, 2, new float[] {1, 0, Float.NaN, 1});
        var e = assertThrows(IllegalArgumentException.class, () -> SpectralEntropy.entropy(bad));
        assertTrue(e.getMessage().contains("attn.q"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpectralEntropy.gradient(bad));
        var v = assertThrows(IllegalArgumentException.class,
                () -> SpectralEntropy.entropy(Tensor.vector("bias", new float[3])));
        assertTrue(v.getMessage().contains("bias"), v.getMessage());
    }

    @Test
    void higherRankTensorsUseLeadingDimensionAsRows() {
        Tensor m = cosMatrix(6, 4);
        Tensor t3 = m.reshape(6, 2, 2);
        assertEquals(SpectralEntropy.entropy(m), SpectralEntropy.entropy(t3), 0.0);
    }

    @Test
    void modelLevelFiguresFollowTheirFormulas() {
        // diag(1,1) has H = ln 2, erank 2; diag(1,0,0) has H = 0, erank 1; the bias counts in the total
        Tensor a = Tensor.matrix("a", 2, 2, new float[] {1, 0, 0, 1});
        Tensor b = Tensor.matrix("b", 3, 3, new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0});
        Tensor bias = Tensor.vector("bias", new float[] {1, 2, 3});
        ParameterSnapshot p = ParameterSnapshot.of(List.of(a, bias, b));
        assertEquals(Math.log(2) / 2, SpectralEntropy.meanEntropy(p), 1e-12);
        assertEquals((2.0 * 4 + 1.0 * 9) / 16, SpectralEntropy.effectiveRank(p), 1e-12);
        assertTrue(Double.isNaN(SpectralEntropy.meanEntropy(ParameterSnapshot.of(bias))));
    }

    @Test
    void entropyOfSingularValuesValidates() {
        assertEquals(Math.log(3), SpectralEntropy.entropyOfSingularValues(new double[] {2, 2, 2}), 1e-15);
        assertEquals(0.0, SpectralEntropy.entropyOfSingularValues(new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> SpectralEntropy.entropyOfSingularValues(new double[] {-1}));
    }

    /**
     * A float tensor's values-only analysis reads the tensor in place (no double copy) and gives the double
     * path's singular values and entropy bit for bit, on non-square matrices with short side &gt; 128 and on a
     * rank-3 tensor's matrix view.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"300x160", "160x420", "20x8x30", "129x129", "5x7"})
    void aTensorsValuesMatchTheDoubleArrays(String dims) {
        int[] shape = java.util.Arrays.stream(dims.split("x")).mapToInt(Integer::parseInt).toArray();
        int size = java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        java.util.SplittableRandom r = new java.util.SplittableRandom(size);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (3e-3 * r.nextGaussian());
        }
        Tensor t = new Tensor("w", shape, v);
        EjmlLinearAlgebra la = new EjmlLinearAlgebra();
        SpectralEntropy.Result fromTensor = SpectralEntropy.analyze(t, false, la);
        SpectralEntropy.Result fromArray = SpectralEntropy.analyze(t.rows(), t.cols(), t.toDoubleArray(), false, la);
        assertArrayEquals(fromArray.singularValues(), fromTensor.singularValues(), 0.0);
        assertEquals(fromArray.entropy(), fromTensor.entropy(), 0.0);
        assertEquals(fromArray.effectiveRank(), fromTensor.effectiveRank(), 0.0);
        assertTrue(fromTensor.gradient().isEmpty());
    }
}
