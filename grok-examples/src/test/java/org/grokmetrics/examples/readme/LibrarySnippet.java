package org.grokmetrics.examples.readme;

import java.util.List;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.mdl.PruningMdl;
import org.grokmetrics.spectral.SpectralEntropy;
import org.grokmetrics.spectral.SpectralEntropyEstimator;

/** README.md, "Use it as a library": ReadmeSnippetsTest keeps this file and the README block equal. */
final class LibrarySnippet {

    static ComplexityEstimate measure(float[] weights1, float[] bias1) {   // 100x64 row-major, and 100
        ParameterSnapshot p = ParameterSnapshot.of(List.of(
                Tensor.matrix("fc1.weight", 100, 64, weights1),
                Tensor.vector("fc1.bias", bias1)));
        double h = SpectralEntropy.meanEntropy(p);                  // nats, mean over matrices
        Tensor dH = SpectralEntropy.gradient(p.get("fc1.weight"));  // for a spectral-entropy penalty
        long mdl = PruningMdl.count(p, 1e-2);                       // |w| > 0.01
        return SpectralEntropyEstimator.of().estimateSafely(EstimationContext.of(p));
    }
}
