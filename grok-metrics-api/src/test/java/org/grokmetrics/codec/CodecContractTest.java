package org.grokmetrics.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.grokmetrics.testing.Seed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The codec contract on every shipped codec: round trips on random, compressible and edge inputs. */
class CodecContractTest {

    static List<Codec> codecs() {
        List<Codec> all = new ArrayList<>(Codecs.all());
        all.add(Codecs.best());
        all.add(Codecs.zstd(3));
        return all;
    }

    static Stream<Arguments> codecsAndSeeds() {
        var r = new java.util.SplittableRandom(0xC0DEC);
        return codecs().stream().flatMap(c -> Stream.generate(() -> Arguments.of(c, new Seed(r.nextLong()))).limit(25));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("codecsAndSeeds")
    void roundTripsArbitraryBytes(Codec codec, Seed seed) {
        var g = seed.gen();
        int len = g.random().nextInt(0, 1 << g.intIn(0, 16));
        byte[] data = new byte[len];
        int alphabet = g.intIn(1, 256);
        for (int i = 0; i < len; i++) {
            data[i] = (byte) g.random().nextInt(alphabet);
        }
        byte[] c = codec.compress(data);
        assertArrayEquals(data, codec.decompress(c));
        assertEquals(8L * c.length, codec.compressedBits(data));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void compressesRedundancyAndRoundTripsEmpty(Codec codec) {
        byte[] zeros = new byte[100_000];
        byte[] c = codec.compress(zeros);
        assertTrue(c.length < 1000, codec + " gave " + c.length + " bytes for 100 kB of zeros");
        assertArrayEquals(zeros, codec.decompress(c));
        assertArrayEquals(new byte[0], codec.decompress(codec.compress(new byte[0])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void corruptInputIsAClearError(Codec codec) {
        byte[] c = codec.compress("the quick brown fox jumps over the lazy dog".repeat(50).getBytes());
        byte[] truncated = java.util.Arrays.copyOf(c, c.length / 2);
        var e = assertThrows(IllegalArgumentException.class, () -> codec.decompress(truncated));
        assertTrue(e.getMessage().contains("valid") || e.getMessage().contains("truncated")
                || e.getMessage().contains("codec"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void byIdFindsEachCodec(Codec codec) {
        assertEquals(codec.id(), Codecs.byId(codec.id()).id());
    }
}
