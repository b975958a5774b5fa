package org.grokmetrics.compress;

import java.util.List;
import java.util.Objects;

import org.grokmetrics.api.ParameterSnapshot;

/**
 * The result of {@link CoarseGrainCompressor#compress}: a decodable description of coarse-grained
 * weights whose train loss is within &epsilon; of the original's.
 *
 * <p>Invariants (each property-tested): {@code CoarseGrainCompressor.decode(encoded())} equals
 * {@code coarse()} bit for bit; {@code coarseLoss()} is the loss oracle's value on {@code coarse()} and
 * satisfies the &epsilon; bound against {@code originalLoss()}; {@code bits() == 8 * encoded().length};
 * {@code lossEvaluations()} never exceeds the budget.
 *
 * @param encoded         the description (version and codec tag, compressed stream, CRC32C); 8 &times; its length is the bound
 * @param coarse          the decoded coarse-grained weights
 * @param originalLoss    train loss of the original weights (nats)
 * @param coarseLoss      train loss of {@code coarse} (nats)
 * @param lossEvaluations loss-oracle calls made, the original's included
 * @param naiveBits       the naive baseline: bzip2 of each raw float32 tensor, summed, in bits
 * @param mode            the search and encoding mode used
 * @param codec           id of the codec that compressed the stream
 * @param globalBits      the bits of the global search (before per-tensor refinement); 0 in paper modes
 * @param globalDelta     the global &Delta; (paper modes); NaN otherwise
 * @param tau             the rank threshold &tau; of the chosen configuration (1 = no low rank)
 * @param settings        per-tensor settings, in snapshot order
 * @param timings         where the compressor's own time went
 */
