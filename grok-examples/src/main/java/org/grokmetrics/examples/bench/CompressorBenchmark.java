package org.grokmetrics.examples.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.compress.CoarseGraining;
import org.grokmetrics.compress.QuadraticLoss;
import org.grokmetrics.compress.RateDistortion;
import org.grokmetrics.examples.models.ModularMlp;

/**
 * Tightness and cost of the coarse-grained compressor: default mode against the paper's encoding,
 * quantization-only, and an exhaustive (bits, &tau;) grid, on the shipped trained MLPs; and the
 * compressor's own time on a 440k-parameter transformer-shaped snapshot.
 */
public final class CompressorBenchmark {

    /** Tightness on one checkpoint and &epsilon;. */
    public record Tightness(String model, double epsilon, long naiveBits, long paperBits, int paperEvals,
                            long quantOnlyBits, long defaultBits, int defaultEvals, double defaultOwnMs,
                            long gridBits, int gridEvals, String defaultSetting) {
    }

    /** Own cost on the transformer-shaped snapshot. */
    public record Cost(long parameters, int evaluations, double svdMs, double quantizeMs, double encodeMs,
                       double compressMs, double ownMs, long bits) {
    }

    private CompressorBenchmark() {
    }

    public static List<Tightness> tightness(Path weightsDir, double[] epsilons, int gridMaxBits) throws IOException {
        List<Tightness> rows = new ArrayList<>();
        for (String file : List.of("mod31-mlp.safetensors", "mod31-mlp-memorized.safetensors")) {
            ModularMlp.Checkpoint ck = ModularMlp.load(weightsDir.resolve(file));
            LossOracle loss = ck.task().trainLoss();
            for (double eps : epsilons) {
                CoarseGraining def = CoarseGrainCompressor.of(eps).compress(ck.weights(), loss);
                CoarseGraining paper = CoarseGrainCompressor.of(CoarseGrainCompressor.Options.paper(eps))
                        .compress(ck.weights(), loss);
                CoarseGraining qonly = CoarseGrainCompressor.of(
                        CoarseGrainCompressor.Options.quantizationOnly(eps)).compress(ck.weights(), loss);
                long[] grid = grid(ck.weights(), loss, eps, gridMaxBits);
                String setting = def.globalBits() + " bits, tau " + String.format(Locale.ROOT, "%.3f", def.tau()) + ", "
                        + def.settings().stream().filter(s -> s.rank() > 0).count() + " low-rank";
                Tightness t = new Tightness(file.replace(".safetensors", ""), eps, def.naiveBits(), paper.bits(),
                        paper.lossEvaluations(), qonly.bits(), def.bits(), def.lossEvaluations(),
                        def.timings().ownNanos() / 1e6, grid[0], (int) grid[1], setting);
                rows.add(t);
                System.out.printf(Locale.ROOT, "  %-22s eps %.2f naive %7d paper %7d (%2d ev) qonly %7d default %6d (%2d ev)"
                        + " grid %6d (%4d ev)  default/paper %.3f default/grid %.3f%n", t.model(), eps, t.naiveBits(),
                        t.paperBits(), t.paperEvals(), t.quantOnlyBits(), t.defaultBits(), t.defaultEvals(),
                        t.gridBits(), t.gridEvals(), (double) t.defaultBits() / t.paperBits(),
                        (double) t.defaultBits() / t.gridBits());
            }
        }
        return rows;
    }

    /** Exhaustive grid: every bits in [2, maxBits] at every &tau; breakpoint and &tau; = 1; best exact bits. */
    static long[] grid(ParameterSnapshot w, LossOracle loss, double eps, int maxBits) {
        CoarseGrainCompressor c = CoarseGrainCompressor.of(eps);
        RateDistortion rd = c.rateDistortion(w, loss);
        List<Double> taus = new ArrayList<>(rd.tauBreakpoints());
        taus.add(1.0);
        List<RateDistortion.Point> ok = new ArrayList<>();
        for (int b = 2; b <= maxBits; b++) {
            for (double tau : taus) {
                var pt = rd.point(b, tau);
                if (pt.withinBound()) {
                    ok.add(pt);
                }
            }
        }
        ok.sort(Comparator.comparingLong(RateDistortion.Point::estimatedBits));
        long best = Long.MAX_VALUE;
        for (int i = 0; i < Math.min(5, ok.size()); i++) {
            CoarseGraining d = rd.describe(ok.get(i));
            best = Math.min(best, d.bits());
        }
        return new long[] {best, rd.lossEvaluations()};
    }

