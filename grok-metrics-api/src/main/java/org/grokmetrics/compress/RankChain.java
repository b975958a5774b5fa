package org.grokmetrics.compress;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

import org.grokmetrics.api.Tensor;
import org.grokmetrics.linalg.GramSvd;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.MatrixRows;
import org.grokmetrics.linalg.Svd;

/**
 * The low-rank chain of one snapshot: each matrix's singular values and normalised cumulative spectrum
 * c<sub>k</sub> = &Sigma;<sub>i&le;k</sub> &sigma;<sub>i</sub> / &Sigma;&sigma;, the rank
 * k(&tau;) = min{k : c<sub>k</sub> &ge; &tau;} kept for a global &tau; (only where k &lt; mn/(m+n), so that
 * the factors are smaller than the matrix), and the &tau; breakpoints, ascending, at which some
 * matrix's k(&tau;) changes: the rank configurations from lowest rank to (almost) dense. Immutable.
 *
 * <p>Matrices with a short side below {@link GramSvd#MIN_SHORT_SIDE} take the thin SVD with vectors
 * (factors U<sub>k</sub>diag(&sigma;<sub>k</sub>) and V<sub>k</sub>&#7488;); larger ones the Gram basis
 * ({@link GramSvd#basis}): the same factors up to rounding where the singular triplets are well
 * determined, and always the orthogonal projection onto the leading k singular vectors of the short
 * side, computed once at the largest useful rank and kept in float (the factors are then quantized to
 * at most 16 bits, and every candidate is evaluated and decoded as built). Matrices are decomposed in
 * parallel, each on its own: the chain does not depend on the number of threads.
 */
final class RankChain {

    /** One matrix's factors at its largest useful rank, in float; prefixes give every lower rank. */
    private record Factors(int rows, int cols, int rank, float[] left, float[] right) {
    }

    private final Svd[] svd;
    private final Factors[] gram;
    private final double[][] cumulative;
    private final int[] maxLowRank;
    private final double[] taus;

    private RankChain(Svd[] svd, Factors[] gram, double[][] cumulative, int[] maxLowRank, double[] taus) {
        this.svd = svd;
        this.gram = gram;
        this.cumulative = cumulative;
        this.maxLowRank = maxLowRank;
        this.taus = taus;
    }

    /** No low rank: an empty chain. */
    static RankChain none(int count) {
        return new RankChain(new Svd[count], new Factors[count], new double[count][], new int[count], new double[0]);
    }

    /**
     * The chain of {@code tensors}, {@code absMax} their max |&theta;| (all-zero tensors and vectors are never
     * low rank).
     */
    static RankChain of(List<Tensor> tensors, double[] absMax, LinearAlgebra la) {
        int count = tensors.size();
        Svd[] svd = new Svd[count];
        Factors[] gram = new Factors[count];
        double[][] cumulative = new double[count][];
        int[] maxLowRank = new int[count];
        IntStream.range(0, count).parallel().forEach(t -> {
            Tensor x = tensors.get(t);
            if (!x.isMatrix() || absMax[t] == 0) {
                return;
            }
            int m = x.rows();
            int n = x.cols();
            // low rank pays only if k < mn/(m+n)
            int kmax = (int) Math.ceil((double) m * n / (m + n)) - 1;
            if (kmax < 1) {
                return;
            }
            double[] sigma;
            if (Math.min(m, n) < GramSvd.MIN_SHORT_SIDE) {
                Svd d = la.svd(m, n, x.toDoubleArray(), true);
                svd[t] = d;
                sigma = d.singularValues();
            } else {
                // the weights read in place, scaled by a power of two (exact) to order 1: no copy of the matrix;
                // the factors are scaled back exactly as they are rounded to float
                int e = Math.getExponent(absMax[t]);
                MatrixRows a = MatrixRows.of(x.buffer(), n, Math.scalb(1.0, -e));
                GramSvd.Basis b = GramSvd.basis(la, m, n, a);
                sigma = b.singularValues();
                int r = Math.min(kmax, sigma.length);
                float[][] f = b.floatFactors(a, r, Math.scalb(1.0, e));
                gram[t] = new Factors(m, n, r, f[0], f[1]);
            }
            cumulative[t] = normalisedCumulative(sigma, sigma.length);
            maxLowRank[t] = Math.min(kmax, sigma.length);
        });
        TreeSet<Double> breakpoints = new TreeSet<>();
        for (int t = 0; t < count; t++) {
            if (cumulative[t] != null) {
                for (int k = 1; k <= maxLowRank[t]; k++) {
                    breakpoints.add(cumulative[t][k - 1]);
                }
            }
        }
        return new RankChain(svd, gram, cumulative, maxLowRank, breakpoints.stream().mapToDouble(Double::doubleValue).toArray());
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

    /**
     * One factor's first k columns, row-major, read in place from the chain's arrays of {@code stride} columns
     * (no copy: at GPT-2 scale a copy of the left factors in double would take as much memory as the weights),
     * each value times its column's {@code columnScale} (null: 1).
     */
    record Factor(int rows, int k, int stride, float[] floats, double[] doubles, double[] columnScale)
            implements QuantizationLadder.Values {

        @Override
        public int length() {
            return rows * k;
        }

        @Override
        public void read(int from, double[] dst, int len) {
            int row = from / k;
            int col = from % k;
            for (int i = 0; i < len; i++) {
                int at = row * stride + col;
                double v = floats != null ? floats[at] : doubles[at];
                dst[i] = columnScale == null ? v : v * columnScale[col];
                if (++col == k) {
                    col = 0;
                    row++;
                }
            }
        }
    }

    /** The factors U<sub>k</sub> diag(S<sub>k</sub>) (m&times;k) and V<sub>k</sub>&#7488; (k&times;n) of tensor t. */
    Factor[] factors(int t, int k) {
        if (gram[t] != null) {
            Factors f = gram[t];
            if (k > f.rank()) {
                throw new IllegalArgumentException("rank " + k + " above the chain's " + f.rank());
            }
            return new Factor[] {new Factor(f.rows(), k, f.rank(), f.left(), null, null),
                new Factor(k, f.cols(), f.cols(), f.right(), null, null)};
        }
        Svd d = svd[t];
        return new Factor[] {new Factor(d.rows(), k, d.rank(), null, d.u(), d.singularValues()),
            new Factor(k, d.cols(), d.cols(), null, d.vt(), null)};
    }
}
