package org.grokmetrics.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.codec.NaiveCompressedSizeEstimator;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.spectral.SpectralEntropy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An empty snapshot (no tensors, or only tensors of size 0) is an IllegalArgumentException naming the
 * estimator and the cause in every estimator (and NaN with that reason through estimateSafely), never an
 * index error.
 */
final class EmptySnapshotTest {

    static Stream<ComplexityEstimator> estimators() {
        List<ComplexityEstimator> all = new ArrayList<>(DefaultEstimators.standard().select(true, true));
        all.add(NaiveCompressedSizeEstimator.of(org.grokmetrics.codec.Codecs.bzip2()));
        return all.stream();
    }

    private static EstimationContext context(ParameterSnapshot p) {
        double[][] points = {{0, 1}, {1, 0}, {2, 2}};
        return EstimationContext.of(p).withTrainLoss(q -> 1.0, 10).withSubNetwork(in -> in, () -> points);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void everyEstimatorNamesTheEmptySnapshot(ComplexityEstimator e) {
        for (ParameterSnapshot empty : List.of(ParameterSnapshot.of(List.of()),
                ParameterSnapshot.of(Tensor.vector("b", new float[0]), Tensor.matrix("w", 0, 3, new float[0])))) {
            var x = assertThrows(IllegalArgumentException.class, () -> e.estimate(context(empty)), e.name());
            assertTrue(x.getMessage().startsWith(e.name() + " needs parameters, but the snapshot is empty ("),
                    x.getMessage());
            ComplexityEstimate safe = e.estimateSafely(context(empty));
            assertTrue(Double.isNaN(safe.value()));
            assertTrue(safe.failure().orElseThrow().contains("the snapshot is empty"), safe.failure().orElseThrow());
        }
    }

    @Test
    void theStaticEntryPointsSayTheSame() {
        ParameterSnapshot empty = ParameterSnapshot.of(List.of());
        var c = assertThrows(IllegalArgumentException.class, () -> CoarseGrainCompressor.of(0.1).compress(empty, q -> 1.0));
        assertEquals("coarse-grained needs parameters, but the snapshot is empty (no tensors)", c.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> SpectralEntropy.meanEntropy(empty));
        assertEquals("spectral-entropy needs parameters, but the snapshot is empty (no tensors)", s.getMessage());
    }
}
