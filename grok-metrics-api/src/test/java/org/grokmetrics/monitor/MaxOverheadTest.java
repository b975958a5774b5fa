package org.grokmetrics.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.EstimationCost;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.junit.jupiter.api.Test;

/**
 * maxOverhead (issue 12): after a measurement that took T, due measurements are postponed until
 * T&middot;(1 &minus; f)/f of training has passed; the postponed final state is reported as pending until
 * measured. The durations only bound from below (sleeps), so the checks cannot fail on a slow machine except
 * by a stall longer than the 400 ms measurement between two consecutive lines.
 */
class MaxOverheadTest {

    /** An estimator that takes {@code millis}. */
    static ComplexityEstimator slow(long millis) {
        return org.grokmetrics.testing.TestEstimators.of("slow", MeasureUnit.DIMENSIONLESS, ctx -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ComplexityEstimate.of("slow", 1, MeasureUnit.DIMENSIONLESS, List.of(), java.util.Map.of(),
                    EstimationCost.ofWall(millis * 1_000_000L));
        });
    }

    static Measurement measurement() {
        ParameterSnapshot p = ParameterSnapshot.of(List.of(new Tensor("w", new int[] {1}, new float[] {1})));
        return new Measurement() {
            @Override
            public EstimationContext context() {
                return EstimationContext.of(p);
            }

            @Override
            public Metrics metrics() {
                return Metrics.NONE;
            }
        };
    }

    @Test
    void dueMeasurementsWaitForTheirShareOfTrainingAndTheLastOneIsPending() throws Exception {
        ComplexityMonitor m = ComplexityMonitor.builder().estimator(slow(400)).schedule(Schedule.everySteps(1))
                .maxOverhead(0.5).build();
        assertTrue(m.dueAfterStep(1), "the first measurement is never postponed");
        m.submit(1, 0, measurement());
        assertFalse(m.dueAfterStep(2), "right after a 400 ms measurement, at 50%: postponed");
        assertFalse(m.dueAfterStep(3));
        assertEquals(2, m.postponed());
        assertTrue(m.finalMeasurementPending(), "step 3 is not recorded yet");
        Thread.sleep(450);
        assertTrue(m.dueAfterStep(4), "after 400 ms of training, due again");
        m.submit(4, 0, measurement());
        assertFalse(m.finalMeasurementPending());
        assertTrue(m.measuredNanos() >= 800_000_000L);
        m.close();
        assertEquals(List.of(1L, 4L), m.history().stream().map(ComplexityRecord::step).toList());
    }

    @Test
    void offByDefaultAndValidated() {
        ComplexityMonitor m = ComplexityMonitor.builder().estimator(slow(50)).schedule(Schedule.everySteps(1)).build();
        m.submit(1, 0, measurement());
        assertTrue(m.dueAfterStep(2));
        assertFalse(m.finalMeasurementPending());
        m.close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComplexityMonitor.builder().maxOverhead(1.0));
        assertTrue(e.getMessage().startsWith("maxOverhead must be in [0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ComplexityMonitor.builder().maxOverhead(Double.NaN));
    }
}
