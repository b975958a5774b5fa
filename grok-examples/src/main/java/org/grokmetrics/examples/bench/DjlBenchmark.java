package org.grokmetrics.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.grokmetrics.djl.ComplexityTrainingListener;
import org.grokmetrics.djl.LabeledData;
import org.grokmetrics.djl.SpectralEntropyLoss;
import org.grokmetrics.djl.WeightNoise;
import org.grokmetrics.examples.djl.ModularTransformer;
import org.grokmetrics.examples.tasks.ModularTask;
import org.grokmetrics.examples.tasks.Task;
import org.grokmetrics.mdl.PruningMdlEstimator;
import org.grokmetrics.spectral.SpectralEntropyEstimator;

/**
 * The DJL adapter's costs: the training listener's overhead on a small MLP (a+b mod 31, 80% train, full
 * batch, AdamW), and the spectral-entropy loss's cost per step on the 2-layer, 128-wide transformer of the
 * pruning-MDL study (mod 97, batch 512).
 */
public final class DjlBenchmark {

    /** One listener condition. */
    public record ListenerRow(String condition, int steps, int measurements, double seconds, double ratio,
                              long skipped) {
    }

    /** One transformer condition: milliseconds per optimiser step. */
    public record StepRow(String condition, int steps, double msPerStep, double overheadMs) {
    }

    private DjlBenchmark() {
    }

    private static NDArray[] oneHot(NDManager m, Task task, List<Task.Example> ex) {
        float[] x = new float[ex.size() * 2 * task.vocab()];
        float[] y = new float[ex.size()];
        for (int i = 0; i < ex.size(); i++) {
            x[i * 2 * task.vocab() + ex.get(i).a()] = 1;
            x[i * 2 * task.vocab() + task.vocab() + ex.get(i).b()] = 1;
            y[i] = ex.get(i).label();
        }
        return new NDArray[] {m.create(x, new Shape(ex.size(), 2L * task.vocab())), m.create(y)};
    }

