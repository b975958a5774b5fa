package org.grokmetrics.compress;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.codec.Codecs;
import org.grokmetrics.codec.NaiveCompression;

/**
 * The final description of a compression: the chosen candidate serialised and compressed with the
 * options' codec, the lossless original instead where that is smaller, the decode check, and the
 * {@link CoarseGraining} report.
 */
final class Description {

    private Description() {
    }

    /**
     * The decodable description of {@code best} (or of the original weights, if null); with
     * {@code orLossless}, the lossless original instead when that is smaller.
     *
     * @throws IllegalStateException if the description does not decode to the candidate's weights
     */
    static CoarseGraining describe(CompressionProblem problem, Evaluations ev, Evaluations.Candidate best,
                                   boolean orLossless) {
        return describe(problem, ev, best, orLossless, () -> naiveBits(problem.original()));
    }

    /**
     * {@link #describe(CompressionProblem, Evaluations, Evaluations.Candidate, boolean)} with the naive baseline
     * ({@link #naiveBits}) from {@code naiveBits}, e.g. computed beside the search.
     */
    static CoarseGraining describe(CompressionProblem problem, Evaluations ev, Evaluations.Candidate best,
                                   boolean orLossless, LongSupplier naiveBits) {
        long s = System.nanoTime();
        ParameterSnapshot p = problem.original();
        long naive = naiveBits.getAsLong();
        Evaluations.Candidate chosen = best;
        byte[] encoded = encode(problem, best == null ? problem.lossless() : codedView(problem, best.config()));
        // the naive size (bzip2 of each tensor's float32 bytes) estimates the lossless description's: only if that
        // could beat the candidate is the lossless original compressed in full
        if (best != null && orLossless && naive / 8 < 2 * best.proxyBytes()) {
            // the original weights, stored losslessly, are always a valid description: never report worse
            byte[] plain = encode(problem, problem.lossless());
            if (plain.length < encoded.length) {
                encoded = plain;
                chosen = null;
            }
        }
        ParameterSnapshot coarse = checkDecodes(encoded, problem.original(), chosen);
        long compressNanos = System.nanoTime() - s;
        // the stored forms once more, for their settings (one list: lossless() copies every tensor)
        List<Coded> stored = chosen == null ? problem.lossless() : codedView(problem, chosen.config());
        List<TensorSetting> settings = new ArrayList<>(problem.count());
        for (int t = 0; t < problem.count(); t++) {
            Tensor x = p.tensors().get(t);
            settings.add(stored.get(t).setting(x.isMatrix() ? Math.min(x.rows(), x.cols()) : -1));
        }
        Config cfg = chosen == null ? null : chosen.config();
        int globalBits = cfg != null && cfg.bits() != null ? QuantizationLadder.bitsFor(QuantizationLadder.LADDER[min(cfg.bits())]) : 0;
        double globalDelta = cfg != null && cfg.bits() == null ? cfg.delta() : Double.NaN;
        double tau = cfg != null ? cfg.tau() : 1.0;
        double coarseLoss = chosen == null ? ev.originalLoss() : chosen.loss();
        return new CoarseGraining(encoded, coarse, ev.originalLoss(), coarseLoss, ev.count(), naive,
                problem.options().mode(), CoarseGrainFormat.codecId(encoded), globalBits, globalDelta, tau, settings,
                ev.stopwatch().timings(compressNanos, ev.lossNanos()));
    }

    /** The papers' naive baseline: bzip2 of each tensor's raw float32 bytes, summed, in bits. */
    static long naiveBits(ParameterSnapshot original) {
        return NaiveCompression.bits(original, Codecs.bzip2());
    }

    /**
     * The stored forms of configuration {@code c}, each built when read and not kept: serialising them holds one
     * tensor's codes at a time.
     */
    private static List<Coded> codedView(CompressionProblem problem, Config c) {
        return new AbstractList<>() {
            @Override
            public Coded get(int t) {
                return problem.coded(t, c);
            }

            @Override
            public int size() {
                return problem.count();
            }
        };
    }

    /**
     * Decodes {@code encoded} tensor by tensor and checks each against the weights it stands for: the candidate's
     * evaluated weights, by their digests ({@link WeightsDigest}: candidates keep no weights), or, with no
     * candidate, the original's, value for value.
     *
     * @return the decoded weights: the coarse-grained snapshot the description holds
     * @throws IllegalStateException if the description does not decode to those weights, bit for bit
     */
    private static ParameterSnapshot checkDecodes(byte[] encoded, ParameterSnapshot original,
                                                  Evaluations.Candidate chosen) {
        List<Tensor> want = original.tensors();
        List<Tensor> decoded = new ArrayList<>(want.size());
        CoarseGrainFormat.decode(encoded, t -> {
            int i = decoded.size();
            boolean same = i < want.size() && (chosen == null ? t.equals(want.get(i))
                    : t.name().equals(want.get(i).name()) && Arrays.equals(WeightsDigest.of(t), chosen.digests()[i]));
            if (!same) {
                throw new IllegalStateException("coarse-grain description does not decode to the verified weights"
                        + " (tensor " + i + ", '" + t.name() + "')");
            }
            // the lossless original decodes to the original: keep the caller's tensors, not a second copy
            decoded.add(chosen == null ? want.get(i) : t);
        });
        if (decoded.size() != want.size()) {
            throw new IllegalStateException("coarse-grain description does not decode to the verified weights ("
                    + decoded.size() + " of " + want.size() + " tensors)");
        }
        return chosen == null ? original : ParameterSnapshot.of(decoded);
    }

    private static byte[] encode(CompressionProblem problem, List<Coded> coded) {
        return CoarseGrainFormat.compress(CoarseGrainFormat.serialize(coded), problem.options().codec());
    }

    private static int min(int[] v) {
        int m = Integer.MAX_VALUE;
        for (int x : v) {
            m = Math.min(m, x);
        }
        return m;
    }
}
