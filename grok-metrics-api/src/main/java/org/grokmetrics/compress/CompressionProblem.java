package org.grokmetrics.compress;

import java.util.ArrayList;
import java.util.List;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;

/**
 * What one compression works on, fixed before the search starts: the snapshot, max |&theta;| per tensor,
 * its {@link RankChain}, the options and their {@link Encoding}. Builds the stored form of any
 * {@link Config}, one tensor at a time (no copy of the whole snapshot in double). Immutable.
 *
 * @param options  the compressor's options
 * @param encoding the encoding of {@code options.mode()}
 * @param original the original weights
 * @param absMax   each tensor's max |&theta;| (0 for an all-zero tensor)
 * @param chain    the rank chain ({@link RankChain#none} without rank search)
 */
record CompressionProblem(CoarseGrainCompressor.Options options, Encoding encoding, ParameterSnapshot original,
                          double[] absMax, RankChain chain) {

    /** Max |&theta;| of {@code p}'s tensors; the chain is added by {@link #withChain}. */
    static CompressionProblem of(CoarseGrainCompressor.Options options, ParameterSnapshot p) {
        List<Tensor> tensors = p.tensors();
        int count = tensors.size();
        double[] absMax = new double[count];
        for (int t = 0; t < count; t++) {
            absMax[t] = QuantizationLadder.maxAbs(QuantizationLadder.Values.of(tensors.get(t).buffer()));
        }
        return new CompressionProblem(options, Encoding.of(options), p, absMax, RankChain.none(count));
    }

    CompressionProblem withChain(RankChain c) {
        return new CompressionProblem(options, encoding, original, absMax, c);
    }

    /** Tensor t's values (float32, as stored in the snapshot), read in place: not a copy. */
    QuantizationLadder.Values values(int t) {
        return QuantizationLadder.Values.of(original.tensors().get(t).buffer());
    }

    List<Tensor> tensors() {
        return original.tensors();
    }

    int count() {
        return absMax.length;
    }

    /** The configuration at quantization level q and chain index i (i &ge; chain length: dense). */
    Config at(int q, int i) {
        Config base = encoding.level(q, count());
        return i >= chain.length() ? base : withTau(base, chain.tau(i));
    }

    /** {@code base}'s quantization with the ranks k(&tau;). */
    Config withTau(Config base, double tau) {
        return base.withRanks(chain.ranksAt(tau), tau);
    }

    /**
     * The bytes of a serialised stream that are not tensor payload (version, count, names, shapes): the
     * same for every configuration of this problem.
     */
    long streamOverhead() {
        List<Coded> zeros = new ArrayList<>(count());
        for (Tensor t : tensors()) {
            zeros.add(new Coded.Zero(t.name(), t.shape()));
        }
        long kindBytes = zeros.isEmpty() ? 0 : count() * zeros.get(0).payloadLength();
        return CoarseGrainFormat.serialize(zeros).length - kindBytes;
    }

    /** Tensor t's stored form under {@code c} ({@link Encoding#code}): a pure function of the problem and c. */
    Coded coded(int t, Config c) {
        return encoding.code(this, t, c);
    }

    /** The original weights stored losslessly (float32): always a valid description. */
    List<Coded> lossless() {
        List<Coded> out = new ArrayList<>(count());
        for (Tensor t : tensors()) {
            out.add(new Coded.DenseF32(t.name(), t.shape(), t.data()));
        }
        return out;
    }
}
