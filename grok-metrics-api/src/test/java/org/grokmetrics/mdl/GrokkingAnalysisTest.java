package org.grokmetrics.mdl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reference values from NumPy 2.4.6: np.gradient(mdl, steps) and np.corrcoef. */
class GrokkingAnalysisTest {

    static final long[] STEPS = {0, 500, 1000, 1500, 2500, 3000, 4000};
    static final TimeSeries MDL = TimeSeries.of(STEPS, new double[] {1000, 1200, 1150, 700, 300, 280, 275});
    static final TimeSeries VAL = TimeSeries.of(STEPS, new double[] {0.01, 0.02, 0.05, 0.4, 0.97, 0.995, 1.0});
    static final TimeSeries TRAIN = TimeSeries.of(STEPS, new double[] {0.1, 0.6, 1, 1, 1, 1, 1});

    @Test
    void gradientMatchesNumpyOnUnevenSteps() {
        double[] numpy = {0.4, 0.15000000000000013, -0.4999999999999999, -0.7333333333333332, -0.16000000000000003,
            -0.02833333333333328, -0.005};
        assertArrayEquals(numpy, GrokkingAnalysis.gradient(MDL).values(), 1e-12);
        assertEquals(-0.7333333333333332, GrokkingAnalysis.transitionRate(MDL).getAsDouble(), 1e-12);
    }

    @Test
    void correlationMatchesNumpy() {
        assertEquals(-0.9840594203835189, GrokkingAnalysis.mdlAccuracyCorrelation(MDL, VAL).getAsDouble(), 1e-12);
    }

    @Test
    void wholeAnalysis() {
        GrokkingAnalysis.Result r = GrokkingAnalysis.analyze(MDL, VAL, TRAIN);
        assertEquals(2500, r.grokkingStep95().getAsLong());
        assertEquals(3000, r.grokkingStep99().getAsLong());
        // per-step slopes: +0.4, -0.1, -0.9, -0.4, -0.04, -0.005: steepest ends at step 1500
        assertEquals(1500, r.mdlTransitionStep().getAsLong());
        assertEquals(0.0, r.finalGeneralizationGap().getAsDouble(), 1e-15);
        assertEquals(0.9840594203835189, r.mdlReductionAccuracyCorrelation().getAsDouble(), 1e-12);
    }

    @Test
    void neverGrokkingAndFlatSeriesGiveEmpties() {
        TimeSeries flat = TimeSeries.of(new long[] {0, 1, 2}, new double[] {5, 5, 5});
        TimeSeries low = TimeSeries.of(new long[] {0, 1, 2}, new double[] {0.1, 0.2, 0.3});
        GrokkingAnalysis.Result r = GrokkingAnalysis.analyze(flat, low, null);
        assertFalse(r.grokkingStep95().isPresent());
        assertFalse(r.mdlTransitionStep().isPresent());
        assertFalse(r.mdlAccuracyCorrelation().isPresent());
        assertFalse(r.finalGeneralizationGap().isPresent());
        assertEquals(0.0, r.mdlTransitionRate().getAsDouble());
    }

    @Test
    void gapUsesCommonSteps() {
        TimeSeries train = TimeSeries.of(new long[] {0, 10, 20}, new double[] {0.5, 1.0, 1.0});
        TimeSeries val = TimeSeries.of(new long[] {10, 20}, new double[] {0.25, 0.75});
        TimeSeries gap = GrokkingAnalysis.generalizationGap(train, val);
        assertArrayEquals(new long[] {10, 20}, gap.steps());
        assertArrayEquals(new double[] {0.75, 0.25}, gap.values(), 1e-15);
    }

    @Test
    void seriesValidation() {
        var e = assertThrows(IllegalArgumentException.class, () -> TimeSeries.of(new long[] {0, 0}, new double[2]));
        assertTrue(e.getMessage().contains("increase"));
        assertThrows(IllegalArgumentException.class, () -> TimeSeries.of(new long[] {0}, new double[2]));
    }
}
