package org.grokmetrics.spectral;

import java.nio.FloatBuffer;
import java.util.Objects;
import java.util.Optional;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.MatrixRows;
import org.grokmetrics.linalg.Svd;

/**
 * Spectral entropy, effective rank and the entropy gradient of matrices.
 *
 * <h2>Formulas</h2>
 * For an m&times;n matrix M with singular values &sigma;<sub>1</sub> &ge; &hellip; &ge; &sigma;<sub>k</sub>
 * (k = min(m, n)) and S = &Sigma;<sub>j</sub> &sigma;<sub>j</sub>:
 * <pre>
 *   &sigma;&#772;_i   = &sigma;_i / S                       (singular values, not squared)
 *   H(M)   = &minus;&Sigma;_i &sigma;&#772;_i ln &sigma;&#772;_i               (nats; terms with &sigma;&#772;_i = 0 count 0)
 *   erank  = exp(H(M))                         (Roy &amp; Vetterli 2007), in [1, k]
 *   &part;H/&part;&sigma;_i = &minus;(ln &sigma;&#772;_i + H) / S
 *   &part;H/&part;M  = U &middot; diag(&part;H/&part;&sigma;) &middot; V&#7488;             (thin SVD)
 * </pre>
 * H is 0 for a rank-1 matrix, ln k when all singular values are equal, and invariant to scaling M and to
 * orthogonal transforms on either side. The gradient formula holds wherever H is differentiable (Lewis
 * 1995: H is a symmetric function of &sigma;), repeated singular values included.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>A tensor of rank &gt; 2 is read as [shape[0], product of the rest]; rank 0 or 1 is rejected with
 *       {@link IllegalArgumentException} by the single-matrix methods and skipped by the model-level
 *       ones.</li>
 *   <li>Numerically zero singular values, &sigma;_i &le; max(m,n) &middot; ulp(&sigma;_1), are treated as
 *       exactly zero: they add nothing to H and get a zero gradient component (the true derivative is
 *       unbounded there; a zero sub-gradient keeps a penalty from blowing up on rank-deficient
 *       weights).</li>
 *   <li>The zero matrix (and an empty one) has H = 0, effective rank 0 and a zero gradient: H is
 *       scale-invariant, so it exerts no force at the origin.</li>
 *   <li>NaN or infinite entries raise {@link IllegalArgumentException} naming the tensor and index:
 *       no method returns a NaN entropy or a NaN gradient.</li>
 *   <li>Scale: the matrix is divided by the power of two 2^e nearest below its largest |entry| before the
 *       SVD (exact), so entries from denormal to {@code Double.MAX_VALUE} give the same H as the matrix at
 *       scale 1; {@code singularValues} are scaled back (a value beyond double's range is infinite) and the
 *       gradient is 2^&minus;e times that at scale 1. A gradient beyond double's range (a double matrix whose
 *       entries are all below about 1e&minus;290) raises {@link IllegalArgumentException} rather than
 *       returning an infinity; a float tensor, denormal entries included, always has a finite double
 *       gradient.</li>
 * </ul>
 *
 * <p>Thread safety: stateless; safe from any thread if the {@link LinearAlgebra} used is (all shipped
 * ones are).
 */
public final class SpectralEntropy {

    private SpectralEntropy() {
    }

    /**
     * The entropy, effective rank and singular values of one matrix, and optionally its gradient.
     *
     * @param entropy        H in nats
     * @param effectiveRank  exp(H), or 0 for the zero matrix
     * @param singularValues &sigma;, descending
     * @param gradient       &part;H/&part;M, row-major m&times;n, if requested
     */
    public record Result(double entropy, double effectiveRank, double[] singularValues, Optional<double[]> gradient) {
    }

    /**
     * H(M) in nats, with the default linear algebra.
     *
     * @param matrix a tensor of rank &ge; 2, read as its matrix view
     * @return H in nats, in [0, ln min(rows, cols)]; 0 for the zero matrix
     * @throws IllegalArgumentException if the tensor is not a matrix (rank &lt; 2) or has non-finite entries
     */
    public static double entropy(Tensor matrix) {
        return analyze(matrix, false, LinearAlgebra.getDefault()).entropy();
    }

