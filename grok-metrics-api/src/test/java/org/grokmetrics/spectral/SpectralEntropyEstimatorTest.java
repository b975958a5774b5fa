package org.grokmetrics.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.ComplexityEstimatorContract;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.junit.jupiter.api.Test;

class SpectralEntropyEstimatorTest extends ComplexityEstimatorContract {

    @Override
    protected ComplexityEstimator estimator() {
        return SpectralEntropyEstimator.of();
    }

    @Test
    void reportsPerMatrixAndWeightedRank() {
        Tensor a = Tensor.matrix("a", 2, 2, new float[] {1, 0, 0, 1});
        Tensor bias = Tensor.vector("bias", new float[] {1, 2, 3, 4});
        ComplexityEstimate e = estimator().estimate(ParameterSnapshot.of(a, bias));
        assertEquals(Math.log(2), e.value(), 1e-12);
        assertEquals(1, e.perTensor().size());
        assertEquals("a", e.perTensor().get(0).tensor());
        assertEquals(2.0, e.perTensor().get(0).details().get("effective_rank"), 1e-12);
        assertEquals(2.0 * 4 / 8, e.detail("effective_rank").orElseThrow(), 1e-12);
    }

    @Test
    void noMatrixIsAFailureWithReason() {
        ComplexityEstimate e = estimator().estimate(ParameterSnapshot.of(Tensor.vector("b", new float[2])));
        assertFalse(e.succeeded());
        assertEquals("snapshot has no tensor of rank >= 2", e.failure().orElseThrow());
    }
}
