package org.grokmetrics.compress;

import org.grokmetrics.api.Tensor;
import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;

/**
 * How a mode quantizes and stores tensors, and which search steps it takes: one implementation per
 * {@link CoarseGrainCompressor.Mode}. Quantization levels run from finest (0) to coarsest
 * ({@link #levelCount()} &minus; 1).
 */
sealed interface Encoding permits Encoding.PerTensorCodes, Encoding.Float32 {

    /** Size estimate of float32 payloads: zstd level 3. */
    Codec PROXY = Codecs.zstd(3);

    static Encoding of(CoarseGrainCompressor.Options o) {
        return switch (o.mode()) {
            case DEFAULT -> new PerTensorCodes(o.minBits(), o.maxBits(), o.refine());
            case PAPER -> new Paper();
            case QUANTIZATION_ONLY -> new QuantizationOnly();
        };
    }

    /** Number of quantization levels. */
    int levelCount();

    /** Every one of {@code count} tensors dense at level q. */
    Config level(int q, int count);

    /** The fine level at which the rank search starts, of {@code levels}. */
    int fineLevel(int levels);

    /** Whether the rank chain is searched (given the options' rank search). */
    boolean searchesRank();

    /** Whether the per-tensor refinement runs. */
    boolean refines();

    /** Tensor t of {@code problem} under {@code c}. */
    Coded code(CompressionProblem problem, int t, Config c);

    /**
     * Whether the size estimate is the stream's length, summed tensor by tensor
     * ({@link CompressionProblem#streamOverhead()} plus each tensor's {@link Coded#payloadSearchLength}),
     * instead of {@link #sizeEstimate} of the serialised stream.
     */
    boolean sizeIsStreamLength();

    /**
     * Description size estimate of a serialised stream, used to rank candidates: close to the final
     * size, far cheaper to compute.
     */
    long sizeEstimate(byte[] stream);

    /**
     * Default mode: per-tensor ladder levels between {@code minBits} and {@code maxBits}, integer codes
     * (arithmetic-coded, so the stream length is the size estimate, long code arrays estimated from their
     * histograms), rank search and refinement.
     */
    record PerTensorCodes(int minBits, int maxBits, boolean refine) implements Encoding {
        @Override
        public int levelCount() {
            return QuantizationLadder.ladderIndexOfBits(maxBits) - QuantizationLadder.ladderIndexOfBits(minBits) + 1;
        }

        @Override
        public Config level(int q, int count) {
            return Config.uniform(count, QuantizationLadder.ladderIndexOfBits(maxBits) - q);
        }

        @Override
        public int fineLevel(int levels) {
            // 8 bits, or the finest level if maxBits < 8
            return Math.max(0, Math.min(levels - 1,
                    QuantizationLadder.ladderIndexOfBits(maxBits) - QuantizationLadder.ladderIndexOfBits(8)));
        }

        @Override
        public boolean searchesRank() {
            return true;
        }

        @Override
        public boolean refines() {
            return refine;
        }

        @Override
        public Coded code(CompressionProblem problem, int t, Config c) {
            Tensor x = problem.tensors().get(t);
            double r = problem.absMax()[t];
            if (r == 0) {
                return new Coded.Zero(x.name(), x.shape());
            }
            int levels = QuantizationLadder.LADDER[c.bits()[t]];
            int b = QuantizationLadder.bitsFor(levels);
            int k = c.rank()[t];
            if (k < 1) {
                double delta = r / levels;
                return new Coded.DenseCodes(x.name(), x.shape(), b, delta,
                        QuantizationLadder.codes(problem.values(t), delta, levels));
            }
            RankChain.Factor[] f = problem.chain().factors(t, k);
            double da = QuantizationLadder.maxAbs(f[0]) / levels;
            double db = QuantizationLadder.maxAbs(f[1]) / levels;
            if (da == 0 || db == 0) {
                return new Coded.Zero(x.name(), x.shape());
            }
            return new Coded.LowRankCodes(x.name(), x.shape(), k, b, da, QuantizationLadder.codes(f[0], da, levels), b,
                    db, QuantizationLadder.codes(f[1], db, levels), true);
        }

        @Override
        public long sizeEstimate(byte[] stream) {
            return stream.length;
        }

        @Override
        public boolean sizeIsStreamLength() {
            return true;
        }
    }

    /**
     * The paper's float32 encodings: one global &Delta; on the log grid for every tensor (global &tau; where
     * ranks are searched), float32 payload of rint(&theta;/&Delta;)&middot;&Delta;, zstd level 3 as size estimate.
     */
    sealed interface Float32 extends Encoding permits Paper, QuantizationOnly {
        @Override
        default int levelCount() {
            return QuantizationLadder.PAPER_DELTA_LEVELS;
        }

        @Override
        default Config level(int q, int count) {
            return Config.globalDelta(count, QuantizationLadder.paperDelta(q));
        }

        @Override
        default int fineLevel(int levels) {
            return 0;
        }

        @Override
        default boolean refines() {
            return false;
        }

        @Override
        default Coded code(CompressionProblem problem, int t, Config c) {
            Tensor x = problem.tensors().get(t);
            double delta = c.delta();
            int k = c.rank()[t];
            if (k < 1) {
                float[] v = QuantizationLadder.quantizeFloats(problem.values(t), delta);
                return QuantizationLadder.allZero(v) ? new Coded.Zero(x.name(), x.shape())
                        : new Coded.DenseF32(x.name(), x.shape(), v);
            }
            RankChain.Factor[] f = problem.chain().factors(t, k);
            float[] a = QuantizationLadder.quantizeFloats(f[0], delta);
            float[] b = QuantizationLadder.quantizeFloats(f[1], delta);
            return QuantizationLadder.allZero(a) || QuantizationLadder.allZero(b) ? new Coded.Zero(x.name(), x.shape())
                    : new Coded.LowRankF32(x.name(), x.shape(), k, a, b);
        }

        @Override
        default long sizeEstimate(byte[] stream) {
            return PROXY.compress(stream).length;
        }

        @Override
        default boolean sizeIsStreamLength() {
            return false;
        }
    }

    /** {@link CoarseGrainCompressor.Mode#PAPER}: the paper's encoding, global &Delta; and &tau; searched. */
    record Paper() implements Float32 {
        @Override
        public boolean searchesRank() {
            return true;
        }
    }

    /** {@link CoarseGrainCompressor.Mode#QUANTIZATION_ONLY}: the paper's Algorithm 2, global &Delta; alone. */
    record QuantizationOnly() implements Float32 {
        @Override
        public boolean searchesRank() {
            return false;
        }
    }
}
