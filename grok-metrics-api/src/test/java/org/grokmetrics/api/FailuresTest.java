package org.grokmetrics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import org.grokmetrics.testing.TestEstimators;
import org.grokmetrics.testing.TestEstimators.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class FailuresTest {

    private static final EstimationContext CONTEXT = EstimationContext.of(ParameterSnapshot.of(List.of(
            Tensor.matrix("w", 2, 2, new float[] {1, 0, 0, 1}))));

    @ParameterizedTest
    @EnumSource(Fault.class)
    void theErrorsTheListenersPromiseToSurviveAreContained(Fault fault) {
        Error thrown = assertThrows(fault.type(), fault::raise);
        assertTrue(Failures.containable(thrown));
        String reason = Failures.contain(thrown);
        assertTrue(reason.startsWith(fault.type().getSimpleName()), reason);
        assertEquals(fault.type().getSimpleName(), Failures.kind(reason));
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void estimateSafelyTurnsEachContainedErrorIntoNaNWithItsClass(Fault fault) {
        ComplexityEstimate[] result = new ComplexityEstimate[1];
        TestEstimators.assertNothingEscapes("estimateSafely",
                () -> result[0] = fault.estimator("failing").estimateSafely(CONTEXT));
        ComplexityEstimate e = result[0];
        assertTrue(Double.isNaN(e.value()));
        assertEquals("failing", e.estimator());
        assertTrue(e.failure().orElseThrow().startsWith(fault.type().getSimpleName()), e.failure().toString());
    }

    static Stream<Error> mustPropagate() {
        return Stream.of(new ThreadDeath(), new InternalError("broken JIT"), new UnknownError("?"));
    }

    @ParameterizedTest
    @MethodSource("mustPropagate")
    void threadDeathAndABrokenVirtualMachinePropagate(Error e) {
        assertFalse(Failures.containable(e));
        assertSame(e, assertThrows(Error.class, () -> Failures.contain(e)));
        ComplexityEstimator est = TestEstimators.of("vm", MeasureUnit.BITS, ctx -> {
            throw e;
        });
        assertSame(e, assertThrows(Error.class, () -> est.estimateSafely(CONTEXT)));
    }

    @Test
    void exceptionsOfEveryKindAreContained() {
        assertEquals("IllegalStateException: boom", Failures.contain(new IllegalStateException("boom")));
        assertEquals("IOException: disk full", Failures.contain(new IOException("disk full")));
        assertEquals("AssertionError", Failures.contain(new AssertionError()));
    }

    @Test
    void anInterruptIsContainedButNotLost() {
        try {
            assertEquals("InterruptedException: sleep interrupted",
                    Failures.contain(new InterruptedException("sleep interrupted")));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is set again");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aReasonWithoutMessageNamesTheCause() {
        String reason = Failures.reason(new ExceptionInInitializerError(new IllegalStateException("no table")));
        assertEquals("ExceptionInInitializerError (caused by IllegalStateException: no table)", reason);
        assertEquals("ExceptionInInitializerError", Failures.kind(reason));
        assertEquals("snapshot has no tensor of rank >= 2", Failures.kind("snapshot has no tensor of rank >= 2"));
    }
}
