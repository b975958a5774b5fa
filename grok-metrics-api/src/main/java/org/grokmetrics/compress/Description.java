package org.grokmetrics.compress;

import java.util.ArrayList;
import java.util.List;

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
        long s = System.nanoTime();
        Evaluations.Candidate chosen = best;
        byte[] encoded = encode(problem, best == null ? problem.lossless() : best.coded());
        if (best != null && orLossless && losslessMayBeSmaller(problem, best)) {
            // the original weights, stored losslessly, are always a valid description: never report worse
            byte[] plain = encode(problem, problem.lossless());
            if (plain.length < encoded.length) {
                encoded = plain;
                chosen = null;
            }
        }
        List<Coded> coded = chosen == null ? problem.lossless() : chosen.coded();
        ParameterSnapshot coarse = chosen == null ? problem.original() : chosen.snapshot();
        if (!CoarseGrainFormat.decode(encoded).equals(coarse)) {
            throw new IllegalStateException("coarse-grain description does not decode to the verified weights");
        }
        ParameterSnapshot p = problem.original();
        long naive = NaiveCompression.bits(p, Codecs.bzip2());
        long compressNanos = System.nanoTime() - s;
        List<TensorSetting> settings = new ArrayList<>(problem.count());
        for (int t = 0; t < problem.count(); t++) {
            Tensor x = p.tensors().get(t);
            settings.add(coded.get(t).setting(x.isMatrix() ? Math.min(x.rows(), x.cols()) : -1));
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

    private static byte[] encode(CompressionProblem problem, List<Coded> coded) {
        return CoarseGrainFormat.compress(CoarseGrainFormat.serialize(coded), problem.options().codec());
    }

    /** Whether the lossless original could beat the candidate: only then is it compressed in full. */
    private static boolean losslessMayBeSmaller(CompressionProblem problem, Evaluations.Candidate c) {
        long plainEstimate = Encoding.PROXY.compress(CoarseGrainFormat.serialize(problem.lossless())).length;
        return plainEstimate < 2 * c.proxyBytes();
    }

    private static int min(int[] v) {
        int m = Integer.MAX_VALUE;
        for (int x : v) {
            m = Math.min(m, x);
        }
        return m;
    }
}
