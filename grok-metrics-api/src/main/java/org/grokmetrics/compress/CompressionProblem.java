package org.grokmetrics.compress;

import java.util.ArrayList;
import java.util.List;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;

/**
 * What one compression works on, fixed before the search starts: the snapshot, its values in double and
 * max |&theta;| per tensor, its {@link RankChain}, the options and their {@link Encoding}. Builds the
 * stored form of any {@link Config}. Immutable.
 *
 * @param options  the compressor's options
 * @param encoding the encoding of {@code options.mode()}
 * @param original the original weights
 * @param values   each tensor's values in double
 * @param absMax   each tensor's max |&theta;| (0 for an all-zero tensor)
 * @param chain    the rank chain ({@link RankChain#none} without rank search)
 */
record CompressionProblem(CoarseGrainCompressor.Options options, Encoding encoding, ParameterSnapshot original,
                          double[][] values, double[] absMax, RankChain chain) {

    /** Values and max |&theta;| of {@code p}; the chain is added by {@link #withChain}. */
    static CompressionProblem of(CoarseGrainCompressor.Options options, ParameterSnapshot p) {
        List<Tensor> tensors = p.tensors();
        int count = tensors.size();
        double[][] values = new double[count][];
        double[] absMax = new double[count];
        for (int t = 0; t < count; t++) {
            values[t] = tensors.get(t).toDoubleArray();
            absMax[t] = QuantizationLadder.maxAbs(values[t]);
        }
        return new CompressionProblem(options, Encoding.of(options), p, values, absMax, RankChain.none(count));
    }

    CompressionProblem withChain(RankChain c) {
        return new CompressionProblem(options, encoding, original, values, absMax, c);
    }

    List<Tensor> tensors() {
        return original.tensors();
    }

    int count() {
        return values.length;
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

    /** The stored form of every tensor under {@code c}. */
    List<Coded> build(Config c) {
        List<Coded> out = new ArrayList<>(count());
        for (int t = 0; t < count(); t++) {
            out.add(encoding.code(this, t, c));
        }
        return out;
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
