package org.grokmetrics.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.lmn.LinearMappingNumber;
import org.grokmetrics.lmn.LinearMappingNumberEstimator;

/**
 * LMN of a Java 100&rarr;100&rarr;31 SiLU MLP (the LMN paper's first-hidden-layer-to-logits
 * sub-network) on N random SiLU-activated 100-dimensional points, with the cost split into oracle,
 * connectivity (interpolation and r&sup2;) and eigen-decomposition.
 */
public final class LmnBenchmark {

    /** One measured row. */
    public record Row(String oracle, int n, long rows, double totalMs, double oracleMs, double connectivityMs, double eigenMs,
                      double lmn) {
    }

    private LmnBenchmark() {
    }

    public static List<Row> run(int[] ns) {
        JavaMlp mlp = new JavaMlp(1, 100, 100, 31);
        LinearMappingNumberEstimator lmn = LinearMappingNumberEstimator.of(LinearMappingNumber.Options.defaults().withSampleCount(0));
        List<Row> rows = new ArrayList<>();
        // warm-up on a small N so the JIT has compiled the oracle and the r^2 loop
        for (FunctionOracle f : List.of(mlp, mlp.plain())) {
            lmn.analyze(f, points(64, 7));
            lmn.analyze(f, points(128, 8));
        }
        for (int n : ns) {
            double[][] pts = points(n, n);
            for (FunctionOracle f : List.of(mlp, mlp.plain())) {
                String name = f == mlp ? "factored" : "plain";
                long s = System.nanoTime();
                LinearMappingNumber.Result r = lmn.analyze(f, pts);
                double total = (System.nanoTime() - s) / 1e6;
                Row row = new Row(name, n, r.rowsEvaluated(), total, r.oracleNanos() / 1e6, r.connectivityNanos() / 1e6,
                        r.eigenNanos() / 1e6, r.lmn());
                rows.add(row);
                System.out.printf(Locale.ROOT, "  %-8s N=%4d rows %8d  total %8.1f ms  oracle %8.1f  connectivity %7.1f"
                        + "  eigen %7.1f  LMN %.3f%n", name, n, row.rows(), total, row.oracleMs(), row.connectivityMs(),
                        row.eigenMs(), row.lmn());
            }
        }
        return rows;
    }

    static double[][] points(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] p = new double[n][100];
        for (double[] row : p) {
            for (int k = 0; k < row.length; k++) {
                double v = JavaMlp.gaussian(r);
                row[k] = v / (1 + Math.exp(-v));
            }
        }
        return p;
    }

    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| oracle | N | oracle rows | total (ms) | oracle (ms) | connectivity: interpolation + r² (ms) | eigen (ms) | "
                + "non-oracle share | LMN |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.0f%% | %.2f |%n", r.oracle(), r.n(),
                    r.rows(), r.totalMs(), r.oracleMs(), r.connectivityMs(), r.eigenMs(),
                    100 * (r.connectivityMs() + r.eigenMs()) / r.totalMs(), r.lmn()));
        }
        return sb.toString();
    }
}
