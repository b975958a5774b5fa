package org.grokmetrics.linalg;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic test matrices with an independently known answer, shared by the linear-algebra contract
 * and the adapters' tests (api test-jar).
 *
 * <ul>
 *   <li>{@link #splitmix}: the matrices of {@code scripts/linalg_reference.py}, whose NumPy singular values
 *       the contract records;</li>
 *   <li>{@link #withSpectrum}: P&middot;diag(&sigma;)&middot;Q for orthogonal P, Q built from Householder
 *       reflections, so the exact singular values are the ones given (up to the rounding of the
 *       construction, ~10<sup>&minus;16</sup>&middot;&sigma;<sub>1</sub>); O(m&middot;n) to build at any size.</li>
 * </ul>
 */
public final class MatrixCases {

    private MatrixCases() {
    }

    /** The spectra {@link #spectrum} can make. */
    public enum Spectrum {
        /** &sigma;_i = 10^(&minus;6 i/k): a smooth decay over six decades. */
        GEOMETRIC,
        /** the first half geometric, the rest exactly zero. */
        RANK_DEFICIENT,
        /** one value 2, the rest 1 + 10^&minus;12 &middot; i: nearly degenerate. */
        CLUSTER,
        /** every value 1: exactly degenerate. */
        EQUAL
    }

    /** k singular values of the given kind, descending. */
    public static double[] spectrum(Spectrum kind, int k) {
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = switch (kind) {
                case GEOMETRIC -> Math.pow(10, -6.0 * i / Math.max(1, k));
                case RANK_DEFICIENT -> i < (k + 1) / 2 ? Math.pow(10, -3.0 * i / Math.max(1, k)) : 0;
                case CLUSTER -> i == 0 ? 2 : 1 + 1e-12 * (k - i);
                case EQUAL -> 1;
            };
        }
        return s;
    }

    /**
     * A row-major m&times;n matrix with exactly the singular values {@code s} (descending, length
     * min(m, n)): diag(s) with two Householder reflections applied on each side.
     */
    public static double[] withSpectrum(int m, int n, double[] s, long seed) {
        if (s.length != Math.min(m, n)) {
            throw new IllegalArgumentException("need " + Math.min(m, n) + " singular values, got " + s.length);
        }
        double[] a = new double[m * n];
        for (int i = 0; i < s.length; i++) {
            a[i * n + i] = s[i];
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int rep = 0; rep < 2; rep++) {
            reflectRows(a, m, n, unit(m, r));
            reflectColumns(a, m, n, unit(n, r));
        }
        return a;
    }

    /**
     * The matrix of {@code scripts/linalg_reference.py}: entry i (row-major) is the top 53 bits of
     * splitmix64(seed &middot; 2<sup>32</sup> + i) as a uniform in [0, 1), minus 0.5, rounded to float32.
     */
    public static double[] splitmix(int rows, int cols, long seed) {
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            long z = (seed << 32) + i + 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            a[i] = (float) ((z >>> 11) * 0x1.0p-53 - 0.5);
        }
        return a;
    }

    /** &Vert;A&Vert;&sup2;_F summed in order. */
    public static double frobenius2(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return s;
    }

    /** A copy sorted descending. */
    public static double[] descending(double[] s) {
        double[] d = s.clone();
        Arrays.sort(d);
        for (int i = 0, j = d.length - 1; i < j; i++, j--) {
            double t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return d;
    }

    private static double[] unit(int length, SplittableRandom r) {
        double[] v = new double[length];
        double norm = 0;
        for (int i = 0; i < length; i++) {
            v[i] = r.nextDouble(-1, 1);
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < length; i++) {
            v[i] /= norm;
        }
        return v;
    }

    /** A := (I &minus; 2 v v&#7488;) A. */
    private static void reflectRows(double[] a, int m, int n, double[] v) {
        double[] vta = new double[n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                vta[j] += v[i] * a[i * n + j];
            }
        }
        for (int i = 0; i < m; i++) {
            double f = 2 * v[i];
            for (int j = 0; j < n; j++) {
                a[i * n + j] -= f * vta[j];
            }
        }
    }

    /** A := A (I &minus; 2 v v&#7488;). */
    private static void reflectColumns(double[] a, int m, int n, double[] v) {
        for (int i = 0; i < m; i++) {
            double av = 0;
            for (int j = 0; j < n; j++) {
                av += a[i * n + j] * v[j];
            }
            double f = 2 * av;
            for (int j = 0; j < n; j++) {
                a[i * n + j] -= f * v[j];
            }
        }
    }
}