    /**
     * exp(H(M)); 0 for the zero matrix.
     *
     * @param matrix a tensor of rank &ge; 2, read as its matrix view
     * @return the effective rank exp(H), in [1, min(rows, cols)], or 0 for the zero matrix
     * @throws IllegalArgumentException if the tensor is not a matrix (rank &lt; 2) or has non-finite entries
     */
    public static double effectiveRank(Tensor matrix) {
        return analyze(matrix, false, LinearAlgebra.getDefault()).effectiveRank();
    }

    /**
     * &part;H/&part;M as a tensor of the same name and shape (rounded to float).
     *
     * @param matrix a tensor of rank &ge; 2, read as its matrix view
     * @return the gradient, row-major like {@code matrix}; zero for the zero matrix
     * @throws IllegalArgumentException if the tensor is not a matrix, has non-finite entries, or is so small
     *                                  that its gradient (which grows as 1/scale) is beyond float's range: then
     *                                  {@link #analyze(Tensor, boolean, LinearAlgebra)} gives it in double
     */
    public static Tensor gradient(Tensor matrix) {
        double[] g = analyze(matrix, true, LinearAlgebra.getDefault()).gradient().orElseThrow();
        for (double v : g) {
            if (Math.abs(v) > Float.MAX_VALUE) {
                throw new IllegalArgumentException("the spectral-entropy gradient of tensor '" + matrix.name()
                        + "' has an entry of " + v + ", beyond float's range (H is scale-invariant, so dH/dM grows as"
                        + " 1/scale); SpectralEntropy.analyze gives it in double");
            }
        }
        return Tensor.ofDoubles(matrix.name(), matrix.shape(), g);
    }

    /**
     * Analyses one tensor's matrix view.
     *
     * @param matrix       a tensor of rank &ge; 2 (not null)
     * @param withGradient whether to compute &part;H/&part;M too (needs the singular vectors)
     * @param la           the linear algebra that computes the singular values (and vectors)
     * @return H in nats, exp(H), the singular values and, if asked, the gradient
     * @throws IllegalArgumentException if the tensor is not a matrix or has non-finite entries
     */
    public static Result analyze(Tensor matrix, boolean withGradient, LinearAlgebra la) {
        Objects.requireNonNull(matrix, "matrix");
        if (!matrix.isMatrix()) {
            throw new IllegalArgumentException("spectral entropy needs a matrix, but tensor '" + matrix.name()
                    + "' has rank " + matrix.rank());
        }
        matrix.requireFinite();
        if (!withGradient) {
            return valuesOnly(matrix.rows(), matrix.cols(), matrix.buffer(), la);
        }
        return analyzeOwned(matrix.rows(), matrix.cols(), matrix.toDoubleArray(), withGradient, la);
    }

    /**
     * H and exp(H) of a float matrix read in place: the values scaled by 2<sup>&minus;e</sup> as they are read
     * (exact), through {@link LinearAlgebra#singularValues(int, int, MatrixRows)}, so that no double copy of the
     * matrix is made where the Gram path applies (GPT-2's embedding: 309 MB). The same singular values, bit for
     * bit, as the double path over the same entries.
     */
    private static Result valuesOnly(int rows, int cols, FloatBuffer values, LinearAlgebra la) {
        double max = 0;
        for (int i = 0, n = values.limit(); i < n; i++) {
            max = Math.max(max, Math.abs((double) values.get(i)));
        }
        if (rows == 0 || cols == 0 || max == 0) {
            return new Result(0.0, 0.0, new double[Math.min(rows, cols)], Optional.empty());
        }
        int e = exponentOf(max);
        double[] s = la.singularValues(rows, cols, MatrixRows.of(values, cols, Math.scalb(1.0, -e)));
        return result(rows, cols, s, e, null);
    }

