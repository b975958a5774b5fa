package org.grokmetrics.mdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.ComplexityEstimatorContract;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;

class PruningMdlTest extends ComplexityEstimatorContract {

    @Override
    protected ComplexityEstimator estimator() {
        return PruningMdlEstimator.of();
    }

    @Test
    void countsStrictlyAboveTheThreshold() {
        ParameterSnapshot p = ParameterSnapshot.of(List.of(
                Tensor.matrix("w", 2, 3, new float[] {0.02f, -0.02f, 0.005f, 0f, -1f, 0.0101f}),
                Tensor.vector("b", new float[] {0.5f, -0.001f})));
        assertEquals(5, PruningMdl.count(p));
        assertEquals(Map.of("w", 4L, "b", 1L), PruningMdl.countPerTensor(p, 0.01));
        assertEquals(7, PruningMdl.count(p, 0.0));
        // |w| == threshold is not counted: 0.5f is exact
        assertEquals(1, PruningMdl.count(p, 0.5));
        assertEquals(0, PruningMdl.count(p, 1.0));
    }

    @PropertyTest(cases = 100)
    void monotoneInThresholdAndBoundedBySize(Seed seed) {
        var g = seed.gen();
        ParameterSnapshot p = randomModel(seed);
        double t1 = g.logUniform(1e-5, 1);
        double t2 = t1 * g.doubleIn(1, 10);
        long c1 = PruningMdl.count(p, t1);
        long c2 = PruningMdl.count(p, t2);
        assertTrue(c2 <= c1, "count(" + t2 + ")=" + c2 + " > count(" + t1 + ")=" + c1);
        assertTrue(c1 <= p.size());
        // a second method: sort the magnitudes and count those above
        long ref = p.tensors().stream().flatMapToDouble(t -> {
            double[] d = t.toDoubleArray();
            return java.util.Arrays.stream(d).map(Math::abs);
        }).filter(v -> v > t1).count();
        assertEquals(ref, c1);
    }

    @Test
    void badThresholdAndNaNWeightsAreClear() {
        ParameterSnapshot ok = ParameterSnapshot.of(Tensor.vector("b", new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> PruningMdl.count(ok, -1));
        assertThrows(IllegalArgumentException.class, () -> PruningMdl.count(ok, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> PruningMdlEstimator.of(Double.POSITIVE_INFINITY));
        ParameterSnapshot bad = ParameterSnapshot.of(Tensor.vector("emb", new float[] {Float.NaN}));
        var e = assertThrows(IllegalArgumentException.class, () -> PruningMdl.count(bad));
        assertTrue(e.getMessage().contains("emb"));
    }
}