public record CoarseGraining(byte[] encoded, ParameterSnapshot coarse, double originalLoss, double coarseLoss,
                             int lossEvaluations, long naiveBits, CoarseGrainCompressor.Mode mode, String codec,
                             int globalBits, double globalDelta, double tau, List<TensorSetting> settings,
                             Timings timings) {

    /**
     * Checks the description and the weights, and copies the description and the settings.
     *
     * @param encoded         the description (not null; copied)
     * @param coarse          the decoded coarse-grained weights (not null)
     * @param originalLoss    train loss of the original weights (nats)
     * @param coarseLoss      train loss of {@code coarse} (nats)
     * @param lossEvaluations loss-oracle calls made, the original's included
     * @param naiveBits       the naive baseline, in bits
     * @param mode            the search and encoding mode used
     * @param codec           id of the codec that compressed the stream
     * @param globalBits      the bits of the global search; 0 in paper modes
     * @param globalDelta     the global &Delta; (paper modes); NaN otherwise
     * @param tau             the rank threshold &tau; of the chosen configuration (1 = no low rank)
     * @param settings        per-tensor settings, in snapshot order (not null; copied)
     * @param timings         where the compressor's own time went
     */
    public CoarseGraining {
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(coarse, "coarse");
        encoded = encoded.clone();
        settings = List.copyOf(settings);
    }

    /**
     * Own cost of one compression, in nanoseconds, excluding loss evaluations.
     *
     * @param svdNanos        singular value decompositions (once per call)
     * @param quantizeNanos   building candidates: truncation, quantization, reconstruction
     * @param encodeNanos     serialising candidates and the size proxy used during the search
     * @param compressNanos   the final compression with the chosen codec, the decode check and the naive baseline
     * @param lossNanos       time inside the loss oracle (not part of the own cost)
     */
    public record Timings(long svdNanos, long quantizeNanos, long encodeNanos, long compressNanos, long lossNanos) {
        /**
         * Everything but the loss oracle.
         *
         * @return the sum of the SVD, quantization, encoding and compression times, in nanoseconds
         */
        public long ownNanos() {
            return svdNanos + quantizeNanos + encodeNanos + compressNanos;
        }
    }

    /**
     * The bound: 8 &times; the encoded length, in bits.
     *
     * @return the description length in bits, a multiple of 8
     */
    public long bits() {
        return 8L * encoded.length;
    }

    /**
     * A copy of the description.
     *
     * @return a new array holding the description's bytes
     */
    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    /**
     * naiveBits / bits: how much coarse-graining gained over the naive baseline.
     *
     * @return the ratio, &gt; 0; above 1 when coarse-graining beat the baseline
     */
    public double compressionGain() {
        return (double) naiveBits / bits();
    }

    /**
     * Total description length (DeMoss et al. eq. 1): H(D|&theta;&#770;) + C(&theta;&#770;) in bits,
     * with H(D|&theta;&#770;) = n &middot; coarseLoss / ln 2 for n training examples.
     *
     * @param trainingExamples n, the number of training examples the loss averages over, &gt; 0
     * @return the total description length, in bits
     * @throws IllegalArgumentException if n &le; 0
     */
    public double totalDescriptionLengthBits(long trainingExamples) {
        if (trainingExamples <= 0) {
            throw new IllegalArgumentException("trainingExamples must be > 0, was " + trainingExamples);
        }
        return trainingExamples * coarseLoss / Math.log(2) + bits();
    }

    /**
     * The generalisation bound of DeMoss et al. eq. 4 (after Lotfi et al. 2024), with probability
     * 1 &minus; &delta;: R(h) &le; R&#770;(h) + &radic;((K + 2 log K + log(1/&delta;)) / (2n)), K = bits()
     * (logs natural, as in the paper's derivation).
     *
     * @param empiricalRisk    R&#770;(h), e.g. the train error rate in [0, 1]
     * @param trainingExamples n, the number of training examples, &gt; 0
     * @param delta            &delta;, in (0, 1)
     * @return the bound on the expected risk R(h), in the units of {@code empiricalRisk}
     * @throws IllegalArgumentException if n &le; 0 or &delta; is not in (0, 1)
     */
    public double generalizationBound(double empiricalRisk, long trainingExamples, double delta) {
        return generalizationBound(bits(), empiricalRisk, trainingExamples, delta);
    }

    /**
     * The same bound for a description of {@code bits} bits (e.g. a recorded estimate's value).
     *
     * @param bits             K, the description length in bits, &ge; 1
     * @param empiricalRisk    R&#770;(h), e.g. the train error rate in [0, 1]
     * @param trainingExamples n, the number of training examples, &gt; 0
     * @param delta            &delta;, in (0, 1)
     * @return the bound on the expected risk R(h), in the units of {@code empiricalRisk}
     * @throws IllegalArgumentException if n &le; 0, &delta; is not in (0, 1) or bits &lt; 1
     */
    public static double generalizationBound(double bits, double empiricalRisk, long trainingExamples, double delta) {
        if (trainingExamples <= 0 || !(delta > 0 && delta < 1) || !(bits >= 1)) {
            throw new IllegalArgumentException("need n > 0, 0 < delta < 1 and bits >= 1, got n=" + trainingExamples
                    + ", delta=" + delta + ", bits=" + bits);
        }
        return empiricalRisk + Math.sqrt((bits + 2 * Math.log(bits) + Math.log(1 / delta)) / (2.0 * trainingExamples));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoarseGraining c && java.util.Arrays.equals(encoded, c.encoded) && coarse.equals(c.coarse)
                && Double.compare(originalLoss, c.originalLoss) == 0 && Double.compare(coarseLoss, c.coarseLoss) == 0
                && lossEvaluations == c.lossEvaluations && settings.equals(c.settings);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(encoded) * 31 + coarse.hashCode();
    }

    @Override
    public String toString() {
        return "CoarseGraining[" + bits() + " bits, naive " + naiveBits + ", loss " + originalLoss + " -> " + coarseLoss
                + ", " + lossEvaluations + " evaluations, " + mode + "]";
    }
}