    /**
     * Analyses an m&times;n row-major double matrix (the double-precision path used by gradient checks
     * and regularizers).
     *
     * @param rows         the number of rows m, &ge; 0
     * @param cols         the number of columns n, &ge; 0
     * @param a            the m&middot;n entries, row-major
     * @param withGradient whether to compute &part;H/&part;M too
     * @param la           the linear algebra that computes the singular values (and vectors)
     * @return H in nats, exp(H), the singular values and, if asked, the gradient; H = 0 and exp(H) = 0 for a zero
     *         or empty matrix
     * @throws IllegalArgumentException if the sizes disagree or an entry is not finite, or the gradient is beyond
     *                                  double's range
     */
    public static Result analyze(int rows, int cols, double[] a, boolean withGradient, LinearAlgebra la) {
        LinearAlgebra.checkMatrix(rows, cols, a);
        return analyzeOwned(rows, cols, a.clone(), withGradient, la);
    }

    /** {@link #analyze(int, int, double[], boolean, LinearAlgebra)} on an array of its own, scaled in place. */
    private static Result analyzeOwned(int rows, int cols, double[] a, boolean withGradient, LinearAlgebra la) {
        LinearAlgebra.checkMatrix(rows, cols, a);
        int e = rows == 0 || cols == 0 ? Integer.MIN_VALUE : scaleExponent(a); // empty: no singular values, as a zero matrix
        if (e == Integer.MIN_VALUE) {
            return new Result(0.0, 0.0, new double[Math.min(rows, cols)],
                    withGradient ? Optional.of(new double[a.length]) : Optional.empty());
        }
        // H is scale-invariant: work on M / 2^e (exact, largest |entry| in [1, 2)), so that neither the SVD nor
        // the sums overflow near Double.MAX_VALUE or lose digits to denormals (in place: the array is our own, and
        // a large matrix is not held twice)
        double[] scaled = a;
        for (int i = 0; i < a.length; i++) {
            scaled[i] = Math.scalb(a[i], -e);
        }
        // values alone take the cheaper path (LinearAlgebra.singularValues); the gradient needs the vectors
        Svd svd = withGradient ? la.svd(rows, cols, scaled, true) : null;
        double[] s = withGradient ? svd.singularValues() : la.singularValues(rows, cols, scaled);
        return result(rows, cols, s, e, svd);
    }

