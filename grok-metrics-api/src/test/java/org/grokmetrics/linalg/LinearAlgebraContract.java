package org.grokmetrics.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.grokmetrics.testing.Gen;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of every {@link LinearAlgebra} implementation, checked against Apache Commons Math's
 * decompositions (a second, independent implementation), against matrices of known spectrum
 * ({@link MatrixCases#withSpectrum}) from 1&times;1 to 4096&times;1024 and 1024&times;4096, against singular values
 * recorded with NumPy, and against the defining identities; repeated and concurrent calls must give
 * identical results.
 */
public abstract class LinearAlgebraContract {

    protected abstract LinearAlgebra linearAlgebra();

    static double[][] rows(double[] a, int m, int n) {
        double[][] r = new double[m][n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(a, i * n, r[i], 0, n);
        }
        return r;
    }

    @PropertyTest(cases = 40)
    void svdMatchesCommonsMathAndReconstructs(Seed seed) {
        Gen g = seed.gen();
        int m = g.intIn(1, 40);
        int n = g.intIn(1, 40);
        double[] a = g.gaussianMatrix(m, n, g.logUniform(1e-3, 1e3));
        double[] copy = a.clone();
        Svd svd = linearAlgebra().svd(m, n, a, true);
        assertArrayEquals(copy, a, "input must not be modified");
        int k = Math.min(m, n);
        double[] ref = new SingularValueDecomposition(new Array2DRowRealMatrix(rows(a, m, n))).getSingularValues();
        double scale = ref[0];
        assertEquals(k, svd.rank());
        for (int i = 0; i < k; i++) {
            assertEquals(ref[i], svd.singularValues()[i], 1e-10 * scale, "sigma_" + i);
            if (i > 0) {
                assertTrue(svd.singularValues()[i] <= svd.singularValues()[i - 1], "descending");
            }
        }
        double[] ones = new double[k];
        java.util.Arrays.fill(ones, 1);
        double[] rec = svd.reconstruct(svd.singularValues());
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], rec[i], 1e-10 * scale, "reconstruction at " + i);
        }
        // U has orthonormal columns: U^T U = I
        double[] utu = Gen.multiply(Gen.transpose(svd.u(), m, k), svd.u(), k, m, k);
        double[] vvt = Gen.multiply(svd.vt(), Gen.transpose(svd.vt(), k, n), k, n, k);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                assertEquals(i == j ? 1 : 0, utu[i * k + j], 1e-9, "U^T U");
                assertEquals(i == j ? 1 : 0, vvt[i * k + j], 1e-9, "V^T V");
            }
        }
    }

    @PropertyTest(cases = 20)
    void singularValuesAloneAgreeWithFullSvd(Seed seed) {
        Gen g = seed.gen();
        int m = g.intIn(1, 30);
        int n = g.intIn(1, 30);
        double[] a = g.gaussianMatrix(m, n, 1);
        Svd values = linearAlgebra().svd(m, n, a, false);
        assertNull(values.u());
        assertArrayEquals(linearAlgebra().svd(m, n, a, true).singularValues(), values.singularValues(), 1e-10);
    }

    @PropertyTest(cases = 30)
    void symmetricEigenMatchesCommonsMath(Seed seed) {
        Gen g = seed.gen();
        int n = g.intIn(1, 30);
        double[] b = g.gaussianMatrix(n, n, 1);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = b[i * n + j] + b[j * n + i];
            }
        }
        SymmetricEigen e = linearAlgebra().symmetricEigen(n, a, true);
        double[] ref = new EigenDecomposition(new Array2DRowRealMatrix(rows(a, n, n))).getRealEigenvalues();
        double[] sortedRef = ref.clone();
        java.util.Arrays.sort(sortedRef);
        for (int i = 0; i < n; i++) {
            assertEquals(sortedRef[n - 1 - i], e.eigenvalues()[i], 1e-9 * (1 + Math.abs(sortedRef[n - 1])), "lambda_" + i);
        }
        // A q_j = lambda_j q_j and unit length
        for (int j = 0; j < n; j++) {
            double norm = 0;
            for (int i = 0; i < n; i++) {
                double aq = 0;
                for (int p = 0; p < n; p++) {
                    aq += a[i * n + p] * e.vectors()[p * n + j];
                }
                assertEquals(e.eigenvalues()[j] * e.vectors()[i * n + j], aq, 1e-8 * (1 + Math.abs(e.eigenvalues()[0])));
                norm += e.vectors()[i * n + j] * e.vectors()[i * n + j];
            }
            assertEquals(1.0, norm, 1e-9);
        }
    }

    /**
     * Singular values of a matrix read by rows ({@link MatrixRows}): the same, bit for bit, as over an array of
     * the same entries, on both sides of the Gram path (well-conditioned shapes with short side &gt; 128, and a
     * rank-deficient matrix that goes to the SVD), from a double array or a float buffer scaled by a power of two.
     */
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"40, 33", "300, 160", "160, 420", "129, 129", "20, 7"})
    void singularValuesOfAMatrixReadByRowsAreThoseOfTheArray(int m, int n) {
        double[] a = MatrixCases.splitmix(m, n, 11);
        assertArrayEquals(linearAlgebra().singularValues(m, n, a), linearAlgebra().singularValues(m, n, MatrixRows.of(a, n)),
                0.0, "double rows");
        float[] f = new float[m * n];
        double[] fd = new double[m * n];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a[i];
            fd[i] = 0.25 * f[i];
        }
        assertArrayEquals(linearAlgebra().singularValues(m, n, fd),
                linearAlgebra().singularValues(m, n, MatrixRows.of(java.nio.FloatBuffer.wrap(f), n, 0.25)), 0.0,
                "float rows times 1/4");
        int k = Math.min(m, n);
        double[] spectrum = MatrixCases.spectrum(MatrixCases.Spectrum.EQUAL, k);
        for (int i = k / 2; i < k; i++) {
            spectrum[i] = 0;   // rank k/2: the Gram path declines, the SVD answers
        }
        double[] low = MatrixCases.withSpectrum(m, n, spectrum, 3);
        double[] viaRows = linearAlgebra().singularValues(m, n, MatrixRows.of(low, n));
        assertArrayEquals(linearAlgebra().singularValues(m, n, low), viaRows, 0.0, "rank-deficient");
        assertEquals(0.0, viaRows[k - 1], 1e-12 * viaRows[0], "sigma_k of a rank-deficient matrix");
    }

    @Test
    void aMatrixReadByRowsWithANonFiniteValueIsNamed() {
        double[] a = MatrixCases.splitmix(40, 50, 2);
        a[3 * 50 + 5] = Double.NaN;
        var e = assertThrows(IllegalArgumentException.class,
                () -> linearAlgebra().singularValues(40, 50, MatrixRows.of(a, 50)));
        assertTrue(e.getMessage().contains("row 3") && e.getMessage().contains("column 5"), e.getMessage());
        double[] small = MatrixCases.splitmix(4, 5, 2);
        small[7] = Double.POSITIVE_INFINITY;
        var s = assertThrows(IllegalArgumentException.class,
                () -> linearAlgebra().singularValues(4, 5, MatrixRows.of(small, 5)));
        assertTrue(s.getMessage().contains("row 1") && s.getMessage().contains("column 2"), s.getMessage());
    }

    @Test
    void badInputNamesTheProblem() {
        var shape = assertThrows(IllegalArgumentException.class, () -> linearAlgebra().svd(2, 3, new double[5], true));
        assertTrue(shape.getMessage().contains("2x3"), shape.getMessage());
        var nan = assertThrows(IllegalArgumentException.class,
                () -> linearAlgebra().svd(2, 2, new double[] {1, Double.NaN, 0, 1}, false));
        assertTrue(nan.getMessage().contains("row 0, column 1"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> linearAlgebra().symmetricEigen(2, new double[] {1, 0, 0, Double.POSITIVE_INFINITY}, false));
    }

    @Test
    void emptyMatrices() {
        assertEquals(0, linearAlgebra().svd(0, 5, new double[0], true).rank());
        assertEquals(0, linearAlgebra().symmetricEigen(0, new double[0], false).eigenvalues().length);
    }

    // ---- shapes, spectra and references beyond the papers' 128-wide models -------------------------

    /**
     * Whether this implementation also runs the 4096&times;1024 and 1024&times;4096 cases (seconds each in
     * pure Java); variants that share another tested implementation's algorithm skip them.
     */
    protected boolean runsLargeShapes() {
        return true;
    }

    /** Shapes from 1&times;1 to 1024&times;128, aspect ratios 1 to 8 both ways, around the 128 crossover. */
    static Stream<Arguments> spectrumCases() {
        int[][] shapes = {{1, 1}, {1, 7}, {7, 1}, {2, 2}, {64, 64}, {129, 130}, {130, 129}, {160, 160},
                {257, 129}, {129, 257}, {300, 150}, {150, 300}, {200, 25}, {25, 200}, {512, 64}, {64, 512},
                {1024, 128}, {128, 1024}};
        return Arrays.stream(shapes).flatMap(sh -> Arrays.stream(MatrixCases.Spectrum.values())
                .map(kind -> Arguments.of(sh[0], sh[1], kind)));
    }

    @ParameterizedTest(name = "{0}x{1} {2}")
    @MethodSource("spectrumCases")
    void singularValuesOfAPrescribedSpectrum(int m, int n, MatrixCases.Spectrum kind) {
        checkPrescribed(m, n, kind);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"4096, 1024", "1024, 4096"})
    void singularValuesOfLargeMatrices(int m, int n) {
        Assumptions.assumeTrue(runsLargeShapes(), "covered by the implementation this one delegates to");
        checkPrescribed(m, n, MatrixCases.Spectrum.GEOMETRIC);
    }

    /**
     * {@link LinearAlgebra#singularValues} (the Gram path where it is accurate enough, else the SVD) on
     * the same spectra: the six-decade and rank-deficient ones must fall back, the others may not.
     */
    @ParameterizedTest(name = "{0}x{1} {2}")
    @MethodSource("spectrumCases")
    void singularValuesMethodOfAPrescribedSpectrum(int m, int n, MatrixCases.Spectrum kind) {
        checkPrescribed(m, n, kind, true);
    }

    private void checkPrescribed(int m, int n, MatrixCases.Spectrum kind) {
        checkPrescribed(m, n, kind, false);
    }

    private void checkPrescribed(int m, int n, MatrixCases.Spectrum kind, boolean valuesMethod) {
        int k = Math.min(m, n);
        double[] expected = MatrixCases.spectrum(kind, k);
        double[] a = MatrixCases.withSpectrum(m, n, expected, 31L * m + n);
        double[] s = valuesMethod ? linearAlgebra().singularValues(m, n, a.clone())
                : linearAlgebra().svd(m, n, a, false).singularValues();
        assertEquals(k, s.length);
        for (int i = 0; i < k; i++) {
            assertEquals(expected[i], s[i], 1e-10 * expected[0], m + "x" + n + " " + kind + " sigma_" + (i + 1));
        }
    }

    /**
     * Singular values recorded with NumPy 2.4.6 ({@code np.linalg.svd}, float64 LAPACK gesdd) by
     * {@code python3 scripts/linalg_reference.py}, for the float32-rounded matrices
     * {@link MatrixCases#splitmix}: &sigma;<sub>1</sub>, &sigma;<sub>k/2+1</sub>, &sigma;<sub>k</sub>,
     * &Sigma;&sigma; and H = &minus;&Sigma; p ln p, p = &sigma;/&Sigma;&sigma; (nats). GPT-2 small's shapes included.
     */
    record NumPyCase(int rows, int cols, long seed, double first, double middle, double last, double sum,
                     double entropy) {
        @Override
        public String toString() {
            return rows + "x" + cols;
        }
    }

    static Stream<NumPyCase> numPyCases() {
        return Stream.of(
            new NumPyCase(1, 1, 1, 0.2663017511367798, 0.2663017511367798, 0.2663017511367798, 0.2663017511367798, 0.0),
            new NumPyCase(7, 1, 2, 0.7693101641528391, 0.7693101641528391, 0.7693101641528391, 0.7693101641528391, 0.0),
            new NumPyCase(1, 9, 3, 0.7424726082922322, 0.7424726082922322, 0.7424726082922322, 0.7424726082922322, 0.0),
            new NumPyCase(300, 150, 4, 8.46280237429944, 4.568493222997199, 1.6358033539272667, 700.4834379976185, 4.933816976449665),
            new NumPyCase(150, 300, 5, 8.328471426831964, 4.5232041627439195, 1.5236535134199505, 700.581217652926, 4.933277309656864),
            new NumPyCase(512, 256, 6, 10.981588493283274, 5.939216686119813, 1.8559845351004995, 1556.8552358501072, 5.467722245893966),
            new NumPyCase(784, 256, 7, 12.630227171346407, 7.640798870311879, 3.542169348464246, 1984.6731658004737, 5.499075526276227),
            new NumPyCase(768, 768, 8, 15.938001674507884, 6.4654070256386245, 0.015907648365147718, 5220.421336653154, 6.426854643235627),
            new NumPyCase(768, 2304, 9, 21.85477331624186, 13.053727440658383, 5.965147952293334, 10182.671825704827, 6.596290648986336),
            new NumPyCase(3072, 768, 10, 23.94885772177139, 15.310577117684998, 8.083798533030386, 11891.973397090052, 6.609474867866079),
            new NumPyCase(1024, 128, 11, 12.376615522589583, 8.981353991947758, 5.960004051229031, 1160.3694277430413, 4.83575706337169),
            new NumPyCase(128, 1024, 12, 12.525842728384484, 9.006065726452407, 6.005015946022288, 1163.0286031341877, 4.835474765275417)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numPyCases")
    void singularValuesAgreeWithNumPy(NumPyCase c) {
        double[] a = MatrixCases.splitmix(c.rows(), c.cols(), c.seed());
        checkNumPy(c, a, linearAlgebra().svd(c.rows(), c.cols(), a, false).singularValues());
    }

    /** The same figures from {@link LinearAlgebra#singularValues} (for GPT-2's shapes: the Gram path). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("numPyCases")
    void singularValuesMethodAgreesWithNumPy(NumPyCase c) {
        double[] a = MatrixCases.splitmix(c.rows(), c.cols(), c.seed());
        double[] copy = a.clone();
        double[] s = linearAlgebra().singularValues(c.rows(), c.cols(), a);
        assertArrayEquals(copy, a, "input must not be modified");
        checkNumPy(c, a, s);
    }

    private static void checkNumPy(NumPyCase c, double[] a, double[] s) {
        int k = s.length;
        double tol = 1e-10 * c.first();
        assertEquals(c.first(), s[0], tol, "sigma_1");
        assertEquals(c.middle(), s[k / 2], tol, "sigma_k/2+1");
        assertEquals(c.last(), s[k - 1], tol, "sigma_k");
        double sum = 0;
        double sum2 = 0;
        for (double x : s) {
            sum += x;
            sum2 += x * x;
        }
        assertEquals(c.sum(), sum, 1e-10 * c.sum(), "sum of sigma");
        assertEquals(MatrixCases.frobenius2(a), sum2, 1e-11 * sum2, "sum of sigma^2 = |A|_F^2");
        double h = 0;
        for (double x : s) {
            double p = x / sum;
            h -= p > 0 ? p * Math.log(p) : 0;
        }
        assertEquals(c.entropy(), h, 1e-10, "spectral entropy (nats)");
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"300, 150", "150, 300", "257, 129", "160, 160", "400, 50"})
    void singularVectorsOfWideAndTallMatrices(int m, int n) {
        double[] a = MatrixCases.splitmix(m, n, m + 7L * n);
        Svd svd = linearAlgebra().svd(m, n, a, true);
        int k = Math.min(m, n);
        double[] rec = svd.reconstruct(svd.singularValues());
        double scale = svd.singularValues()[0];
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], rec[i], 1e-11 * scale, "U diag(sigma) V^T at " + i);
        }
        double[] utu = Gen.multiply(Gen.transpose(svd.u(), m, k), svd.u(), k, m, k);
        double[] vvt = Gen.multiply(svd.vt(), Gen.transpose(svd.vt(), k, n), k, n, k);
        for (int i = 0; i < k * k; i++) {
            double identity = i / k == i % k ? 1 : 0;
            assertEquals(identity, utu[i], 1e-11, "U^T U");
            assertEquals(identity, vvt[i], 1e-11, "V^T V");
        }
        assertArrayEquals(linearAlgebra().svd(m, n, a, false).singularValues(), svd.singularValues(), 1e-11 * scale,
                "values with and without vectors");
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {129, 200, 300})
    void symmetricEigenOfAPrescribedSpectrum(int n) {
        // Q diag(lambda) Q^T with lambda of both signs: Q from the left and right reflections of withSpectrum
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 1 - 2.0 * i / (n - 1);
        }
        double[] q = MatrixCases.withSpectrum(n, n, MatrixCases.spectrum(MatrixCases.Spectrum.EQUAL, n), n);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int p = 0; p < n; p++) {
                    x += q[i * n + p] * lambda[p] * q[j * n + p];
                }
                a[i * n + j] = x;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                a[i * n + j] = a[j * n + i];
            }
        }
        double[] ev = linearAlgebra().symmetricEigen(n, a, false).eigenvalues();
        for (int i = 0; i < n; i++) {
            assertEquals(lambda[i], ev[i], 1e-12 * n, "lambda_" + (i + 1));
        }
    }

    @Test
    void repeatedCallsGiveIdenticalResults() {
        for (int[] sh : new int[][] {{300, 150}, {150, 300}, {512, 256}}) {
            double[] a = MatrixCases.splitmix(sh[0], sh[1], 99);
            double[] first = linearAlgebra().svd(sh[0], sh[1], a, false).singularValues();
            for (int call = 0; call < 3; call++) {
                assertArrayEquals(first, linearAlgebra().svd(sh[0], sh[1], a, false).singularValues(),
                        sh[0] + "x" + sh[1] + " call " + (call + 2));
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        int[][] shapes = {{300, 150}, {257, 129}, {150, 300}, {64, 512}};
        double[][] inputs = new double[shapes.length][];
        double[][] sequential = new double[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            inputs[i] = MatrixCases.splitmix(shapes[i][0], shapes[i][1], 40 + i);
            sequential[i] = linearAlgebra().svd(shapes[i][0], shapes[i][1], inputs[i], false).singularValues();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int rep = 0; rep < 3; rep++) {
                for (int i = 0; i < shapes.length; i++) {
                    int c = i;
                    futures.add(pool.submit(() -> linearAlgebra().svd(shapes[c][0], shapes[c][1], inputs[c], false)
                            .singularValues()));
                }
            }
            for (int f = 0; f < futures.size(); f++) {
                int c = f % shapes.length;
                assertArrayEquals(sequential[c], futures.get(f).get(), shapes[c][0] + "x" + shapes[c][1] + " on a pool thread");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
