package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;

/**
 * A fixed set of real descriptions for the integrity and fuzz tests: every kind of the format (zero, dense
 * and low-rank codes, dense and low-rank float32, the lossless fallback) under every codec.
 */
final class Descriptions {

    /** One description and the weights it decodes to. */
    record Case(String label, byte[] encoded, ParameterSnapshot weights) {
        @Override
        public String toString() {
            return label + " (" + encoded.length + " bytes)";
        }
    }

    private Descriptions() {
    }

    /** Default (codes), paper (float32 low rank) and lossless-fallback descriptions, under each single codec. */
    static List<Case> all() {
        ParameterSnapshot golden = CoarseGrainGoldenTest.snapshot();
        ParameterSnapshot noise = noise();
        List<Case> out = new ArrayList<>();
        for (Codec codec : Codecs.all()) {
            out.add(compress("default/" + codec.id(), golden, CoarseGrainCompressor.Options.defaults(0.05), codec));
            out.add(compress("paper/" + codec.id(), golden, CoarseGrainCompressor.Options.paper(0.05), codec));
            out.add(compress("lossless/" + codec.id(), noise, CoarseGrainCompressor.Options.defaults(1e-9), codec));
        }
        return out;
    }

    private static Case compress(String label, ParameterSnapshot p, CoarseGrainCompressor.Options o, Codec codec) {
        CoarseGraining g = CoarseGrainCompressor.of(o.withCodec(codec)).compress(p, CoarseGrainGoldenTest.loss(p));
        return new Case(label, g.encoded(), g.coarse());
    }

    /** Gaussian noise with a wide range of magnitudes: nothing coarse-grains within a tiny epsilon. */
    private static ParameterSnapshot noise() {
        SplittableRandom r = new SplittableRandom(7);
        float[] w = new float[5 * 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-30, 30)));
        }
        float[] b = {Float.MIN_VALUE, -Float.MAX_VALUE, 1e-40f, 3f};
        return ParameterSnapshot.of(List.of(Tensor.matrix("w\u00e9\u4e2d\ud83d\ude00", 5, 4, w), Tensor.vector("b", b)));
    }

    /** Asserts a clear, one-line rejection of a bad description. */
    static IllegalArgumentException assertRejected(byte[] bad, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoarseGrainCompressor.decode(bad), what);
        assertOneLine(e, what);
        return e;
    }

    static void assertOneLine(IllegalArgumentException e, String what) {
        String m = e.getMessage();
        assertTrue(m.startsWith("corrupt coarse-grain description: "), what + ": " + m);
        assertFalse(m.chars().anyMatch(Character::isISOControl), what + ": control characters in " + m);
        assertTrue(m.length() < 400, what + ": " + m.length() + " characters");
    }

    /** The snapshot's values are all finite and its sizes add up. */
    static void assertSane(ParameterSnapshot p, String what) {
        long n = 0;
        for (Tensor t : p.tensors()) {
            assertEquals(-1, t.firstNonFinite(), what + ": tensor " + t.name());
            n += t.size();
        }
        assertEquals(n, p.size(), what);
    }
}
