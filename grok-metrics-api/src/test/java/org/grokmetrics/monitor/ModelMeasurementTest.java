package org.grokmetrics.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.junit.jupiter.api.Test;

class ModelMeasurementTest {

    private static final ParameterSnapshot WEIGHTS = ParameterSnapshot.of(new Tensor("w", new int[] {1, 2},
            new float[] {1, 2}));

    /** A view that records what it was asked, with or without data. */
    private static class Spy implements ModelMeasurement.View {
        final boolean data;
        final List<ParameterSnapshot> asked = new ArrayList<>();

        Spy(boolean data) {
            this.data = data;
        }

        @Override
        public Optional<LossOracle> trainLoss() {
            return data ? Optional.of(p -> 0.5) : Optional.empty();
        }

        @Override
        public long trainExamples() {
            return data ? 7 : 0;
        }

        @Override
        public Optional<ModelMeasurement.SubNetwork> subNetwork(ParameterSnapshot weights) {
            asked.add(weights);
            FunctionOracle f = in -> in;
            return data ? Optional.of(new ModelMeasurement.SubNetwork(f, new double[][] {{1, 2}})) : Optional.empty();
        }

        @Override
        public Metrics metrics(ParameterSnapshot weights) {
            asked.add(weights);
            return Metrics.of(new Dummy(0.25, 1), null);
        }
    }

    private record Dummy(double loss, double accuracy) implements LossAndAccuracy {
    }

    @Test
    void theContextHasWhatTheViewOffersAtTheCapturedWeights() {
        Spy view = new Spy(true);
        ModelMeasurement m = new ModelMeasurement(WEIGHTS, view);
        EstimationContext ctx = m.context();
        assertSame(WEIGHTS, ctx.parameters());
        assertEquals(0.5, ctx.requireTrainLoss("t").loss(WEIGHTS));
        assertEquals(7, ctx.trainingExamples());
        assertArrayEquals(new double[] {1, 2}, ctx.requirePoints("t")[0]);
        assertTrue(ctx.subNetwork().isPresent());
        assertEquals(new Metrics(0.25, 1, Double.NaN, Double.NaN), m.metrics());
        assertEquals(List.of(WEIGHTS, WEIGHTS), view.asked);
    }

    @Test
    void withoutDataTheContextHasTheWeightsOnly() {
        EstimationContext ctx = new ModelMeasurement(WEIGHTS, new Spy(false)).context();
        assertFalse(ctx.trainLoss().isPresent());
        assertFalse(ctx.subNetwork().isPresent());
        assertFalse(ctx.points().isPresent());
        assertEquals(0, ctx.trainingExamples());
        assertEquals(Metrics.NONE, Metrics.of(null, null));
    }

    /** Issue 12: a sub-network that cannot be prepared fails the LMN estimate alone, not the context. */
    @Test
    void aFailingSubNetworkLeavesTheRestOfTheContext() {
        Spy failing = new Spy(true) {
            @Override
            public Optional<ModelMeasurement.SubNetwork> subNetwork(ParameterSnapshot weights) {
                throw new IllegalArgumentException("LMN cannot be measured at 'x'; valid positions: [a, b]");
            }
        };
        EstimationContext ctx = new ModelMeasurement(WEIGHTS, failing).context();
        assertEquals(0.5, ctx.requireTrainLoss("t").loss(WEIGHTS), "the other estimators keep their oracle");
        org.grokmetrics.api.ComplexityEstimate e = org.grokmetrics.lmn.LinearMappingNumberEstimator.of().estimateSafely(ctx);
        assertTrue(e.failure().orElseThrow().contains("valid positions: [a, b]"), e.failure().orElseThrow());
        assertTrue(org.grokmetrics.spectral.SpectralEntropyEstimator.of().estimateSafely(ctx).succeeded());
    }
}
