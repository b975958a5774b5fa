package org.grokmetrics.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.grokmetrics.testing.Gen;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link LinearAlgebra} implementation, checked against Apache Commons Math's
 * decompositions (a second, independent implementation) and against the defining identities.
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
}
