package org.grokmetrics.linalg;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.grokmetrics.api.Failures;

/**
 * The check a provider must pass before {@link LinearAlgebra#getDefault()} uses it: a few fixed matrices
 * chosen to reach the code paths where native libraries have been seen wrong, each decomposed twice and
 * compared with the pure-Java reference ({@link EjmlLinearAlgebra}).
 *
 * <h2>The cases</h2>
 * Gaussian matrices (fixed seed, float32-rounded as real weights are) of shapes 300&times;150 and
 * 150&times;300 (aspect 2: LAPACK's QR-first path, taken when one side is &ge; 1.6&times; the other),
 * 257&times;129 and 129&times;210 (just past the 128-wide crossover to blocked Householder code),
 * 160&times;160 (square), each for singular values alone; 160&times;160 and 210&times;140 with singular vectors;
 * and a symmetric 150&times;150 matrix for the eigen-decomposition. Each result must satisfy
 * {@link DecompositionInvariants}, agree with the reference to {@value #AGREEMENT} &middot; &sigma;<sub>1</sub>
 * (&lambda;: &middot; max|&lambda;|) on every value, and equal the repeated call's result to the same tolerance.
 * The defect that motivated it (ND4J 1.0.0-M2.1's OpenBLAS 0.3.19 with its AVX-512 kernels: singular
 * values of 300&times;150 off by a factor of 10, different on each call) fails the first case.
 *
 * <p>Cost: once per JVM, 0.3&ndash;1&nbsp;s on these 2-core machines, most of it the pure-Java reference
 * running before the JIT has compiled it.
 */
public final class LinearAlgebraSelfCheck {

    /** Tolerance of the agreement with the reference, relative to the largest value. */
    public static final double AGREEMENT = 1e-9;

    private record Case(int rows, int cols, boolean vectors) {
    }

    private static final List<Case> SVD_CASES = List.of(
            new Case(300, 150, false), new Case(150, 300, false), new Case(257, 129, false),
            new Case(129, 210, false), new Case(160, 160, false), new Case(160, 160, true),
            new Case(210, 140, true));

    private static final int EIGEN_ORDER = 150;

    private LinearAlgebraSelfCheck() {
    }

    /**
     * Why {@code candidate} cannot be trusted, in one line, or empty if it passes every case. Anything the
     * candidate throws that {@link Failures} contains is a failure, described.
     *
     * @param candidate the implementation to test against the pure-Java EJML reference
     * @return the first failure, described; empty if it passes
     */
    public static Optional<String> failure(LinearAlgebra candidate) {
        return failure(candidate, new EjmlLinearAlgebra());
    }

    /** As {@link #failure(LinearAlgebra)}, against a given reference. */
    static Optional<String> failure(LinearAlgebra candidate, LinearAlgebra reference) {
        try {
            for (Case c : SVD_CASES) {
                Optional<String> f = svdFailure(candidate, reference, c);
                if (f.isPresent()) {
                    return f;
                }
            }
            return eigenFailure(candidate, reference);
        } catch (Throwable t) {
            return Optional.of("threw " + Failures.contain(t));
        }
    }

    private static Optional<String> svdFailure(LinearAlgebra candidate, LinearAlgebra reference, Case c) {
        double[] a = matrix(c.rows(), c.cols(), 31L * c.rows() + c.cols());
        String what = (c.vectors() ? "SVD with vectors" : "singular values") + " of a " + c.rows() + "x" + c.cols()
                + " matrix";
        Svd first = candidate.svd(c.rows(), c.cols(), a.clone(), c.vectors());
        Optional<String> wrong = DecompositionInvariants.violation(c.rows(), c.cols(), a, first);
        if (wrong.isPresent()) {
            return Optional.of(what + ": " + wrong.get());
        }
        double[] expected = reference.svd(c.rows(), c.cols(), a, false).singularValues();
        Optional<String> differs = differs(first.singularValues(), expected, "sigma", reference.name());
        if (differs.isPresent()) {
            return Optional.of(what + ": " + differs.get());
        }
        Svd second = candidate.svd(c.rows(), c.cols(), a.clone(), c.vectors());
        return differs(second.singularValues(), first.singularValues(), "sigma", "its first call")
                .map(d -> what + ", repeated: " + d);
    }

    private static Optional<String> eigenFailure(LinearAlgebra candidate, LinearAlgebra reference) {
        int n = EIGEN_ORDER;
        double[] b = matrix(n, n, 7);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = b[i * n + j] + b[j * n + i];
            }
        }
        String what = "eigen-decomposition of a symmetric " + n + "x" + n + " matrix";
        SymmetricEigen e = candidate.symmetricEigen(n, a.clone(), true);
        Optional<String> wrong = DecompositionInvariants.violation(n, a, e);
        if (wrong.isPresent()) {
            return Optional.of(what + ": " + wrong.get());
        }
        double[] expected = reference.symmetricEigen(n, a, false).eigenvalues();
        return differs(e.eigenvalues(), expected, "lambda", reference.name()).map(d -> what + ": " + d);
    }

    private static Optional<String> differs(double[] actual, double[] expected, String symbol, String against) {
        double scale = 0;
        for (double x : expected) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= AGREEMENT * scale)) {
                return Optional.of(String.format("%s_%d = %.9g, %.9g from %s", symbol, i + 1, actual[i], expected[i], against));
            }
        }
        return Optional.empty();
    }

    /** A fixed N(0, 1) matrix rounded to float32, as model weights are stored. */
    private static double[] matrix(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            double u1 = 1.0 - r.nextDouble();
            double u2 = r.nextDouble();
            a[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return a;
    }
}
