package org.grokmetrics.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/** The LMN paper's phases and the late-spike finder on hand-made series. */
final class PhasesAndSpikesTest {

    @Test
    void phasesEndAtTheFirstFullAccuracy() {
        long[] s = {0, 10, 100, 200, 1000, 5000, 9000, 20000};
        double[] train = {0.03, 0.5, 0.99, 1.0, 1.0, 0.999, 1.0, 1.0};
        double[] test = {0.03, 0.05, 1.0 /* before memorization: not generalization */, 0.1, 0.7, 1.0, 0.99, 1.0};
        Phases p = Phases.of(s, train, test);
        assertEquals(OptionalLong.of(200), p.memorized());
        assertEquals(OptionalLong.of(5000), p.generalized());
        assertEquals(Phases.Phase.MEMORIZING, p.phaseOf(100));
        assertEquals(Phases.Phase.GENERALIZING, p.phaseOf(200));
        assertEquals(Phases.Phase.GENERALIZING, p.phaseOf(5000));
        assertEquals(Phases.Phase.FINALIZING, p.phaseOf(5001));
    }

    @Test
    void withoutFullTestAccuracyTheGeneralizingPhaseRunsToTheEnd() {
        Phases p = Phases.of(new long[] {1, 2, 3}, new double[] {0.2, 1, 1}, new double[] {0.1, 0.2, 0.3});
        assertEquals(OptionalLong.of(2), p.memorized());
        assertTrue(p.generalized().isEmpty());
        assertEquals(Phases.Phase.GENERALIZING, p.phaseOf(1_000_000));
        Phases never = Phases.of(new long[] {1}, new double[] {0.5}, new double[] {1});
        assertEquals(Phases.Phase.MEMORIZING, never.phaseOf(1));
        assertThrows(IllegalArgumentException.class, () -> Phases.of(new long[2], new double[1], new double[2]));
    }

    @Test
    void aSlingshotIsFoundWithItsRecovery() {
        long[] s = {10, 20, 30, 40, 50, 60, 70, 80};
        double[] loss = {3.0, 1e-3, 1e-6, 1e-7, 0.8, 2.5, 1e-6, 1e-7};
        List<LossSpikes.Spike> spikes = LossSpikes.defaults().find(s, loss);
        assertEquals(1, spikes.size());
        LossSpikes.Spike k = spikes.get(0);
        assertEquals(50, k.startStep());
        assertEquals(60, k.peakStep());
        assertEquals(2.5, k.peakLoss());
        assertEquals(1e-7, k.baseLoss());
        assertEquals(OptionalLong.of(70), k.recoveredStep());
    }

    @Test
    void noiseNearATinyLossIsNoSpikeAndADivergenceHasNoRecovery() {
        long[] s = {1, 2, 3, 4, 5};
        assertTrue(LossSpikes.defaults().find(s, new double[] {1e-7, 5e-5, 1e-7, 2e-4, 1e-7}).isEmpty(),
                "rises below the 1e-3 floor are noise");
        List<LossSpikes.Spike> d = LossSpikes.defaults().find(s, new double[] {1, 1e-6, 0.5, Double.NaN, Double.NaN});
        assertEquals(1, d.size());
        assertTrue(d.get(0).recoveredStep().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new LossSpikes(1, 1, 1e-3));
    }
}
