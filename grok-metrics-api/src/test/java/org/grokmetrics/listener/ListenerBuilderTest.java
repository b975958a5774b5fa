package org.grokmetrics.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.monitor.ComplexityMonitor;
import org.grokmetrics.monitor.Schedule;
import org.grokmetrics.testing.TestEstimators;
import org.junit.jupiter.api.Test;

class ListenerBuilderTest {

    /** The smallest adapter: it builds the monitor. */
    static final class Probe extends ListenerBuilder<Probe> {
        @Override
        protected Probe self() {
            return this;
        }

        ComplexityMonitor build(boolean trainData, boolean lmn) {
            return monitorBuilder(trainData, lmn).build();
        }
    }

    static List<String> names(ComplexityMonitor m) {
        return m.estimators().stream().map(ComplexityEstimator::name).toList();
    }

    @Test
    void defaultEstimatorsDependOnWhatTheAdapterCanGive() {
        Probe b = new Probe();
        assertEquals(List.of("spectral-entropy", "pruning-mdl"), names(b.build(false, false)));
        assertEquals(List.of("coarse-grained", "spectral-entropy", "pruning-mdl", "lmn"), names(b.build(true, true)));
        assertEquals(names(b.build(true, true)),
                DefaultEstimators.standard().select(true, true).stream().map(ComplexityEstimator::name).toList());
    }

    @Test
    void estimatorsReplaceTheDefaultsAndEstimatorAddsToThem() {
        ComplexityEstimator x = TestEstimators.of("x", MeasureUnit.BITS, c -> null);
        assertEquals(List.of("spectral-entropy", "pruning-mdl", "x"), names(new Probe().estimator(x).build(false, false)));
        assertEquals(List.of("x"), names(new Probe().estimators(List.of(x)).build(true, true)));
    }

    @Test
    void oneBuilderBuildsSeveralMonitorsWithTheSameOptions() {
        Probe b = new Probe().everyEpochs(3).historyCapacity(2).async(false);
        ComplexityMonitor first = b.build(true, false);
        ComplexityMonitor second = b.build(true, false);
        assertEquals(names(first), names(second));
        assertEquals(first.schedule(), second.schedule());
    }

    @Test
    void badValuesFailAtTheOptionNamingIt() {
        assertMessage("historyCapacity must be >= 1, was 0", b -> b.historyCapacity(0));
        assertMessage("historyCapacity must be >= 1, was -5", b -> b.historySize(-5));
        assertMessage("epsilon must be finite and > 0, was -1.0", b -> b.epsilon(-1));
        assertMessage("epsilon must be finite and > 0, was NaN", b -> b.epsilon(Double.NaN));
        assertMessage("lmnPoints must be >= 2, was 1", b -> b.lmnPoints(1));
        assertMessage("schedule: every N epochs needs N >= 1, was 0", b -> b.everyEpochs(0));
        assertMessage("schedule: every N steps needs N >= 1, was 0", b -> b.everySteps(0));
        assertMessage("schedule: interval must be positive, was PT0S", b -> b.every(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new Probe().schedule((Schedule) null));
    }

    @Test
    void epsilonReachesTheDefaultCoarseGrainedEstimator() {
        assertEquals(0.25, DefaultEstimators.standard().withEpsilon(0.25).epsilon());
        assertEquals(DefaultEstimators.DEFAULT_EPSILON, DefaultEstimators.standard().epsilon());
    }

    static void assertMessage(String expected, Consumer<Probe> option) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> option.accept(new Probe()));
        assertEquals(expected, e.getMessage());
    }
}
