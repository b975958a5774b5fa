package org.grokmetrics.examples.djl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.compress.CoarseGraining;
import org.grokmetrics.djl.ComplexityTrainingListener;
import org.grokmetrics.djl.LabeledData;
import org.grokmetrics.djl.SpectralEntropyLoss;
import org.grokmetrics.djl.WeightNoise;
import org.grokmetrics.examples.plot.Charts;
import org.grokmetrics.examples.tasks.Task;
import org.grokmetrics.examples.train.RunSummary;
import org.grokmetrics.listener.DefaultEstimators;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.monitor.RecordSink;
import org.grokmetrics.monitor.Schedule;

/**
 * Trains {@link ModularTransformer} on a task with DJL (PyTorch engine) and a
 * {@link ComplexityTrainingListener}, and writes the run folder: {@code config.json}, {@code metrics.csv},
 * {@code metrics.jsonl}, {@code summary.json} and the charts.
 *
 * <p>Inputs are the token sequences [a, op, b, =] over a vocabulary of the task's symbols plus the two
 * tokens op and =; the label is a&#8728;b. Mini-batches are drawn by DJL's shuffling sampler (seeded by
 * the engine seed), the loss is cross-entropy on the last position, plus the spectral-entropy loss and
 * weight noise where configured; the optimiser is AdamW (&beta;1 0.9) with optional linear warm-up.
 */
public final class TransformerTrainer {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TransformerTrainer() {
    }

    /** The outcome: records and summary. */
    public record Result(List<ComplexityRecord> records, Map<String, Object> summary, Path folder) {
    }

    /** Token ids [a, op, b, =] (n, 4) and labels (n). */
    static NDArray[] tokens(NDManager m, Task task, List<Task.Example> examples) {
        int op = task.vocab();
        int eq = task.vocab() + 1;
        float[] x = new float[examples.size() * 4];
        float[] y = new float[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            Task.Example e = examples.get(i);
            x[4 * i] = e.a();
            x[4 * i + 1] = op;
            x[4 * i + 2] = e.b();
            x[4 * i + 3] = eq;
            y[i] = e.label();
        }
        return new NDArray[] {m.create(x, new Shape(examples.size(), 4)), m.create(y)};
    }

    /**
     * The DJL device for "cpu" or "gpu".
     *
     * @throws IllegalArgumentException for "gpu" when PyTorch sees no GPU
     */
    static Device device(String name) {
        if (!name.equals("gpu")) {
            return Device.cpu();
        }
        if (Engine.getInstance().getGpuCount() == 0) {
            throw new IllegalArgumentException("--device gpu: PyTorch sees no GPU (the default build ships the CPU "
                    + "library; build with mvn -Pcuda on a machine with an NVIDIA driver, see docs/reproductions.md)");
        }
        return Device.gpu();
    }

    /** The architecture of a configuration for a task. */
    public static ModularTransformer.Architecture architecture(TransformerConfig c, Task task) {
        return new ModularTransformer.Architecture(task.vocab() + 2, 4, task.classes(), c.layers(),
                TransformerConfig.D_MODEL, TransformerConfig.HEADS, TransformerConfig.MLP, c.causal(), c.finalNorm());
    }