    private static double timeMlp(NDArray[] tr, int steps, ComplexityTrainingListener listener) throws Exception {
        Engine.getInstance().setRandomSeed(1);
        try (Model model = Model.newInstance("mlp")) {
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(100).build()).add(list -> Activation.swish(list, 1f))
                    .add(Linear.builder().setUnits(100).build()).add(list -> Activation.swish(list, 1f))
                    .add(Linear.builder().setUnits(31).build()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-3f)).optWeightDecays(0.2f)
                            .build());
            if (listener != null) {
                config.addTrainingListeners(listener);
            }
            ArrayDataset full = new ArrayDataset.Builder().setData(tr[0]).optLabels(tr[1])
                    .setSampling((int) tr[0].getShape().get(0), false).build();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, tr[0].getShape().get(1)));
                long s = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    for (Batch b : trainer.iterateDataset(full)) {
                        try (b) {
                            EasyTrain.trainBatch(trainer, b);
                            trainer.step();
                        }
                    }
                }
                if (listener != null) {
                    listener.close();
                }
                return (System.nanoTime() - s) / 1e9;
            }
        }
    }

    /** Listener overhead: training time with the listener over training time without. */
    public static List<ListenerRow> listener(int steps) throws Exception {
        Task task = new ModularTask(31, ModularTask.Op.ADD);
        Task.Split split = task.split(0.8, 0);
        List<ListenerRow> rows = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] tr = oneHot(m, task, split.train());
            NDArray[] va = oneHot(m, task, split.validation());
            LabeledData train = LabeledData.of(tr[0], tr[1]);
            LabeledData val = LabeledData.of(va[0], va[1]);
            timeMlp(tr, 200, null); // warm-up
            List<Object[]> conditions = List.of(
                    new Object[] {"none", (Function<Void, ComplexityTrainingListener>) v -> null},
                    new Object[] {"sync: spectral entropy + pruning MDL", (Function<Void, ComplexityTrainingListener>) v ->
                            ComplexityTrainingListener.builder().estimators(List.of(SpectralEntropyEstimator.of(),
                                    PruningMdlEstimator.of())).everyBatches(100).build()},
                    new Object[] {"sync: defaults (coarse-grained, spectral, pruning) + train/val metrics",
                            (Function<Void, ComplexityTrainingListener>) v -> ComplexityTrainingListener.builder()
                                    .trainData(train).validationData(val).everyBatches(100).build()},
                    new Object[] {"async: defaults + train/val metrics", (Function<Void, ComplexityTrainingListener>) v ->
                            ComplexityTrainingListener.builder().trainData(train).validationData(val).everyBatches(100)
                                    .async(true).build()});
            double base = Double.NaN;
            for (Object[] c : conditions) {
                @SuppressWarnings("unchecked")
                ComplexityTrainingListener l = ((Function<Void, ComplexityTrainingListener>) c[1]).apply(null);
                double sec = timeMlp(tr, steps, l);
                if (l == null) {
                    base = sec;
                }
                ListenerRow r = new ListenerRow((String) c[0], steps, l == null ? 0 : l.history().size(), sec,
                        sec / base, l == null ? 0 : l.monitor().skipped());
                rows.add(r);
                System.out.printf(Locale.ROOT, "  %-70s %5d steps %3d measured %7.2f s  x%.2f  skipped %d%n",
                        r.condition(), steps, r.measurements(), sec, r.ratio(), r.skipped());
            }
        }
        return rows;
    }

    /** Milliseconds per step of the 2-layer transformer without and with the spectral-entropy loss. */
    public static List<StepRow> spectralLoss(int steps) throws Exception {
        Task task = new ModularTask(97, ModularTask.Op.ADD);
        Task.Split split = task.split(0.5, 0);
        List<StepRow> rows = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] x = new float[split.train().size() * 4];
            float[] y = new float[split.train().size()];
            for (int i = 0; i < y.length; i++) {
                Task.Example e = split.train().get(i);
                x[4 * i] = e.a();
                x[4 * i + 1] = 97;
                x[4 * i + 2] = e.b();
                x[4 * i + 3] = 98;
                y[i] = e.label();
            }
            ArrayDataset data = new ArrayDataset.Builder().setData(m.create(x, new Shape(y.length, 4)))
                    .optLabels(m.create(y)).setSampling(512, true).build();
            String[] names = {"cross-entropy", "cross-entropy + spectral-entropy loss (beta 0.1)",
                "cross-entropy + spectral-entropy loss + weight noise (delta 1e-3)"};
            timeTransformer(data, 20, 0, 0); // warm-up
            double base = Double.NaN;
            for (int c = 0; c < names.length; c++) {
                double ms = timeTransformer(data, steps, c >= 1 ? 0.1 : 0, c == 2 ? 1e-3 : 0) * 1000 / steps;
                if (c == 0) {
                    base = ms;
                }
                StepRow r = new StepRow(names[c], steps, ms, ms - base);
                rows.add(r);
                System.out.printf(Locale.ROOT, "  %-70s %4d steps %8.1f ms/step  +%.1f ms%n", r.condition(), steps,
                        r.msPerStep(), r.overheadMs());
            }
        }
        return rows;
    }

    private static double timeTransformer(ArrayDataset data, int steps, double beta, double noise) throws Exception {
        Engine.getInstance().setRandomSeed(2);
        try (Model model = Model.newInstance("transformer")) {
            Block block = new ModularTransformer(new ModularTransformer.Architecture(99, 4, 97, 2, 128, 4, 512, true,
                    true));
            model.setBlock(block);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            if (beta > 0) {
                loss = new SimpleCompositeLoss().addLoss(loss).addLoss(SpectralEntropyLoss.of(block, beta));
            }
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(Optimizer.adamW()
                    .optLearningRateTracker(Tracker.fixed(1e-3f)).optWeightDecays(0.5f).build());
            WeightNoise wn = WeightNoise.of(noise, 3);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 4));
                long s = System.nanoTime();
                int done = 0;
                while (done < steps) {
                    for (Batch b : trainer.iterateDataset(data)) {
                        try (b) {
                            wn.trainBatch(trainer, b);
                            trainer.step();
                        }
                        if (++done >= steps) {
                            break;
                        }
                    }
                }
                return (System.nanoTime() - s) / 1e9;
            }
        }
    }

    public static String listenerMarkdown(List<ListenerRow> rows) {
        StringBuilder sb = new StringBuilder("| listener (DJL) | steps | measurements | seconds | time / no listener | "
                + "skipped (async) |\n|---|---:|---:|---:|---:|---:|\n");
        for (ListenerRow r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %d |%n", r.condition(), r.steps(),
                    r.measurements(), r.seconds(), r.ratio(), r.skipped()));
        }
        return sb.toString();
    }

    public static String stepMarkdown(List<StepRow> rows) {
        StringBuilder sb = new StringBuilder("| loss (2-layer transformer, d 128, batch 512) | steps | ms / step | "
                + "overhead ms / step |\n|---|---:|---:|---:|\n");
        for (StepRow r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f |%n", r.condition(), r.steps(), r.msPerStep(),
                    r.overheadMs()));
        }
        return sb.toString();
    }
}