    /**
     * H, exp(H) and &sigma; from the singular values {@code s} of M / 2<sup>e</sup>; with {@code svd} (its vectors)
     * the gradient too.
     */
    private static Result result(int rows, int cols, double[] s, int e, Svd svd) {
        boolean withGradient = svd != null;
        double tol = Math.max(rows, cols) * Math.ulp(s[0]);
        double sum = 0;
        for (double v : s) {
            if (v > tol) {
                sum += v;
            }
        }
        double h = 0;
        for (double v : s) {
            if (v > tol) {
                double p = v / sum;
                h -= p * Math.log(p);
            }
        }
        h = Math.max(h, 0.0);
        double[] sigma = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            sigma[i] = Math.scalb(s[i], e);   // may overflow to infinity: a singular value beyond double's range
        }
        if (!withGradient) {
            return new Result(h, Math.exp(h), sigma, Optional.empty());
        }
        double[] dh = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] > tol) {
                dh[i] = -(Math.log(s[i] / sum) + h) / sum;
            }
        }
        // dH/dM = 2^-e dH/dM' at M' = M / 2^e
        double[] g = svd.reconstruct(dh);
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.scalb(g[i], -e);
            if (Double.isInfinite(g[i])) {
                throw new IllegalArgumentException("the spectral-entropy gradient of this " + rows + "x" + cols
                        + " matrix is beyond double's range: H is scale-invariant, so dH/dM grows as 1/scale, and the"
                        + " largest entry is 2^" + e + "-sized");
            }
        }
        return new Result(h, Math.exp(h), sigma, Optional.of(g));
    }

    /**
     * The exponent e with max|a| in [2^e, 2^(e+1)), exact for denormals too; {@link Integer#MIN_VALUE} for a
     * zero matrix.
     */
    static int scaleExponent(double[] a) {
        double max = 0;
        for (double v : a) {
            max = Math.max(max, Math.abs(v));
        }
        if (max == 0) {
            return Integer.MIN_VALUE;
        }
        return exponentOf(max);
    }

    /** The exponent e with max in [2^e, 2^(e+1)), exact for denormals too; max &gt; 0. */
    private static int exponentOf(double max) {
        return max >= Double.MIN_NORMAL ? Math.getExponent(max) : Math.getExponent(Math.scalb(max, 64)) - 64;
    }

    /**
     * H from singular values alone (any order; negatives are an error).
     *
     * @param singularValues the singular values, finite and &ge; 0
     * @return H in nats of the values normalised by their sum; 0 if they are all 0 or there are none
     * @throws IllegalArgumentException if a value is negative or not finite
     */
    public static double entropyOfSingularValues(double[] singularValues) {
        double max = 0;
        for (double v : singularValues) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("singular values must be finite and >= 0, got " + v);
            }
            max = Math.max(max, v);
        }
        if (max == 0) {
            return 0.0;
        }
        // scaled by the largest value: the sum cannot overflow near Double.MAX_VALUE
        double sum = 0;
        for (double v : singularValues) {
            sum += v / max;
        }
        double h = 0;
        for (double v : singularValues) {
            if (v > 0) {
                double p = v / max / sum;
                h -= p * Math.log(p);
            }
        }
        return Math.max(h, 0.0);
    }

    /**
     * Mean H over every tensor of rank &ge; 2 in the snapshot: the spectral penalty's model term
     * (SPEC &sect;2, before multiplying by &beta;).
     *
     * @param snapshot the weights
     * @return the mean in nats, or NaN if the snapshot has no matrix
     * @throws IllegalArgumentException if the snapshot is empty or a matrix has non-finite entries
     */
    public static double meanEntropy(ParameterSnapshot snapshot) {
        return summarize(snapshot, LinearAlgebra.getDefault()).meanEntropy();
    }

    /**
     * Parameter-weighted effective rank of a model (the authors' code, SPEC &sect;1):
     * &Sigma;<sub>matrices</sub> exp(H(M)) &middot; numel(M) / (total parameters of the snapshot,
     * vectors included).
     *
     * @param snapshot the weights
     * @return the weighted rank, or NaN if the snapshot has no matrix
     * @throws IllegalArgumentException if the snapshot is empty or a matrix has non-finite entries
     */
    public static double effectiveRank(ParameterSnapshot snapshot) {
        return summarize(snapshot, LinearAlgebra.getDefault()).weightedEffectiveRank();
    }

    /**
     * Model-level figures.
     *
     * @param meanEntropy           mean H over matrices (nats); NaN if there are none
     * @param weightedEffectiveRank &Sigma; exp(H)&middot;numel / total parameters; NaN if no matrices
     * @param perMatrix             each matrix's result, in snapshot order
     * @param names                 the matrices' names, parallel to {@code perMatrix}
     */
    public record Summary(double meanEntropy, double weightedEffectiveRank, java.util.List<Result> perMatrix,
                          java.util.List<String> names) {
    }

    /**
     * Analyses every matrix of a snapshot (no gradients).
     *
     * @param snapshot the weights; its tensors of rank &ge; 2 are analysed
     * @param la       the linear algebra that computes the singular values
     * @return the model-level figures and each matrix's result (NaN figures and empty lists if there is no matrix)
     * @throws IllegalArgumentException if the snapshot is empty or a matrix has non-finite entries
     */
    public static Summary summarize(ParameterSnapshot snapshot, LinearAlgebra la) {
        snapshot.requireNonEmpty(SpectralEntropyEstimator.NAME);
        java.util.List<Result> results = new java.util.ArrayList<>();
        java.util.List<String> names = new java.util.ArrayList<>();
        double hSum = 0;
        double rankWeighted = 0;
        for (Tensor t : snapshot.matrices()) {
            Result r = analyze(t, false, la);
            results.add(r);
            names.add(t.name());
            hSum += r.entropy();
            rankWeighted += r.effectiveRank() * t.size();
        }
        if (results.isEmpty()) {
            return new Summary(Double.NaN, Double.NaN, java.util.List.of(), java.util.List.of());
        }
        return new Summary(hSum / results.size(), rankWeighted / snapshot.size(), java.util.List.copyOf(results),
                java.util.List.copyOf(names));
    }

}
