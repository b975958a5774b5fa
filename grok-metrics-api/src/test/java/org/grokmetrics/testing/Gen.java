package org.grokmetrics.testing;

import java.util.SplittableRandom;

/**
 * Random generators for properties: Gaussian matrices, orthogonal matrices (Gram&ndash;Schmidt on
 * Gaussians), low-rank products. Matrices are row-major double arrays.
 */
public final class Gen {

    private final SplittableRandom random;

    public Gen(SplittableRandom random) {
        this.random = random;
    }

    /** The underlying generator. */
    public SplittableRandom random() {
        return random;
    }

    /** Uniform int in [lo, hi]. */
    public int intIn(int lo, int hi) {
        return random.nextInt(lo, hi + 1);
    }

    /** Uniform double in [lo, hi). */
    public double doubleIn(double lo, double hi) {
        return random.nextDouble(lo, hi);
    }

    /** Log-uniform double in [lo, hi). */
    public double logUniform(double lo, double hi) {
        return Math.exp(random.nextDouble(Math.log(lo), Math.log(hi)));
    }

    /** A standard normal draw (Box&ndash;Muller). */
    public double gaussian() {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** An m&times;n matrix of N(0, scale&sup2;) entries. */
    public double[] gaussianMatrix(int m, int n, double scale) {
        double[] a = new double[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = scale * gaussian();
        }
        return a;
    }

    /** A Gaussian matrix rounded to float and back, so float and double paths see the same values. */
    public float[] gaussianFloats(int count, double scale) {
        float[] a = new float[count];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (scale * gaussian());
        }
        return a;
    }

    /** A random n&times;n orthogonal matrix. */
    public double[] orthogonal(int n) {
        return orthonormalColumns(n, n);
    }

    /** An m&times;k matrix with orthonormal columns (k &le; m). */
    public double[] orthonormalColumns(int m, int k) {
        double[] q = gaussianMatrix(m, k, 1.0);
        for (int j = 0; j < k; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) {
                        dot += q[i * k + j] * q[i * k + p];
                    }
                    for (int i = 0; i < m; i++) {
                        q[i * k + j] -= dot * q[i * k + p];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += q[i * k + j] * q[i * k + j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                q[i * k + j] /= norm;
            }
        }
        return q;
    }

    /** C = A (m&times;p) &middot; B (p&times;n). */
    public static double[] multiply(double[] a, double[] b, int m, int p, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < p; k++) {
                double aik = a[i * p + k];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aik * b[k * n + j];
                }
            }
        }
        return c;
    }

    /** The transpose of an m&times;n matrix. */
    public static double[] transpose(double[] a, int m, int n) {
        double[] t = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t[j * m + i] = a[i * n + j];
            }
        }
        return t;
    }

    /** An m&times;n matrix U diag(s) V&#7488; with the given singular values (length &le; min(m,n)). */
    public double[] withSingularValues(int m, int n, double[] s) {
        int k = s.length;
        double[] u = orthonormalColumns(m, k);
        double[] v = orthonormalColumns(n, k);
        double[] us = new double[m * k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                us[i * k + j] = u[i * k + j] * s[j];
            }
        }
        return multiply(us, transpose(v, n, k), m, k, n);
    }
}
