package org.grokmetrics.examples.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.grokmetrics.examples.train.RunConfig;
import org.grokmetrics.examples.train.Trainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code grok train}: one training run with complexity tracking, written to a folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains the LMN paper's MLP (DL4J) on an algorithmic task, measuring coarse-grained complexity, "
                + "spectral entropy, pruning MDL and the linear mapping number on a log-spaced schedule.",
            "Writes OUT/config.json, metrics.csv, metrics.jsonl, summary.json, rate_distortion.csv, "
                + "rate_distortion.json, a TensorBoard event file (events.out.tfevents.*) and PNG charts."},
        footer = {"", "Examples:", "  grok train --task mod --p 31 --op add --steps 8000 --out runs/add31",
            "  grok train --task s4 --train-fraction 0.8 --out runs/s4",
            "  grok train --task xor --bits 5 --out runs/xor5",
            "  grok train --config runs/add31/config.json --out runs/add31-again"})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "repeat a run from its config.json (other options ignored)")
    Path config;

    @Option(names = "--task", defaultValue = "mod", description = "mod, perm (or s4, s5), xor (default: ${DEFAULT-VALUE})")
    String task;

    @Option(names = "--p", defaultValue = "31", description = "prime modulus for mod, in [2, 1000] (default: ${DEFAULT-VALUE})")
    int p;

    @Option(names = "--op", defaultValue = "add", description = "add, sub, mul, div, squares (default: ${DEFAULT-VALUE})")
    String op;

    @Option(names = "--k", defaultValue = "4", description = "S_k for perm, in [2, 6] (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--bits", defaultValue = "5", description = "width of xor in bits, in [1, 10] (default: ${DEFAULT-VALUE})")
    int bits;

    @Option(names = "--train-fraction", defaultValue = "0.8", description = "fraction of pairs to train on, in " + RunConfig.TRAIN_FRACTION + " (default: ${DEFAULT-VALUE})")
    double trainFraction;

    @Option(names = "--seed", defaultValue = "0", description = "split, init and noise seed, any 64-bit integer (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--steps", defaultValue = "8000", description = "full-batch steps, in " + RunConfig.STEPS + " (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate, in " + RunConfig.LEARNING_RATE + " (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--wd", defaultValue = "0.2", description = "decoupled weight decay, in " + RunConfig.WEIGHT_DECAY + " (default: ${DEFAULT-VALUE})")
    double wd;

    @Option(names = "--beta", defaultValue = "0", description = "spectral-entropy penalty, in " + RunConfig.SPECTRAL_BETA + " (default: ${DEFAULT-VALUE})")
    double beta;

    @Option(names = "--noise", defaultValue = "0", description = "weight-noise delta, in " + RunConfig.WEIGHT_NOISE + " (default: ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--embed", defaultValue = "32", description = "embedding width, in " + RunConfig.WIDTH + " (default: ${DEFAULT-VALUE})")
    int embed;

    @Option(names = "--hidden", defaultValue = "100", description = "hidden width, in " + RunConfig.WIDTH + " (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--points-per-decade", defaultValue = "12",
            description = "measurements per factor of 10 in steps, in " + RunConfig.POINTS_PER_DECADE
                + " (default: ${DEFAULT-VALUE})")
    int pointsPerDecade;

    @Option(names = "--lmn-points", defaultValue = "64", description = "LMN sample points: 0 (off) or in " + RunConfig.LMN_POINTS
            + " (default: ${DEFAULT-VALUE})")
    int lmnPoints;

    @Option(names = "--epsilon", defaultValue = "1.0", description = "coarse-graining loss bound in nats, in " + RunConfig.EPSILON
            + " (default: ${DEFAULT-VALUE})")
    double epsilon;

    @Option(names = "--model", defaultValue = "paper", description = "paper (the LMN paper's MLP: shared N(0,1) "
            + "embedding, PyTorch init, weight decay on every parameter) or one-hot-linear (the earlier model) "
            + "(default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--precision", defaultValue = "float32", description = "float32 or float64 (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--out", defaultValue = "runs/train", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--no-progress", description = "print one line per measurement instead of a progress bar")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunConfig c = config != null ? RunConfig.read(config) : GrokCli.fromOptions(spec, () -> RunConfig.builder()
                .task(task).p(p).op(op).k(k).bits(bits).trainFraction(trainFraction).seed(seed).steps(steps)
                .learningRate(lr).weightDecay(wd).spectralBeta(beta).weightNoise(noise).embed(embed).hidden(hidden)
                .pointsPerDecade(pointsPerDecade).lmnPoints(lmnPoints).epsilon(epsilon).model(model)
                .precision(precision).build());
        Trainer.Result r = run(c, out, noProgress);
        printSummary(System.out, r);
        return 0;
    }

    static Trainer.Result run(RunConfig c, Path out, boolean noProgress) throws java.io.IOException {
        boolean bar = !noProgress && System.console() != null;
        return Trainer.run(c, out, bar ? System.err : null, bar ? null : System.err);
    }

    @SuppressWarnings("unchecked")
    static void printSummary(PrintStream out, Trainer.Result r) {
        printSummary(out, r.folder(), r.summary());
        out.println("charts: " + r.folder().resolve("curves.png") + ", " + r.folder().resolve("lmn_vs_test_loss.png")
                + (r.summary().get("diverged_at_step") == null ? ", " + r.folder().resolve("rate_distortion.png") : ""));
    }

    /** The summary lines any run folder shares (DL4J MLP or DJL transformer). */
    @SuppressWarnings("unchecked")
    static void printSummary(PrintStream out, Path folder, Map<String, Object> s) {
        out.printf(Locale.ROOT, "%nrun folder: %s (%.0f s)%n", folder, (Double) s.get("wall_seconds"));
        out.printf(Locale.ROOT, "memorization (train accuracy >= 99%%) at step %s; grokking (validation accuracy >= 95%%) "
                + "at step %s%n", orNever(s.get("memorization_step")), orNever(s.get("grokking_step")));
        out.printf(Locale.ROOT, "final accuracy: train %s, validation %s%n", s.get("final_train_accuracy"),
                s.get("final_validation_accuracy"));
        if (s.get("diverged_at_step") != null) {
            out.println("training DIVERGED at step " + s.get("diverged_at_step")
                    + " (non-finite loss or weights); figures stop at the last finite measurement");
        }
        Map<String, Map<String, Object>> m = (Map<String, Map<String, Object>>) s.get("measures");
        m.forEach((name, e) -> out.printf(Locale.ROOT, "  %-17s peak %12.5g at step %-6s final %12.5g  peak/final %.2f%n",
                name, (Double) e.get("peak"), e.get("peak_step"), (Double) e.get("final"),
                e.get("peak_over_final") == null ? Double.NaN : (Double) e.get("peak_over_final")));
    }

    private static String orNever(Object step) {
        return step == null ? "never" : step.toString();
    }
}
