package org.grokmetrics.compress;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import org.grokmetrics.api.Tensor;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.Svd;

/**
 * The low-rank chain of one snapshot: each matrix's SVD and normalised cumulative spectrum
 * c<sub>k</sub> = &Sigma;<sub>i&le;k</sub> &sigma;<sub>i</sub> / &Sigma;&sigma;, the rank
 * k(&tau;) = min{k : c<sub>k</sub> &ge; &tau;} kept for a global &tau; (only where k &lt; mn/(m+n), so that
 * the factors are smaller than the matrix), and the &tau; breakpoints, ascending, at which some
 * matrix's k(&tau;) changes: the rank configurations from lowest rank to (almost) dense. Immutable.
 */
final class RankChain {

    private final Svd[] svd;
    private final double[][] cumulative;
    private final int[] maxLowRank;
    private final double[] taus;

    private RankChain(Svd[] svd, double[][] cumulative, int[] maxLowRank, double[] taus) {
        this.svd = svd;
        this.cumulative = cumulative;
        this.maxLowRank = maxLowRank;
        this.taus = taus;
    }

    /** No low rank: an empty chain. */
    static RankChain none(int count) {
        return new RankChain(new Svd[count], new double[count][], new int[count], new double[0]);
    }

    /**
     * The chain of {@code tensors}, {@code values} their values in double and {@code absMax} their
     * max |&theta;| (all-zero tensors and vectors are never low rank).
     */
    static RankChain of(List<Tensor> tensors, double[][] values, double[] absMax, LinearAlgebra la) {
        int count = tensors.size();
        Svd[] svd = new Svd[count];
        double[][] cumulative = new double[count][];
        int[] maxLowRank = new int[count];
        for (int t = 0; t < count; t++) {
            Tensor x = tensors.get(t);
            if (!x.isMatrix() || absMax[t] == 0) {
                continue;
            }
            int m = x.rows();
            int n = x.cols();
            // low rank pays only if k < mn/(m+n)
            int kmax = (int) Math.ceil((double) m * n / (m + n)) - 1;
            if (kmax < 1) {
                continue;
            }
            Svd d = la.svd(m, n, values[t], true);
            cumulative[t] = normalisedCumulative(d.singularValues(), d.rank());
            svd[t] = d;
            maxLowRank[t] = Math.min(kmax, d.rank());
        }
        TreeSet<Double> breakpoints = new TreeSet<>();
        for (int t = 0; t < count; t++) {
            if (cumulative[t] != null) {
                for (int k = 1; k <= maxLowRank[t]; k++) {
                    breakpoints.add(cumulative[t][k - 1]);
                }
            }
        }
        return new RankChain(svd, cumulative, maxLowRank, breakpoints.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double[] normalisedCumulative(double[] sigma, int rank) {
        double total = 0;
        for (double v : sigma) {
            total += v;
        }
        double[] cum = new double[rank];
        double acc = 0;
        for (int i = 0; i < cum.length; i++) {
            acc += sigma[i];
            cum[i] = acc / total;
        }
        return cum;
    }

    /** Number of &tau; breakpoints; chain index {@code length()} means dense. */
    int length() {
        return taus.length;
    }

    /** The breakpoint at chain index i. */
    double tau(int i) {
        return taus[i];
    }

    /** The breakpoints, ascending (a copy). */
    double[] taus() {
        return taus.clone();
    }

    /** Per-tensor rank k(&tau;), or &minus;1 where the tensor stays dense. */
    int[] ranksAt(double tau) {
        int[] rank = Config.dense(svd.length);
        for (int t = 0; t < svd.length; t++) {
            if (cumulative[t] == null) {
                continue;
            }
            double[] cum = cumulative[t];
            int k = 0;
            while (k < cum.length && cum[k] < tau) {
                k++;
            }
            k++; // k(tau) = min{k : cum[k-1] >= tau}
            if (k <= maxLowRank[t]) {
                rank[t] = k;
            }
        }
        return rank;
    }

    /** The factors U<sub>k</sub> diag(S<sub>k</sub>) (m&times;k) and V<sub>k</sub>&#7488; (k&times;n) of tensor t. */
    double[][] factors(int t, int k) {
        Svd d = svd[t];
        int m = d.rows();
        int n = d.cols();
        int r = d.rank();
        double[] a = new double[m * k];
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < k; l++) {
                a[i * k + l] = d.u()[i * r + l] * d.singularValues()[l];
            }
        }
        double[] b = Arrays.copyOf(d.vt(), k * n);
        return new double[][] {a, b};
    }
}
