package org.grokmetrics.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Codec#decompress(byte[], int)}: a stream that expands beyond the limit fails, one within it decodes. */
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
}
