package org.grokmetrics.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.ComplexityEstimatorContract;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.junit.jupiter.api.Test;

class NaiveCompressionTest extends ComplexityEstimatorContract {

    @Override
    protected ComplexityEstimator estimator() {
        return NaiveCompressedSizeEstimator.of(Codecs.bzip2());
    }

    @Test
    void bytesAreLittleEndianFloat32() {
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000
        byte[] b = NaiveCompression.float32LittleEndian(Tensor.vector("v", new float[] {1f, -2f}));
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0}, b);
    }

    @Test
    void snapshotSizeIsTheSumOfPerTensorSizes() {
        var g = new org.grokmetrics.testing.Gen(new java.util.SplittableRandom(3));
        ParameterSnapshot p = ParameterSnapshot.of(List.of(
                Tensor.matrix("w", 30, 20, g.gaussianFloats(600, 1)), Tensor.vector("b", g.gaussianFloats(20, 1))));
        for (Codec c : Codecs.all()) {
            long sum = NaiveCompression.bitsPerTensor(p, c).values().stream().mapToLong(Long::longValue).sum();
            assertEquals(sum, NaiveCompression.bits(p, c));
            assertEquals(sum, NaiveCompressedSizeEstimator.of(c).estimate(p).value());
        }
    }

    /**
     * The naive size is counted as the tensor's bytes are streamed through the codec, in chunks of 2^18 values,
     * holding neither the bytes nor the output: it must equal the codec's size of the whole byte array, for
     * every codec and for tensors shorter and longer than one chunk.
     */
    @Test
    void streamedSizesEqualTheSizesOfTheWholeArray() {
        var g = new org.grokmetrics.testing.Gen(new java.util.SplittableRandom(5));
        float[] steps = new float[300_000];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = (float) Math.rint(4 * Math.sin(i * 1e-3));
        }
        for (Tensor t : List.of(Tensor.vector("tiny", g.gaussianFloats(3, 1)), Tensor.vector("noise", g.gaussianFloats(300_000, 1)),
                Tensor.matrix("steps", 600, 500, steps))) {
            for (Codec c : Codecs.all()) {
                assertEquals(c.compressedBits(NaiveCompression.float32LittleEndian(t)), NaiveCompression.bits(t, c),
                        c.id() + " of " + t.name());
            }
            Codec noZstd = new BestCodec(List.of(Codecs.gzip(), Codecs.bzip2(), Codecs.xz()));
            assertEquals(noZstd.compressedBits(NaiveCompression.float32LittleEndian(t)), NaiveCompression.bits(t, noZstd),
                    "best of gzip, bzip2 and xz, of " + t.name());
        }
    }

    @Test
    void randomFloatsBarelyCompressAndZerosDo() {
        var g = new org.grokmetrics.testing.Gen(new java.util.SplittableRandom(4));
        Tensor noise = Tensor.vector("n", g.gaussianFloats(10_000, 1));
        long raw = 32L * 10_000;
        long bits = NaiveCompression.bits(noise, Codecs.bzip2());
        assertTrue(bits > 0.8 * raw && bits < 1.05 * raw, "noise: " + bits + " of " + raw);
        long zeros = NaiveCompression.bits(Tensor.vector("z", new float[10_000]), Codecs.bzip2());
        assertTrue(zeros < 0.01 * raw, "zeros: " + zeros);
        ComplexityEstimate e = estimator().estimate(ParameterSnapshot.of(noise));
        assertEquals(raw, e.detail("raw_bits").orElseThrow());
        assertEquals("naive-bzip2", e.estimator());
    }
}
