package org.grokmetrics.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.dl4j.ComplexityListener;
import org.grokmetrics.examples.models.Dl4jMlps;
import org.grokmetrics.examples.models.MlpModel;
import org.grokmetrics.examples.tasks.ModularTask;
import org.grokmetrics.examples.tasks.Task;
import org.grokmetrics.mdl.PruningMdlEstimator;
import org.grokmetrics.spectral.SpectralEntropyEstimator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Listener overhead on the LMN paper's MLP (a+b mod 31, 80% train, full batch, AdamW 1e-3 / wd 0.2):
 * training time with the listener attached over training time without, estimates every 100 iterations.
 */
public final class ListenerBenchmark {

    /** One condition. */
    public record Row(String condition, int iterations, int measurements, double seconds, double ratio,
                      long skipped) {
    }

    private ListenerBenchmark() {
    }

    static DataSet[] data(int p, double trainFraction, long seed) {
        Task task = new ModularTask(p, ModularTask.Op.ADD);
        Task.Split split = task.split(trainFraction, seed);
        return new DataSet[] {MlpModel.ONE_HOT_LINEAR.dataSet(task, split.train(), DataType.FLOAT),
            MlpModel.ONE_HOT_LINEAR.dataSet(task, split.validation(), DataType.FLOAT)};
    }

    private static double time(DataSet train, int iterations, ComplexityListener listener) {
        MultiLayerNetwork net = MlpModel.ONE_HOT_LINEAR.network(MlpModel.ONE_HOT_LINEAR.configuration(
                new MlpModel.Spec(31, 31, 32, 100, 1e-3, 0.2, 1, DataType.FLOAT)), 1);
        return fitSeconds(net, train, iterations, listener);
    }

    /** Seconds to fit {@code net} {@code iterations} times on {@code train}, with the listener (closed at the end). */
    static double fitSeconds(MultiLayerNetwork net, DataSet train, int iterations, ComplexityListener listener) {
        if (listener != null) {
            net.setListeners(listener);
        }
        long s = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            net.fit(train);
        }
        if (listener != null) {
            listener.close();
        }
        return (System.nanoTime() - s) / 1e9;
    }

    public static List<Row> run(int iterations) {
        DataSet[] d = data(31, 0.8, 0);
        List<Row> rows = new ArrayList<>();
        time(d[0], 200, null); // warm-up
        List<Object[]> conditions = List.of(
                new Object[] {"none", (Supplier<ComplexityListener>) () -> null},
                new Object[] {"sync: spectral entropy + pruning MDL", (Supplier<ComplexityListener>) () ->
                        ComplexityListener.builder().estimators(List.of(SpectralEntropyEstimator.of(),
                                PruningMdlEstimator.of())).everyIterations(100).build()},
                new Object[] {"sync: defaults (coarse-grained, spectral, pruning) + train/val metrics",
                        (Supplier<ComplexityListener>) () -> ComplexityListener.builder().trainData(d[0])
                                .validationData(d[1]).everyIterations(100).build()},
                new Object[] {"async: defaults + train/val metrics", (Supplier<ComplexityListener>) () ->
                        ComplexityListener.builder().trainData(d[0]).validationData(d[1]).everyIterations(100)
                                .async(true).build()},
                new Object[] {"sync: defaults + LMN (N = 256)", (Supplier<ComplexityListener>) () ->
                        ComplexityListener.builder().trainData(d[0]).validationData(d[1]).everyIterations(100)
                                .lmnLayer(Dl4jMlps.LMN_FROM_LAYER).lmnPoints(256).build()},
                new Object[] {"async: defaults + LMN (N = 256)", (Supplier<ComplexityListener>) () ->
                        ComplexityListener.builder().trainData(d[0]).validationData(d[1]).everyIterations(100)
                                .lmnLayer(Dl4jMlps.LMN_FROM_LAYER).lmnPoints(256).async(true).build()});
        double base = Double.NaN;
        for (Object[] c : conditions) {
            @SuppressWarnings("unchecked")
            ComplexityListener l = ((Supplier<ComplexityListener>) c[1]).get();
            double sec = time(d[0], iterations, l);
            if (l == null) {
                base = sec;
            }
            Row r = new Row((String) c[0], iterations, l == null ? 0 : l.history().size(), sec, sec / base,
                    l == null ? 0 : l.monitor().skipped());
            rows.add(r);
            System.out.printf(Locale.ROOT, "  %-70s %5d it %3d measured %7.2f s  x%.2f  skipped %d%n", r.condition(),
                    iterations, r.measurements(), sec, r.ratio(), r.skipped());
        }
        return rows;
    }

    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| listener | iterations | measurements | seconds | time / no listener | "
                + "skipped (async) |\n|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %d |%n", r.condition(), r.iterations(),
                    r.measurements(), r.seconds(), r.ratio(), r.skipped()));
        }
        return sb.toString();
    }
}
