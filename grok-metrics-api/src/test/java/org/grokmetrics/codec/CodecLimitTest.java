package org.grokmetrics.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Codec#decompress(byte[], int)}: a stream that expands beyond the limit fails, one within it decodes;
 * and no codec accepts bytes appended to a valid stream.
 */
final class CodecLimitTest {

    static Stream<Codec> codecs() {
        return Stream.concat(Codecs.all().stream(), Stream.of(Codecs.best()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void aStreamBeyondTheLimitFailsAndOneWithinItDecodes(Codec codec) {
        byte[] zeros = new byte[1 << 20];   // a 1 MiB "bomb": compresses to a few hundred bytes
        byte[] compressed = codec.compress(zeros);
        var e = assertThrows(IllegalArgumentException.class, () -> codec.decompress(compressed, 4096));
        assertEquals("the " + (codec == Codecs.best() ? Codecs.taggedId(compressed) : codec.id())
                + " stream expands beyond 4096 bytes", e.getMessage());
        assertArrayEquals(zeros, codec.decompress(compressed, zeros.length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void bytesAppendedToAValidStreamAreRejected(Codec codec) {
        byte[] data = "coarse-grained coarse-grained coarse-grained".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] compressed = codec.compress(data);
        for (byte[] tail : new byte[][] {{0}, {1, 2, 3, 4, 5}, {'B', 'Z', 'h'}, {0x1f, (byte) 0x8b}}) {
            byte[] bad = java.util.Arrays.copyOf(compressed, compressed.length + tail.length);
            System.arraycopy(tail, 0, bad, compressed.length, tail.length);
            assertThrows(IllegalArgumentException.class, () -> codec.decompress(bad), codec + " + "
                    + java.util.Arrays.toString(tail));
            assertThrows(IllegalArgumentException.class, () -> codec.decompress(bad, 1 << 20));
        }
        assertArrayEquals(data, codec.decompress(compressed));
    }
}
