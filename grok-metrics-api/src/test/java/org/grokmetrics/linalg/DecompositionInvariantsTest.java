package org.grokmetrics.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The identities pass on every correct decomposition (any shape, spectrum and scale, the zero matrix
 * included) and catch each kind of wrong one.
 */
final class DecompositionInvariantsTest {

    private static final LinearAlgebra EJML = new EjmlLinearAlgebra();

    static Stream<Arguments> correct() {
        return Stream.of(new int[] {1, 1}, new int[] {9, 1}, new int[] {1, 9}, new int[] {300, 150},
                        new int[] {150, 300}, new int[] {160, 160}, new int[] {400, 50})
                .flatMap(sh -> Stream.of(MatrixCases.Spectrum.values())
                        .flatMap(kind -> Stream.of(1e-150, 1.0, 1e150)
                                .map(scale -> Arguments.of(sh[0], sh[1], kind, scale))));
    }

    @ParameterizedTest(name = "{0}x{1} {2} scale {3}")
    @MethodSource("correct")
    void correctDecompositionsPass(int m, int n, MatrixCases.Spectrum kind, double scale) {
        double[] s = MatrixCases.spectrum(kind, Math.min(m, n));
        for (int i = 0; i < s.length; i++) {
            s[i] *= scale;
        }
        double[] a = MatrixCases.withSpectrum(m, n, s, 3);
        for (boolean vectors : new boolean[] {false, true}) {
            Optional<String> v = DecompositionInvariants.violation(m, n, a, EJML.svd(m, n, a, vectors));
            assertTrue(v.isEmpty(), () -> v.get());
        }
    }

    @Test
    void theZeroMatrixPasses() {
        double[] a = new double[60];
        assertTrue(DecompositionInvariants.violation(6, 10, a, EJML.svd(6, 10, a, true)).isEmpty());
        assertTrue(DecompositionInvariants.violation(6, new double[36], EJML.symmetricEigen(6, new double[36], true)).isEmpty());
    }

    /** A wrong result made from a right one, and a word its description must contain. */
    record Corruption(String name, UnaryOperator<Svd> corrupt, String mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Corruption> corruptions() {
        return Stream.of(
                new Corruption("all values 1e-7 too large", svd -> withValues(svd, scaled(svd.singularValues(), 1 + 1e-7)), "Frobenius"),
                new Corruption("one value missing", svd -> withValues(svd, java.util.Arrays.copyOf(svd.singularValues(), svd.rank() - 1)), "expected"),
                new Corruption("a negative value", svd -> withValues(svd, set(svd.singularValues(), svd.rank() - 1, -1e-3)), "non-negative"),
                new Corruption("a NaN", svd -> withValues(svd, set(svd.singularValues(), 3, Double.NaN)), "finite"),
                new Corruption("two values swapped", svd -> withValues(svd, swapped(svd.singularValues())), "descending"),
                new Corruption("sigma_1 low, the rest high, same sum of squares", DecompositionInvariantsTest::topMovedDown, "lower bound"),
                new Corruption("a left vector's sign flipped", DecompositionInvariantsTest::flippedU, "U diag"),
                new Corruption("U scaled", svd -> new Svd(svd.rows(), svd.cols(), svd.singularValues(),
                        scaled(svd.u(), 1 + 1e-6), scaled(svd.vt(), 1 / (1 + 1e-6))), "orthonormal"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void wrongDecompositionsAreCaught(Corruption c) {
        int m = 300;
        int n = 150;
        // a clear top value (10 against at most 1) so that three power steps bound sigma_1 tightly
        double[] s = MatrixCases.spectrum(MatrixCases.Spectrum.GEOMETRIC, n);
        s[0] = 10;
        double[] a = MatrixCases.withSpectrum(m, n, s, 9);
        Svd wrong = c.corrupt().apply(EJML.svd(m, n, a, true));
        Optional<String> v = DecompositionInvariants.violation(m, n, a, wrong);
        assertTrue(v.isPresent(), c.name() + " passed");
        assertTrue(v.get().contains(c.mentions()) && v.get().contains("300x150"), v.get());
    }

    @Test
    void wrongEigenDecompositionsAreCaught() {
        int n = 140;
        double[] b = MatrixCases.splitmix(n, n, 2);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = b[i * n + j] + b[j * n + i];
            }
        }
        SymmetricEigen right = EJML.symmetricEigen(n, a, true);
        assertTrue(DecompositionInvariants.violation(n, a, right).isEmpty());
        double[] shifted = right.eigenvalues().clone();
        shifted[0] += 1e-6 * shifted[0];
        assertTrue(DecompositionInvariants.violation(n, a, new SymmetricEigen(n, shifted, null)).orElseThrow().contains("squared"));
        double[] l = right.eigenvalues();
        double[] traceOff = l.clone();
        // keep the sum of squares, move the sum: lambda_1 and lambda_n exchange magnitudes with signs kept
        traceOff[0] = -l[n - 1];
        traceOff[n - 1] = -l[0];
        java.util.Arrays.sort(traceOff);
        Optional<String> v = DecompositionInvariants.violation(n, a, new SymmetricEigen(n, MatrixCases.descending(traceOff), null));
        assertTrue(v.isPresent(), "moved trace passed");
        double[] q = right.vectors().clone();
        for (int i = 0; i < n; i++) {
            double t = q[i * n];
            q[i * n] = q[i * n + 1];
            q[i * n + 1] = t;
        }
        assertTrue(DecompositionInvariants.violation(n, a, new SymmetricEigen(n, l, q)).orElseThrow().contains("Q diag"));
    }

    private static Svd withValues(Svd svd, double[] s) {
        return new Svd(svd.rows(), svd.cols(), s, svd.u(), svd.vt());
    }

    private static double[] scaled(double[] x, double f) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= f;
        }
        return y;
    }

    private static double[] set(double[] x, int i, double v) {
        double[] y = x.clone();
        y[i] = v;
        return y;
    }

    private static double[] swapped(double[] x) {
        double[] y = x.clone();
        double t = y[1];
        y[1] = y[2];
        y[2] = t * 1.5;
        return y;
    }

    private static Svd topMovedDown(Svd svd) {
        double[] s = svd.singularValues().clone();
        double lost = s[0] * s[0] - 0.99 * 0.99 * s[0] * s[0];
        s[0] *= 0.99;
        s[1] = Math.sqrt(s[1] * s[1] + lost);
        return withValues(svd, s);
    }

    private static Svd flippedU(Svd svd) {
        double[] u = svd.u().clone();
        int k = svd.rank();
        for (int i = 0; i < svd.rows(); i++) {
            u[i * k + 1] = -u[i * k + 1];
        }
        return new Svd(svd.rows(), svd.cols(), svd.singularValues(), u, svd.vt());
    }
}
