package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.SplittableRandom;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoder's size limits never reject a valid description (a large tensor that coarse-grains to
 * nothing takes a few bytes: the scale issue's GPT-2 case) and reject impossible claims before allocating.
 */
final class CoarseGrainFormatLimitsTest {

    @ParameterizedTest(name = "{0} zeros")
    @ValueSource(ints = {1_769_472, 4_000_000})
    void aLargeTensorThatCoarseGrainsToNothingDecodes(int size) {
        float[] small = new float[24];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < small.length; i++) {
            small[i] = (float) r.nextGaussian();
        }
        ParameterSnapshot p = ParameterSnapshot.of(List.of(Tensor.vector("h.0.attn.c_attn.weight", new float[size]),
                Tensor.matrix("w", 4, 6, small)));
        CoarseGraining g = CoarseGrainCompressor.of(0.1).compress(p, QuadraticLoss.around(p, 1, 10));
        assertTrue(g.encoded().length < 2_000, "the zeros take a few bytes: " + g.encoded().length);
        assertEquals(g.coarse(), CoarseGrainCompressor.decode(g.encoded()));
    }

    @Test
    void aRankNoTensorHasIsRejectedBeforeAllocating() throws Exception {
        byte[] stream = header(out -> CoarseGrainFormat.writeVarint(out, 1 << 30));
        var e = assertThrows(IllegalArgumentException.class, () -> CoarseGrainFormat.parse(stream));
        assertTrue(e.getMessage().contains("tensor 'w' claims rank 1073741824"), e.getMessage());
    }

    @Test
    void anElementCountNoArrayHoldsIsRejectedWithoutOverflow() throws Exception {
        // 2^31-1 cubed wraps a long if multiplied naively
        byte[] stream = header(out -> {
            CoarseGrainFormat.writeVarint(out, 3);
            for (int i = 0; i < 3; i++) {
                CoarseGrainFormat.writeVarint(out, Integer.MAX_VALUE);
            }
        });
        var e = assertThrows(IllegalArgumentException.class, () -> CoarseGrainFormat.parse(stream));
        assertTrue(e.getMessage().contains("claims more than " + CoarseGrainFormat.MAX_TENSOR_ELEMENTS), e.getMessage());
    }

    @Test
    void moreElementsThanTheHeapHoldsAreRejected() throws Exception {
        long perTensor = CoarseGrainFormat.MAX_TENSOR_ELEMENTS;
        int tensors = (int) (Runtime.getRuntime().maxMemory() / (perTensor * Float.BYTES)) + 2;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(CoarseGrainFormat.VERSION);
            CoarseGrainFormat.writeVarint(out, tensors);
            for (int t = 0; t < tensors; t++) {
                CoarseGrainFormat.writeVarint(out, 1);
                out.writeByte('z');
                CoarseGrainFormat.writeVarint(out, 1);
                CoarseGrainFormat.writeVarint(out, (int) perTensor);
                out.writeByte(0);   // kind 0: all zeros, no payload
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> CoarseGrainFormat.parse(bytes.toByteArray()));
        assertTrue(e.getMessage().contains("heap"), e.getMessage());
    }

    private interface Body {
        void write(DataOutputStream out) throws Exception;
    }

    /** Version, one tensor named "w", then the given shape bytes. */
    private static byte[] header(Body shape) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(CoarseGrainFormat.VERSION);
            CoarseGrainFormat.writeVarint(out, 1);
            CoarseGrainFormat.writeVarint(out, 1);
            out.writeByte('w');
            shape.write(out);
        }
        return bytes.toByteArray();
    }
}
