package org.grokmetrics.compress;

import static org.grokmetrics.compress.Descriptions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Descriptions check themselves (docs/coarse-grain-format.md, versions 2 and 3): every single-bit flip and every
 * truncation of a real description, under every codec, is rejected with a one-line message; a description
 * whose check is right but whose stream is invalid (a hostile writer) is rejected before anything is
 * allocated; the check's bytes are in the reported bits.
 */
final class CoarseGrainIntegrityTest {

    private static final java.util.concurrent.atomic.AtomicLong FLIPS = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong TRUNCATIONS = new java.util.concurrent.atomic.AtomicLong();

    static List<Descriptions.Case> descriptions() {
        return Descriptions.all();
    }

    @org.junit.jupiter.api.AfterAll
    static void summary() {
        System.out.println("integrity: " + FLIPS + " single-bit flips and " + TRUNCATIONS + " truncations rejected");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptions")
    void everySingleBitFlipIsRejected(Descriptions.Case c) {
        assertEquals(c.weights(), CoarseGrainCompressor.decode(c.encoded()), "the original decodes");
        for (int bit = 0; bit < 8 * c.encoded().length; bit++) {
            byte[] bad = c.encoded().clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertRejected(bad, c + ", bit " + bit + " flipped");
            FLIPS.incrementAndGet();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptions")
    void everyTruncationIsRejected(Descriptions.Case c) {
        for (int len = 0; len < c.encoded().length; len++) {
            assertRejected(Arrays.copyOf(c.encoded(), len), c + " truncated to " + len + " bytes");
            TRUNCATIONS.incrementAndGet();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptions")
    void theCheckIsACrc32cOfEverythingBeforeItAndCountedInTheBits(Descriptions.Case c) {
        byte[] d = c.encoded();
        CRC32C crc = new CRC32C();   // independent of CoarseGrainFormat's own computation
        crc.update(d, 0, d.length - 4);
        assertEquals(crc.getValue(), ByteBuffer.wrap(d, d.length - 4, 4).getInt() & 0xFFFFFFFFL);
        assertEquals(CoarseGrainFormat.VERSION, (d[0] & 0xFF) >>> 4, "the format version in the envelope's high nibble");
    }

    @Test
    void theReportedBitsIncludeTheCheck() {
        ParameterSnapshot p = CoarseGrainGoldenTest.snapshot();
        CoarseGraining g = CoarseGrainCompressor.of(0.05).compress(p, CoarseGrainGoldenTest.loss(p));
        byte[] d = g.encoded();
        assertEquals(8L * d.length, g.bits());
        Codec codec = Codecs.byId(g.codec());
        byte[] body = Arrays.copyOfRange(d, 1, d.length - 4);
        byte[] stream = codec.decompress(body);
        // envelope byte + the codec's output + the 4-byte check: all of it in the bound
        assertEquals(1 + codec.compress(stream).length + 4, d.length);
    }

    // ---- hostile streams: a right check over an invalid stream ----

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** A version-2 description of a hand-written stream (after the version byte), with a right check. */
    private static byte[] described(Codec codec, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(CoarseGrainFormat.VERSION);
            body.write(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return CoarseGrainFormat.compress(bytes.toByteArray(), codec);
    }

    /** One tensor named "w" of the given shape, then the given kind and payload. */
    private static Body tensor(int[] shape, Body payload) {
        return out -> {
            CoarseGrainFormat.writeVarint(out, 1);
            CoarseGrainFormat.writeVarint(out, 1);
            out.writeByte('w');
            CoarseGrainFormat.writeVarint(out, shape.length);
            for (int d : shape) {
                CoarseGrainFormat.writeVarint(out, d);
            }
            payload.write(out);
        };
    }

    private static String rejected(Body body, String expected) {
        for (Codec codec : Codecs.all()) {
            String m = assertRejected(described(codec, body), expected + " under " + codec.id()).getMessage();
            assertTrue(m.contains(expected), codec.id() + ": " + m);
        }
        return expected;
    }

    @Test
    void aValidHandWrittenStreamDecodes() {
        // the positive control of the hostile cases below: the same writer, valid values
        for (Codec codec : Codecs.all()) {
            ParameterSnapshot w = CoarseGrainCompressor.decode(described(codec, tensor(new int[] {2, 2}, out -> {
                out.writeByte(3);
                CoarseGrainFormat.writeFloats(out, new float[] {1, -2, 3.5f, 0});
            })));
            assertEquals(ParameterSnapshot.of(Tensor.matrix("w", 2, 2, new float[] {1, -2, 3.5f, 0})), w);
        }
    }

    @Test
    void nonFiniteFloat32ValuesAreRejected() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            rejected(tensor(new int[] {2}, out -> {
                out.writeByte(3);
                CoarseGrainFormat.writeFloats(out, new float[] {1, bad});
            }), "decodes to the non-finite value " + bad + " at index 1");
        }
    }

    @Test
    void aLowRankProductThatOverflowsFloatIsRejected() {
        // finite float32 factors whose product is beyond Float.MAX_VALUE
        rejected(tensor(new int[] {2, 2}, out -> {
            out.writeByte(4);
            CoarseGrainFormat.writeVarint(out, 1);
            CoarseGrainFormat.writeFloats(out, new float[] {3e38f, 1});
            CoarseGrainFormat.writeFloats(out, new float[] {1e10f, 1});
        }), "decodes to the non-finite value Infinity at index 0");
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, 0.0, -1.0})
    void aStepThatIsNotFinitePositiveIsRejected(double delta) {
        rejected(tensor(new int[] {2}, out -> {
            out.writeByte(1);
            out.writeByte(2);
            out.writeDouble(delta);
            CoarseGrainFormat.writeCodes(out, new int[] {1, -1}, 2);
        }), "(a step must be finite and positive)");
    }

    @Test
    void aHugeStepWhoseCodesOverflowFloatIsRejected() {
        rejected(tensor(new int[] {2}, out -> {
            out.writeByte(1);
            out.writeByte(2);
            out.writeDouble(1e300);
            CoarseGrainFormat.writeCodes(out, new int[] {1, 0}, 2);
        }), "non-finite value Infinity");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, Integer.MAX_VALUE})
    void aFactorRankOutsideOneToMinMnIsRejected(int k) {
        // rank 2^31-1 makes m*k overflow an int if multiplied before the check
        rejected(tensor(new int[] {2, 3}, out -> {
            out.writeByte(4);
            CoarseGrainFormat.writeVarint(out, k);
        }), "claims factors of rank " + k);
    }

    @Test
    void sixteenBitCodesBeyondTheirBitsAreRejected() {
        rejected(tensor(new int[] {1}, out -> {
            out.writeByte(1);
            out.writeByte(9);
            out.writeDouble(0.1);
            CoarseGrainFormat.writeCodes(out, new int[] {300}, 16);   // 300 needs 10 bits
        }), "has code 300, more than 9 bits hold");
    }

    @Test
    void payloadsLongerThanTheStreamAreRejectedBeforeAllocating() {
        // up to 2^28 float32 values claimed (as many as this heap decodes), a few bytes present: must fail on the
        // stream's length, not allocate
        int big = (int) Math.min(1 << 28, Runtime.getRuntime().maxMemory() / 16);
        rejected(tensor(new int[] {big}, out -> out.writeByte(3)), "float32 values of tensor 'w'");
        rejected(tensor(new int[] {big}, out -> {
            out.writeByte(1);
            out.writeByte(16);
            out.writeDouble(0.5);
        }), "16-bit codes of tensor 'w' need");
        rejected(out -> CoarseGrainFormat.writeVarint(out, Integer.MAX_VALUE), "2147483647 tensors need");
        rejected(out -> {
            CoarseGrainFormat.writeVarint(out, 1);
            CoarseGrainFormat.writeVarint(out, Integer.MAX_VALUE);
        }, "the name of tensor 0 need");
        rejected(tensor(new int[] {4}, out -> {
            out.writeByte(1);
            out.writeByte(2);
            out.writeDouble(0.5);
            CoarseGrainFormat.writeVarint(out, 1);
            CoarseGrainFormat.writeVarint(out, Integer.MAX_VALUE);
        }), "the codes of tensor 'w' need");
    }

    @Test
    void malformedFieldsAreRejected() {
        rejected(out -> {
            CoarseGrainFormat.writeVarint(out, 2);
            for (int i = 0; i < 2; i++) {
                CoarseGrainFormat.writeVarint(out, 1);
                out.writeByte('w');
                CoarseGrainFormat.writeVarint(out, 0);
                out.writeByte(0);
            }
        }, "tensor name 'w' occurs twice");
        rejected(out -> {
            CoarseGrainFormat.writeVarint(out, 1);
            CoarseGrainFormat.writeVarint(out, 3);
            out.write(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});   // a UTF-8-encoded lone surrogate
            CoarseGrainFormat.writeVarint(out, 0);
            out.writeByte(0);
        }, "the name of tensor 0 is not valid UTF-8");
        rejected(out -> out.write(new byte[] {(byte) 0x81, 0x00}), "bad varint for tensor count");   // overlong
        rejected(tensor(new int[] {1}, out -> out.writeByte(9)), "unknown kind 9");
        rejected(tensor(new int[] {1}, out -> {
            out.writeByte(0);
            out.writeByte(0);
        }), "1 trailing bytes after 1 tensors");
        rejected(tensor(new int[] {3}, out -> {
            out.writeByte(1);
            out.writeByte(17);
            out.writeDouble(0.5);
        }), "17-bit codes");
        rejected(tensor(new int[] {3}, out -> {
            out.writeByte(1);
            out.writeByte(3);
            out.writeDouble(0.5);
            CoarseGrainFormat.writeVarint(out, 4);
        }), "code bound 4, more than 3 bits hold");
    }

    @Test
    void aStreamOfAnotherVersionInsideTheEnvelopeIsRejected() {
        for (int v : new int[] {1, 2}) {
            byte[] stream = {(byte) v, 0};
            String m = assertRejected(CoarseGrainFormat.compress(stream, Codecs.gzip()), "v" + v + " in v3").getMessage();
            assertTrue(m.contains("format version " + v + " inside a version-3 envelope"), m);
        }
    }

    @Test
    void versionOneDescriptionsAreValidatedTheSameWay() {
        // version 1: the codec tag alone in the envelope byte, no check, a stream whose version byte is 1
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            tensor(new int[] {Integer.MAX_VALUE - 8}, o -> o.writeByte(3)).write(out);   // 8 GB of float32 claimed
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        for (Codec codec : Codecs.all()) {
            byte[] v1 = Codecs.tagged(codec, bytes.toByteArray());
            assertEquals(0, v1[0] & 0xF0);
            String m = assertRejected(v1, "v1 under " + codec.id()).getMessage();
            assertTrue(m.contains("tensor 'w'"), m);
        }
    }

    @Test
    void unknownEnvelopeVersionsAndTagsAreRejected() {
        assertTrue(assertRejected(new byte[] {0x43, 0, 0, 0, 0, 0}, "v4").getMessage().contains("format version 4"));
        assertTrue(assertRejected(new byte[] {(byte) 0xF3, 0, 0, 0, 0, 0}, "v15").getMessage().contains("format version 15"));
        assertTrue(assertRejected(new byte[] {0x25, 0, 0, 0, 0, 0}, "tag 5").getMessage().contains("codec tag 5"));
        assertTrue(assertRejected(new byte[0], "empty").getMessage().contains("empty"));
    }

    @Test
    void aZstdHeaderClaimingMoreThanItsBlocksHoldIsRejectedBeforeAllocating() {
        // a frame header with a 1 GiB content size and no blocks behind it, under a right check
        byte[] frame = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, (byte) 0xA0, 0, 0, 0, 0x40};
        byte[] tagged = new byte[frame.length + 1];
        tagged[0] = 3;
        System.arraycopy(frame, 0, tagged, 1, frame.length);
        byte[] d = Arrays.copyOf(tagged, tagged.length + 4);
        d[0] = (byte) (CoarseGrainFormat.VERSION << 4 | 3);
        ByteBuffer.wrap(d, tagged.length, 4).putInt((int) CoarseGrainFormat.crc32c(d, tagged.length));
        String m = assertRejected(d, "zstd bomb").getMessage();
        assertTrue(m.contains("claims 1073741824 bytes"), m);
    }

    @Test
    void aNameWithALoneSurrogateIsRejectedWhereTheTensorIsBuilt() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.vector("bad\ud800name", new float[1]));
        assertEquals("tensor name 'bad\\uD800name' is not well-formed UTF-16: a lone high surrogate U+D800 at index 3",
                e.getMessage());
        var low = assertThrows(IllegalArgumentException.class, () -> Tensor.vector("\udc00", new float[1]));
        assertTrue(low.getMessage().contains("lone low surrogate U+DC00 at index 0"), low.getMessage());
        // a well-formed pair is a valid name, and survives the compressor's own decode check
        ParameterSnapshot p = ParameterSnapshot.of(Tensor.vector("emoji\ud83d\ude00", new float[] {1, 2, 3}));
        CoarseGraining g = CoarseGrainCompressor.of(0.1).compress(p, QuadraticLoss.around(p, 1, 10));
        assertEquals(g.coarse(), CoarseGrainCompressor.decode(g.encoded()));
    }
}
