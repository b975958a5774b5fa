package org.grokmetrics.examples.train;

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

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.compress.CoarseGraining;
import org.grokmetrics.compress.RateDistortion;
import org.grokmetrics.dl4j.ComplexityListener;
import org.grokmetrics.dl4j.Dl4jModels;
import org.grokmetrics.dl4j.Dl4jRegularization;
import org.grokmetrics.examples.models.Dl4jMlps;
import org.grokmetrics.examples.models.MlpModel;
import org.grokmetrics.examples.plot.Charts;
import org.grokmetrics.examples.tasks.Task;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.monitor.RecordSink;
import org.grokmetrics.monitor.Schedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Trains the LMN paper's MLP on a task with a {@link ComplexityListener} and writes the run folder:
 * {@code config.json}, {@code metrics.csv}, {@code metrics.jsonl}, {@code summary.json},
 * {@code rate_distortion.csv} (the points) with {@code rate_distortion.json} (the compressor's choice),
 * {@code loss_trace.csv} (train loss every {@value #TRACE_EVERY} steps, from which the summary's
 * {@code loss_spikes} are found), a TensorBoard event file ({@code events.out.tfevents.*}) and the PNG charts.
 */
public final class Trainer {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Trainer() {
    }

    /** The outcome: records and summary. */
    public record Result(List<ComplexityRecord> records, Map<String, Object> summary, Path folder, RunConfig config) {
    }

    /** Train-loss trace: every this many steps (a forward pass each, about 3% of the training time). */
    static final int TRACE_EVERY = 10;

    /**
     * One-hot operands (2&middot;vocab features) and one-hot labels, float32: the inputs of
     * {@link MlpModel#ONE_HOT_LINEAR}.
     *
     * @deprecated use {@link MlpModel#dataSet}, which encodes the inputs as the model wants them
     */
    @Deprecated
    public static DataSet dataSet(Task task, List<Task.Example> examples) {
        return MlpModel.ONE_HOT_LINEAR.dataSet(task, examples, DataType.FLOAT);
    }

    /** The network's configuration, regularized as configured. */
    public static MultiLayerConfiguration network(RunConfig c, Task task) {
        MultiLayerConfiguration conf = c.mlpModel().configuration(new MlpModel.Spec(task.vocab(), task.classes(),
                c.embed(), c.hidden(), c.learningRate(), c.weightDecay(), c.seed(), c.dataType()));
        if (c.spectralBeta() > 0) {
            Dl4jRegularization.spectralEntropy(conf, c.spectralBeta());
        }
        if (c.weightNoise() > 0) {
            Dl4jRegularization.weightNoise(conf, c.weightNoise(), true); // biases too, as the reproductions always had it
        }
        return conf;
    }

    /**
     * Runs and writes the folder.
     *
     * @param progress where the progress bar goes (null: one line per measurement on {@code log})
     * @param log      where per-measurement lines go when there is no progress bar (may be null)
     */
    public static Result run(RunConfig c, Path folder, PrintStream progress, PrintStream log) throws IOException {
        Files.createDirectories(folder);
        c.write(folder.resolve("config.json"));
        Task task = c.buildTask();
        Task.Split split = task.split(c.trainFraction(), c.seed());
        MlpModel model = c.mlpModel();
        DataSet train = model.dataSet(task, split.train(), c.dataType());
        DataSet val = model.dataSet(task, split.validation(), c.dataType());
        Nd4j.getRandom().setSeed(c.seed());
        MultiLayerNetwork net = model.network(network(c, task), c.seed());
        List<Long> traceSteps = new ArrayList<>();
        List<Double> traceLoss = new ArrayList<>();
        long start = System.nanoTime();
        ProgressBar bar = progress == null ? null : new ProgressBarBuilder().setTaskName(task.id()).setInitialMax(c.steps())
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(progress))
                .setUpdateIntervalMillis(500).build();
        RecordSink status = r -> {
            String line = String.format(Locale.ROOT, "train %.3f val %.3f | C %.0f bits | H %.3f | MDL %.0f | LMN %.1f",
                    r.trainAccuracy(), r.validationAccuracy(), r.value("coarse-grained"), r.value("spectral-entropy"),
                    r.value("pruning-mdl"), r.value("lmn"));
            if (bar != null) {
                bar.setExtraMessage(line);
            } else if (log != null) {
                log.println("step " + r.step() + ": " + line);
            }
        };
        ComplexityListener.Builder lb = ComplexityListener.builder().trainData(train).validationData(val)
                .schedule(Schedule.logSpaced(c.pointsPerDecade())).epsilon(c.epsilon())
                .csv(folder.resolve("metrics.csv")).jsonLines(folder.resolve("metrics.jsonl")).tensorBoard(folder)
                .sink(status);
        if (c.lmnPoints() > 0) {
            lb.lmnLayer(Dl4jMlps.LMN_FROM_LAYER).lmnPoints(c.lmnPoints());
        }
        ComplexityListener listener = lb.build();
        listener.measureNow(net, 0, 0);
        net.setListeners(listener);
        long lastMeasured = 0;
        Integer diverged = null;
        try {
            for (int step = 1; step <= c.steps(); step++) {
                net.fit(train);
                if (bar != null) {
                    bar.stepTo(step);
                }
                if (step % TRACE_EVERY == 0 || step == 1) {
                    traceSteps.add((long) step);
                    traceLoss.add(Dl4jModels.evaluate(net, train).loss());
                }
                // stop on divergence (float32 blow-up late in training): non-finite loss or weights
                if (!Double.isFinite(net.score()) || !Double.isFinite(net.params().sumNumber().doubleValue())) {
                    diverged = step;
                    String msg = "training diverged at step " + step + " (non-finite loss or weights); stopping";
                    if (log != null) {
                        log.println(msg);
                    } else if (progress != null) {
                        progress.println(msg);
                    }
                    break;
                }
            }
            List<ComplexityRecord> h = listener.history();
            lastMeasured = h.isEmpty() ? 0 : h.get(h.size() - 1).step();
            if (diverged == null && lastMeasured != c.steps()) {
                net.setListeners(List.of());
                listener.measureNow(net, c.steps(), 0);
            }
        } finally {
            listener.close();
            if (bar != null) {
                bar.close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<ComplexityRecord> records = listener.history();
        Map<String, Object> summary = new java.util.LinkedHashMap<>(RunSummary.of(records, seconds));
        summary.put("diverged_at_step", diverged);
        long[] ts = traceSteps.stream().mapToLong(Long::longValue).toArray();
        double[] tl = traceLoss.stream().mapToDouble(Double::doubleValue).toArray();
        summary.put("loss_spikes", RunSummary.spikes(LossSpikes.defaults().find(ts, tl)));
        writeTrace(folder.resolve("loss_trace.csv"), ts, tl);
        JSON.writeValue(folder.resolve("summary.json").toFile(), summary);
        if (diverged == null) {
            rateDistortion(net, train, c, folder, records);
        }
        Charts.drawAll(folder);
        return new Result(records, summary, folder, c);
    }

    private static void writeTrace(Path file, long[] steps, double[] loss) throws IOException {
        List<String> lines = new ArrayList<>(steps.length + 1);
        lines.add("step,train_loss");
        for (int i = 0; i < steps.length; i++) {
            lines.add(steps[i] + "," + loss[i]);
        }
        Files.write(file, lines);
    }

    /**
     * Rate&ndash;distortion points of the final weights: bits 2..10 dense and at the &tau; the compressor
     * chose. The chosen description is the listener's estimate at the final step (same weights, same
     * &epsilon;), so it is not recomputed unless that estimate is missing or failed.
     */
    static void rateDistortion(MultiLayerNetwork net, DataSet train, RunConfig c, Path folder,
                               List<ComplexityRecord> records) throws IOException {
        LossOracle loss = Dl4jModels.trainLoss(net, train);
        CoarseGrainCompressor comp = CoarseGrainCompressor.of(c.epsilon());
        var snapshot = Dl4jModels.snapshot(net);
        ComplexityEstimate fin = records.isEmpty() || records.get(records.size() - 1).step() != c.steps() ? null
                : records.get(records.size() - 1).estimate(CoarseGrainCompressor.NAME).filter(ComplexityEstimate::succeeded)
                .orElse(null);
        double chosenBits;
        double chosenTau;
        double naive;
        if (fin != null) {
            chosenBits = fin.value();
            chosenTau = fin.detail("tau").orElse(1.0);
            naive = fin.detail("naive_bits").orElse(Double.NaN);
        } else {
            CoarseGraining best = comp.compress(snapshot, loss);
            chosenBits = best.bits();
            chosenTau = best.tau();
            naive = best.naiveBits();
        }
        RateDistortion rd = comp.rateDistortion(snapshot, loss);
        List<String> lines = new ArrayList<>();
        lines.add("bits,tau,estimated_bits,loss,distortion,within_bound");
        for (double tau : new double[] {1.0, chosenTau}) {
            for (int b = 2; b <= 10; b++) {
                var pt = rd.point(b, tau);
                lines.add(String.format(Locale.ROOT, "%d,%s,%d,%s,%s,%s", b, tau, pt.estimatedBits(), pt.loss(),
                        pt.distortion(), pt.withinBound()));
            }
            if (chosenTau >= 1.0) {
                break;
            }
        }
        Files.write(folder.resolve("rate_distortion.csv"), lines);
        // the compressor's choice beside the table, not in it (a CSV reader would take a comment row for data)
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("chosen_bits", Double.isFinite(chosenBits) ? chosenBits : null);
        chosen.put("chosen_tau", chosenTau);
        chosen.put("naive_bits", Double.isFinite(naive) ? naive : null);
        chosen.put("epsilon", c.epsilon());
        JSON.writeValue(folder.resolve("rate_distortion.json").toFile(), chosen);
    }
}
