package org.grokmetrics.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.grokmetrics.testing.Gen;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Gram path against EJML's full SVD (an independent algorithm: bidiagonalisation of A itself): its
 * values where it accepts, its refusal where forming A&middot;A&#7488; would lose the small values, and its
 * rank-r factors as the orthogonal projection (Eckart&ndash;Young: the error of the best rank-r
 * approximation).
 */
class GramSvdTest {

    private static final EjmlLinearAlgebra EJML = new EjmlLinearAlgebra();

    @Test
    void gramMatrixIsTheProductOfTheShortSide() {
        Gen g = new Gen(new java.util.SplittableRandom(5));
        for (int[] sh : new int[][] {{5, 300}, {300, 5}, {7, 7}, {37, 517}, {517, 37}, {1, 1}}) {
            int m = sh[0];
            int n = sh[1];
            double[] a = g.gaussianMatrix(m, n, 1);
            int k = Math.min(m, n);
            double[] gram = GramMatrix.of(m, n, a);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double s = 0;
                    if (m <= n) {
                        for (int c = 0; c < n; c++) {
                            s += a[i * n + c] * a[j * n + c];
                        }
                    } else {
                        for (int r = 0; r < m; r++) {
                            s += a[r * n + i] * a[r * n + j];
                        }
                    }
                    assertEquals(s, gram[i * k + j], 1e-12 * Math.max(m, n), m + "x" + n + " G[" + i + "," + j + "]");
                }
            }
        }
    }

    @PropertyTest(cases = 12)
    void acceptedValuesAgreeWithTheFullSvd(Seed seed) {
        Gen g = seed.gen();
        int m = g.intIn(32, 260);
        int n = g.intIn(32, 260);
        if (g.random().nextBoolean()) {
            n = m * g.intIn(1, 4);
        }
        double[] a = g.gaussianMatrix(m, n, g.logUniform(1e-3, 1e3));
        double[] exact = EJML.svd(m, n, a, false).singularValues();
        Optional<double[]> gram = GramSvd.singularValues(EJML, m, n, a);
        if (gram.isPresent()) {
            for (int i = 0; i < exact.length; i++) {
                assertEquals(exact[i], gram.get()[i], GramSvd.VALUE_TOLERANCE * exact[0], m + "x" + n + " sigma_" + i);
            }
        } else {
            // refused: only where the estimated error would exceed the tolerance
            double k = Math.min(m, n);
            assertTrue(k * Math.ulp(1.0) / 2 * exact[0] / (2 * exact[exact.length - 1]) > GramSvd.VALUE_TOLERANCE / 2,
                    m + "x" + n + " refused although sigma_k / sigma_1 = " + exact[exact.length - 1] / exact[0]);
        }
    }

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({"200, 100, GEOMETRIC", "100, 200, RANK_DEFICIENT", "64, 64, RANK_DEFICIENT"})
    void illConditionedMatricesAreRefused(int m, int n, MatrixCases.Spectrum kind) {
        double[] a = MatrixCases.withSpectrum(m, n, MatrixCases.spectrum(kind, Math.min(m, n)), 3);
        assertTrue(GramSvd.singularValues(EJML, m, n, a).isEmpty());
    }

    @Test
    void wellConditionedGpt2ShapesTakeTheGramPath() {
        double[] a = MatrixCases.splitmix(768, 2304, 9);
        assertTrue(GramSvd.singularValues(EJML, 768, 2304, a).isPresent());
    }

    @ParameterizedTest(name = "{0}x{1} rank {2}")
    @CsvSource({"60, 150, 20", "150, 60, 20", "80, 80, 40", "120, 40, 40", "40, 120, 1", "50, 90, 0"})
    void factorsAreTheBestRankRApproximation(int m, int n, int r) {
        Gen g = new Gen(new java.util.SplittableRandom(11L * m + n));
        // a decaying spectrum over ten decades: the small triplets are inaccurate, the projection is not
        int k = Math.min(m, n);
        double[] spectrum = new double[k];
        for (int i = 0; i < k; i++) {
            spectrum[i] = Math.pow(10, -10.0 * i / k);
        }
        double[] a = g.withSingularValues(m, n, spectrum);
        GramSvd.Basis basis = GramSvd.basis(EJML, m, n, a);
        double[][] f = basis.factors(a, r);
        assertEquals(m * r, f[0].length);
        assertEquals(r * n, f[1].length);
        double err2 = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double p = 0;
                for (int l = 0; l < r; l++) {
                    p += f[0][i * r + l] * f[1][l * n + j];
                }
                err2 += (a[i * n + j] - p) * (a[i * n + j] - p);
            }
        }
        double tail2 = 0;
        for (int i = r; i < k; i++) {
            tail2 += spectrum[i] * spectrum[i];
        }
        assertEquals(tail2, err2, 1e-12 + 1e-8 * tail2, "|A - L R|_F^2 = sum of the dropped sigma^2");
        for (int l = 0; l < r; l++) {
            double norm2 = 0;
            for (int j = 0; j < n; j++) {
                norm2 += f[1][l * n + j] * f[1][l * n + j];
            }
            assertEquals(1, norm2, 1e-9, "row " + l + " of R has unit norm");
            assertEquals(spectrum[l], basis.singularValues()[l], 1e-7 * spectrum[0], "sigma_" + l);
        }
    }

    /**
     * Read in place from a float buffer through a power-of-two scale ({@link MatrixRows}, as the compressor's rank
     * chain reads a tensor): the same basis and the same float factors as from a double copy of the scaled values.
     */
    @ParameterizedTest(name = "{0}x{1} rank {2}")
    @CsvSource({"300, 70, 40", "70, 300, 40", "64, 64, 31", "257, 33, 1", "40, 90, 0", "400, 150, 60", "150, 400, 60"})
    void aMatrixReadInPlaceGivesTheBasisAndFactorsOfItsCopy(int m, int n, int r) {
        Gen g = new Gen(new java.util.SplittableRandom(5L * m + n));
        float[] values = g.gaussianFloats(m * n, 0.02);
        double scale = 0x1p5;
        double[] copy = new double[m * n];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = scale * values[i];
        }
        MatrixRows rows = MatrixRows.of(java.nio.FloatBuffer.wrap(values).asReadOnlyBuffer(), n, scale);
        GramSvd.Basis fromRows = GramSvd.basis(EJML, m, n, rows);
        GramSvd.Basis fromCopy = GramSvd.basis(EJML, m, n, copy);
        assertArrayEquals(fromCopy.singularValues(), fromRows.singularValues());
        assertArrayEquals(fromCopy.vectors(), fromRows.vectors());
        float[][] f = fromRows.floatFactors(rows, r, 1 / scale);
        double[][] d = fromCopy.factors(copy, r);
        // the left factor carries the scale (L R is the projection of A / scale), the right one is orthonormal
        for (int side = 0; side < 2; side++) {
            assertEquals(d[side].length, f[side].length);
            for (int i = 0; i < f[side].length; i++) {
                assertEquals((float) (side == 0 ? d[side][i] / scale : d[side][i]), f[side][i],
                        "factor " + side + ", value " + i);
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThread() throws Exception {
        double[] a = MatrixCases.splitmix(300, 90, 4);
        GramSvd.Basis here = GramSvd.basis(EJML, 300, 90, a);
        double[][] f = here.factors(a, 30);
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            double[][] there = pool.submit(() -> GramSvd.basis(EJML, 300, 90, a).factors(a, 30)).get();
            assertArrayEquals(f[0], there[0]);
            assertArrayEquals(f[1], there[1]);
        } finally {
            pool.shutdown();
        }
    }
}
