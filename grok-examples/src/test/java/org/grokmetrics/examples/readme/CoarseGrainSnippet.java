package org.grokmetrics.examples.readme;

import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.compress.CoarseGraining;

/** README.md, "Use it as a library": ReadmeSnippetsTest keeps this file and the README block equal. */
final class CoarseGrainSnippet {

    static double bits(ParameterSnapshot p, LossOracle trainLoss) {   // trainLoss: nats, at any weights
        CoarseGraining g = CoarseGrainCompressor.of(1.0).compress(p, trainLoss);
        boolean decodable = CoarseGrainCompressor.decode(g.encoded()).equals(g.coarse());   // true
        return g.bits();               // the bound, in bits; g.naiveBits() for comparison
    }
}