    /**
     * Runs and writes the folder.
     *
     * @param progress where the progress bar goes (null: one line per measurement on {@code log})
     * @param log      where per-measurement lines go when there is no progress bar (may be null)
     */
    public static Result run(TransformerConfig c, Path folder, PrintStream progress, PrintStream log)
            throws IOException, ai.djl.translate.TranslateException {
        Files.createDirectories(folder);
        c.write(folder.resolve("config.json"));
        Task task = c.buildTask();
        Task.Split split = task.split(c.trainFraction(), c.seed());
        Device device = device(c.device());
        Engine.getInstance().setRandomSeed((int) c.seed());
        long start = System.nanoTime();
        // progress is drawn from the training thread: a refresh thread's allocations would perturb DJL's
        // floating-point results (DEVELOPERS.md) and break "same config.json, same metrics"
        Progress bar = progress == null ? null : new Progress(progress, c.condition() + " " + task.id(), c.steps());
        RecordSink status = r -> {
            String line = String.format(Locale.ROOT, "train %.3f val %.3f | C %.0f bits | erank %.1f | MDL %.0f",
                    r.trainAccuracy(), r.validationAccuracy(), r.value("coarse-grained"),
                    r.estimate("spectral-entropy").flatMap(e -> e.detail("effective_rank")).orElse(Double.NaN),
                    r.value("pruning-mdl"));
            if (bar != null) {
                bar.message(line);
            } else if (log != null) {
                log.println("step " + r.step() + ": " + line);
            }
        };
        List<ComplexityEstimator> estimators = DefaultEstimators.standard().withEpsilon(c.epsilon())
                .select(c.complexity(), false);
        Long diverged = null;
        List<ComplexityRecord> records;
        try (NDManager data = NDManager.newBaseManager(device);
             Model model = Model.newInstance("transformer-" + task.id(), device)) {
            NDArray[] tr = tokens(data, task, split.train());
            NDArray[] va = tokens(data, task, split.validation());
            ArrayDataset trainSet = new ArrayDataset.Builder().setData(tr[0]).optLabels(tr[1])
                    .setSampling(c.batchSize(), true).build();
            ModularTransformer block = new ModularTransformer(architecture(c, task));
            model.setBlock(block);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            if (c.spectralBeta() > 0) {
                loss = new SimpleCompositeLoss().addLoss(loss).addLoss(SpectralEntropyLoss.of(block, c.spectralBeta()));
            }
            ComplexityTrainingListener listener = ComplexityTrainingListener.builder().estimators(estimators)
                    .trainData(LabeledData.of(tr[0], tr[1])).validationData(LabeledData.of(va[0], va[1]))
                    .schedule(c.pointsPerDecade() > 0 ? Schedule.logSpaced(c.pointsPerDecade())
                            : Schedule.everySteps(c.measureEvery()))
                    .csv(folder.resolve("metrics.csv")).jsonLines(folder.resolve("metrics.jsonl")).tensorBoard(folder)
                    .sink(status).build();
            Tracker lr = Tracker.fixed((float) c.learningRate());
            if (c.warmupSteps() > 0) {
                lr = Tracker.warmUp().setMainTracker(lr).optWarmUpSteps(c.warmupSteps()).optWarmUpBeginValue(0f).build();
            }
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optDevices(new Device[] {device})
                    .optOptimizer(Optimizer.adamW().optLearningRateTracker(lr).optBeta1(0.9f)
                            .optBeta2((float) c.beta2()).optWeightDecays((float) c.weightDecay()).build())
                    .addTrainingListeners(listener);
            WeightNoise noise = WeightNoise.of(c.weightNoise(), c.seed());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 4));
                listener.measureNow(trainer);
                int step = 0;
                training:
                while (step < c.steps()) {
                    for (Batch batch : trainer.iterateDataset(trainSet)) {
                        try (batch) {
                            noise.trainBatch(trainer, batch);
                            trainer.step();
                        }
                        step++;
                        if (bar != null) {
                            bar.step(step);
                        }
                        List<ComplexityRecord> h = listener.history();
                        if (!h.isEmpty() && h.get(h.size() - 1).step() == step - 1
                                && !Double.isFinite(h.get(h.size() - 1).trainLoss())) {
                            diverged = (long) step - 1;
                            break training;
                        }
                        if (step >= c.steps()) {
                            break training;
                        }
                    }
                    trainer.notifyListeners(l -> l.onEpoch(trainer));
                }
                List<ComplexityRecord> h = listener.history();
                if (diverged == null && (h.isEmpty() || h.get(h.size() - 1).step() != c.steps())) {
                    listener.measureNow(trainer);
                }
            } finally {
                listener.close();
                if (bar != null) {
                    bar.close();
                }
            }
            records = listener.history();
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> summary = new LinkedHashMap<>(RunSummary.of(records, seconds));
            summary.put("condition", c.condition());
            summary.put("task", task.id());
            summary.put("diverged_at_step", diverged);
            summary.putAll(descriptionLength(records, split.train().size()));
            JSON.writeValue(folder.resolve("summary.json").toFile(), summary);
            Charts.drawAll(folder);
            return new Result(records, summary, folder);
        }
    }

    /** A one-line progress display redrawn from the calling thread, at most every 1% of the steps. */
    private static final class Progress {
        private final PrintStream out;
        private final String name;
        private final int total;
        private final long start = System.nanoTime();
        private String message = "";
        private int shown = -1;

        Progress(PrintStream out, String name, int total) {
            this.out = out;
            this.name = name;
            this.total = total;
        }

        void message(String m) {
            message = m;
        }

        void step(int s) {
            int percent = (int) (100L * s / total);
            if (percent == shown && s != total) {
                return;
            }
            shown = percent;
            double elapsed = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "\r%s %3d%% %d/%d %.0fs | %s   ", name, percent, s, total, elapsed, message);
            out.flush();
        }

        void close() {
            out.println();
        }
    }

    /**
     * Final coarse-grained complexity, total description length and generalization bound (SPEC &sect;1, with
     * the train error rate as empirical risk and &delta; = 0.05), and the final effective rank and naive size.
     */
    static Map<String, Object> descriptionLength(List<ComplexityRecord> records, long n) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = records.size() - 1; i >= 0; i--) {
            ComplexityRecord r = records.get(i);
            var est = r.estimate(CoarseGrainCompressor.NAME);
            if (est.isPresent() && est.get().succeeded()) {
                double bits = est.get().value();
                m.put("final_complexity_bits", bits);
                m.put("final_naive_bits", est.get().detail("naive_bits").orElse(null));
                m.put("final_total_description_length_bits", est.get().detail("total_description_length_bits")
                        .orElse(null));
                m.put("final_generalization_bound",
                        CoarseGraining.generalizationBound(bits, 1 - r.trainAccuracy(), n, 0.05));
                break;
            }
        }
        if (!records.isEmpty()) {
            records.get(records.size() - 1).estimate("spectral-entropy").flatMap(e -> e.detail("effective_rank"))
                    .ifPresent(v -> m.put("final_effective_rank", v));
        }
        return m;
    }
}
