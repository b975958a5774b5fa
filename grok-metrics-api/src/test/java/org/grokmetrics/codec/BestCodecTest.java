package org.grokmetrics.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;

class BestCodecTest {

    @PropertyTest(cases = 30)
    void isOneByteMoreThanTheSmallestSingleCodec(Seed seed) {
        var g = seed.gen();
        byte[] data = new byte[g.intIn(0, 5000)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (g.random().nextInt(g.intIn(1, 40)) + (i % 7 == 0 ? 3 : 0));
        }
        int min = Integer.MAX_VALUE;
        for (Codec c : Codecs.all()) {
            min = Math.min(min, c.compress(data).length);
        }
        assertEquals(min + 1, Codecs.best().compress(data).length);
    }

    @Test
    void unknownTagAndUnknownIdAreClear() {
        var e = assertThrows(IllegalArgumentException.class, () -> Codecs.best().decompress(new byte[] {9, 1, 2}));
        assertTrue(e.getMessage().contains("tag 9"), e.getMessage());
        var id = assertThrows(IllegalArgumentException.class, () -> Codecs.byId("lz4"));
        assertTrue(id.getMessage().contains("lz4") && id.getMessage().contains("zstd"), id.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codecs.zstd(99));
    }

    @Test
    void taggedStreamsNameTheirCodecAndDecodeThroughBest() {
        byte[] data = "tagged tagged tagged stream".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String[] ids = {"gzip", "xz", "zstd", "bzip2"};
        for (int i = 0; i < ids.length; i++) {
            byte[] t = Codecs.tagged(Codecs.byId(ids[i]), data);
            assertEquals(i + 1, t[0]);
            assertEquals(ids[i], Codecs.taggedId(t));
            assertEquals(java.util.Arrays.toString(data), java.util.Arrays.toString(Codecs.best().decompress(t)));
        }
        byte[] level3 = Codecs.tagged(Codecs.zstd(3), data);
        assertEquals(3, level3[0], "any zstd level has the zstd tag");
        assertEquals(java.util.Arrays.toString(Codecs.best().compress(data)),
                java.util.Arrays.toString(Codecs.tagged(Codecs.best(), data)));
        Codec other = new Codec() {
            @Override
            public String id() {
                return "lz4";
            }

            @Override
            public byte[] compress(byte[] d) {
                return d;
            }

            @Override
            public byte[] decompress(byte[] d) {
                return d;
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> Codecs.tagged(other, data));
        assertTrue(e.getMessage().contains("lz4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codecs.taggedId(new byte[0]));
    }
}
