package org.grokmetrics.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.grokmetrics.linalg.GramSvd;

/**
 * Singular values alone on GPT-2 small's matrix shapes: EJML's SVD without vectors against
 * {@code LinearAlgebra.singularValues} (the Gram path where it is accurate enough), interleaved, median
 * of three, in CPU time of the measuring thread (so that other work on a shared machine does not count),
 * with the largest difference of any value relative to &sigma;<sub>1</sub>.
 */
public final class GramValuesBenchmark {

    /** One shape's figures. */
    public record Row(int rows, int cols, double svdSeconds, double valuesSeconds, boolean gramPath, double maxDifference) {
    }

    static final int[][] SHAPES = {{768, 768}, {768, 2304}, {768, 3072}, {3072, 768}, {8192, 768}};

    private GramValuesBenchmark() {
    }

    public static List<Row> run() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        EjmlLinearAlgebra ejml = new EjmlLinearAlgebra();
        List<Row> rows = new ArrayList<>();
        for (int[] sh : SHAPES) {
            int m = sh[0];
            int n = sh[1];
            SplittableRandom r = new SplittableRandom(31L * m + n);
            double[] a = new double[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (0.02 * JavaMlp.gaussian(r));
            }
            double[] svd = new double[3];
            double[] values = new double[3];
            double diff = 0;
            for (int rep = 0; rep < 3; rep++) {
                long t = threads.getCurrentThreadCpuTime();
                double[] s1 = ejml.svd(m, n, a, false).singularValues();
                svd[rep] = (threads.getCurrentThreadCpuTime() - t) / 1e9;
                t = threads.getCurrentThreadCpuTime();
                double[] s2 = ejml.singularValues(m, n, a);
                values[rep] = (threads.getCurrentThreadCpuTime() - t) / 1e9;
                for (int i = 0; i < s1.length; i++) {
                    diff = Math.max(diff, Math.abs(s1[i] - s2[i]) / s1[0]);
                }
            }
            Arrays.sort(svd);
            Arrays.sort(values);
            Row row = new Row(m, n, svd[1], values[1], GramSvd.singularValues(ejml, m, n, a).isPresent(), diff);
            rows.add(row);
            System.out.printf(Locale.ROOT, "  %dx%d: svd %.2f s, singularValues %.2f s (Gram path %b), %.1fx, max diff %.1e sigma_1%n",
                    m, n, row.svdSeconds(), row.valuesSeconds(), row.gramPath(), row.svdSeconds() / row.valuesSeconds(),
                    row.maxDifference());
        }
        return rows;
    }

    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| shape | EJML SVD, values only (s CPU) | singularValues (s CPU) | path | speed-up "
                + "| max \\|Δσ\\| / σ₁ |\n|---|---:|---:|---|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %d×%d | %.2f | %.2f | %s | %.1f× | %.1e |%n", r.rows(), r.cols(),
                    r.svdSeconds(), r.valuesSeconds(), r.gramPath() ? "Gram" : "SVD", r.svdSeconds() / r.valuesSeconds(),
                    r.maxDifference()));
        }
        return sb.toString();
    }
}
