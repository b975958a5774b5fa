package org.grokmetrics.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.grokmetrics.linalg.CheckedLinearAlgebra;
import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.spectral.SpectralEntropy;

/**
 * Spectral entropy, with and without its gradient, on square Gaussian float matrices, for each
 * linear-algebra implementation side by side in one run.
 */
public final class LinalgBenchmark {

    /** One measured row. */
    public record Row(String provider, int n, double entropyMs, double entropyAndGradientMs) {
    }

    private LinalgBenchmark() {
    }

    public static List<Row> run(List<LinearAlgebra> providers, int[] sizes) {
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) {
            double[] a = gaussianFloatMatrix(n, new SplittableRandom(n));
            int runs = n <= 256 ? 9 : n <= 512 ? 5 : 3;
            int warm = n <= 512 ? 3 : 1;
            for (LinearAlgebra la : providers) {
                double h = Timer.medianMillis(warm, runs, () -> SpectralEntropy.analyze(n, n, a, false, la));
                double hg = Timer.medianMillis(warm, runs, () -> SpectralEntropy.analyze(n, n, a, true, la));
                rows.add(new Row(label(la), n, h, hg));
                System.out.printf(Locale.ROOT, "  %-24s n=%4d  entropy %9.2f ms   entropy+gradient %9.2f ms%n",
                        label(la), n, h, hg);
            }
        }
        return rows;
    }

    /**
     * The cost of the per-result checks: singular values of an n&times;n Gaussian matrix with the checked
     * default and with the provider it checks, interleaved call by call (so that load on the machine
     * affects both alike), as a Markdown line of medians per size. Empty if the default is not checked.
     */
    public static String checkOverhead(LinearAlgebra checkedDefault, int[] sizes) {
        if (!(checkedDefault instanceof CheckedLinearAlgebra c)) {
            return "";
        }
        LinearAlgebra plain = c.checked();
        StringBuilder sb = new StringBuilder("Per-result checks, interleaved medians of singular values alone ("
                + label(c) + " / " + plain.name() + "):");
        for (int n : sizes) {
            double[] a = gaussianFloatMatrix(n, new SplittableRandom(n));
            int reps = n <= 128 ? 101 : n <= 512 ? 15 : 5;
            double[] tp = new double[reps];
            double[] tc = new double[reps];
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                plain.singularValues(n, n, a);
                long t1 = System.nanoTime();
                c.singularValues(n, n, a);
                tc[i] = (System.nanoTime() - t1) / 1e6;
                tp[i] = (t1 - t0) / 1e6;
            }
            java.util.Arrays.sort(tp);
            java.util.Arrays.sort(tc);
            sb.append(String.format(Locale.ROOT, " n=%d %.2f / %.2f ms (%.3fx);", n, tc[reps / 2], tp[reps / 2],
                    tc[reps / 2] / tp[reps / 2]));
        }
        sb.setLength(sb.length() - 1);
        return sb.append(".\n").toString();
    }

    /** The provider's name; the default (checked) one as {@code "checked <name>"}. */
    static String label(LinearAlgebra la) {
        return la instanceof CheckedLinearAlgebra c ? "checked " + c.name() : la.name();
    }

    static double[] gaussianFloatMatrix(int n, SplittableRandom r) {
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            a[i] = (float) (0.05 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return a;
    }

    /** The Markdown table, with the 512 ratio line. */
    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| provider | n | entropy (ms) | entropy + gradient (ms) |\n|---|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", r.provider(), r.n(), r.entropyMs(),
                    r.entropyAndGradientMs()));
        }
        Row ejml = find(rows, new EjmlLinearAlgebra().name(), 512);
        Row nd4j = find(rows, "nd4j-lapack", 512);
        if (ejml != null && nd4j != null) {
            sb.append(String.format(Locale.ROOT,
                    "%nPure-Java / ND4J LAPACK at 512x512: entropy %.2fx, entropy + gradient %.2fx (target <= 4x).%n",
                    ejml.entropyMs() / nd4j.entropyMs(), ejml.entropyAndGradientMs() / nd4j.entropyAndGradientMs()));
        }
        return sb.toString();
    }

    private static Row find(List<Row> rows, String provider, int n) {
        return rows.stream().filter(r -> r.provider().equals(provider) && r.n() == n).findFirst().orElse(null);
    }
}
