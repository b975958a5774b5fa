package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.grokmetrics.codec.Codecs;
import org.junit.jupiter.api.Test;

/** The presets keep their values; the builder and the withers agree with the canonical constructor. */
class CoarseGrainOptionsTest {

    @Test
    void presetsHoldTheirDocumentedValues() {
        assertEquals(new CoarseGrainCompressor.Options(1.0, CoarseGrainCompressor.Mode.DEFAULT, 2, 16, true, Codecs.best(),
                24, false, true), CoarseGrainCompressor.Options.defaults(1.0));
        assertEquals(new CoarseGrainCompressor.Options(1.0, CoarseGrainCompressor.Mode.PAPER, 2, 16, true, Codecs.bzip2(),
                62, false, false), CoarseGrainCompressor.Options.paper(1.0));
        assertEquals(new CoarseGrainCompressor.Options(0.5, CoarseGrainCompressor.Mode.QUANTIZATION_ONLY, 2, 16, false,
                Codecs.bzip2(), 24, false, false), CoarseGrainCompressor.Options.quantizationOnly(0.5));
    }

    @Test
    void builderWithersAndToBuilderAgree() {
        var o = CoarseGrainCompressor.Options.builder().paper().epsilon(0.1).bits(3, 9).lossBudget(40).oneSided(true)
                .codec(Codecs.zstd()).build();
        assertEquals(new CoarseGrainCompressor.Options(0.1, CoarseGrainCompressor.Mode.PAPER, 3, 9, true, Codecs.zstd(), 40,
                true, false), o);
        assertEquals(o, o.toBuilder().build());
        assertEquals(o, CoarseGrainCompressor.Options.paper(0.1).withBits(3, 9).withLossBudget(40).withOneSided(true)
                .withCodec(Codecs.zstd()));
        assertEquals(false, o.withRankSearch(false).rankSearch());
        assertEquals(true, o.withRefine(true).refine());
    }

    @Test
    void buildValidatesAndNeedsAnEpsilon() {
        assertThrows(IllegalArgumentException.class, () -> CoarseGrainCompressor.Options.builder().build());
        assertThrows(IllegalArgumentException.class, () -> CoarseGrainCompressor.Options.builder().epsilon(Double.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> CoarseGrainCompressor.Options.builder().epsilon(1).bits(1, 8).build());
        assertThrows(IllegalArgumentException.class, () -> CoarseGrainCompressor.Options.builder().epsilon(1).lossBudget(1).build());
        assertThrows(NullPointerException.class, () -> CoarseGrainCompressor.Options.builder().epsilon(1).codec(null).build());
    }
}