    /** A 2-layer, d = 128, MLP 512, vocab 115 transformer's parameter shapes with random weights. */
    static ParameterSnapshot transformerShaped(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Tensor> ts = new ArrayList<>();
        ts.add(gauss("tok_emb", r, 0.1, 115, 128));
        ts.add(gauss("pos_emb", r, 0.1, 4, 128));
        for (int l = 0; l < 2; l++) {
            String p = "layers." + l + ".";
            for (String m : List.of("q", "k", "v", "o")) {
                ts.add(gauss(p + "attn." + m + ".weight", r, 0.09, 128, 128));
                ts.add(gauss(p + "attn." + m + ".bias", r, 0.01, 128));
            }
            ts.add(gauss(p + "ln1.weight", r, 0.01, 128));
            ts.add(gauss(p + "ln1.bias", r, 0.01, 128));
            ts.add(gauss(p + "mlp.in.weight", r, 0.09, 512, 128));
            ts.add(gauss(p + "mlp.in.bias", r, 0.01, 512));
            ts.add(gauss(p + "mlp.out.weight", r, 0.04, 128, 512));
            ts.add(gauss(p + "mlp.out.bias", r, 0.01, 128));
            ts.add(gauss(p + "ln2.weight", r, 0.01, 128));
            ts.add(gauss(p + "ln2.bias", r, 0.01, 128));
        }
        ts.add(gauss("unembed.weight", r, 0.09, 113, 128));
        return ParameterSnapshot.of(ts);
    }

    private static Tensor gauss(String name, SplittableRandom r, double sd, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (sd * JavaMlp.gaussian(r));
        }
        return new Tensor(name, shape, v);
    }

    public static Cost ownCost(int repeats) {
        ParameterSnapshot p = transformerShaped(3);
        // a distortion oracle of negligible cost: loss = 1 + 1e4 * mean squared change
        LossOracle quad = QuadraticLoss.around(p, 1, 1e4);
        CoarseGrainCompressor c = CoarseGrainCompressor.of(0.5);
        c.compress(p, quad); // warm-up
        List<CoarseGraining> runs = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            runs.add(c.compress(p, quad));
        }
        runs.sort(Comparator.comparingLong(g -> g.timings().ownNanos()));
        CoarseGraining m = runs.get(runs.size() / 2);
        var t = m.timings();
        Cost cost = new Cost(p.size(), m.lossEvaluations(), t.svdNanos() / 1e6, t.quantizeNanos() / 1e6,
                t.encodeNanos() / 1e6, t.compressNanos() / 1e6, t.ownNanos() / 1e6, m.bits());
        System.out.printf(Locale.ROOT, "  transformer-shaped %d parameters, %d evaluations: own %.0f ms = svd %.0f + "
                + "quantize %.0f + encode %.0f + compress %.0f ms (%d bits)%n", cost.parameters(), cost.evaluations(),
                cost.ownMs(), cost.svdMs(), cost.quantizeMs(), cost.encodeMs(), cost.compressMs(), cost.bits());
        return cost;
    }

    public static String markdown(List<Tightness> rows, Cost cost) {
        StringBuilder sb = new StringBuilder();
        sb.append("| model | ε | naive bzip2 | paper mode (evals) | quantization-only | default (evals) | grid best (evals) "
                + "| default / paper | default / grid | default setting |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Tightness t : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %d | %d (%d) | %d | %d (%d) | %d (%d) | %.3f | %.3f | %s |%n",
                    t.model(), t.epsilon(), t.naiveBits(), t.paperBits(), t.paperEvals(), t.quantOnlyBits(),
                    t.defaultBits(), t.defaultEvals(), t.gridBits(), t.gridEvals(),
                    (double) t.defaultBits() / t.paperBits(), (double) t.defaultBits() / t.gridBits(), t.defaultSetting()));
        }
        if (cost != null) {
            sb.append(String.format(Locale.ROOT, "%nOwn cost (everything but loss evaluations), %d-parameter transformer-shaped "
                    + "snapshot, ε = 0.5 with a quadratic distortion oracle, median of 3, one thread: **%.0f ms** = SVD %.0f + "
                    + "quantize/reconstruct %.0f + encode/size estimates %.0f + final compression and decode check %.0f "
                    + "(%d loss evaluations; target < 2,000 ms).%n", cost.parameters(), cost.ownMs(), cost.svdMs(),
                    cost.quantizeMs(), cost.encodeMs(), cost.compressMs(), cost.evaluations()));
        }
        return sb.toString();
    }
}
