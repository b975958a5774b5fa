package org.grokmetrics.testing;

import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.monitor.RecordSink;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.provider.Arguments;

/** Small estimators (and a sink) for adapter and monitor tests: spies, stubs and failing ones. */
public final class TestEstimators {

    private TestEstimators() {
    }

    /** An estimator with the given name and unit whose estimate is {@code body}. */
    public static ComplexityEstimator of(String name, MeasureUnit unit,
                                         Function<EstimationContext, ComplexityEstimate> body) {
        Objects.requireNonNull(body, "body");
        return new ComplexityEstimator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public MeasureUnit unit() {
                return unit;
            }

            @Override
            public ComplexityEstimate estimate(EstimationContext context) {
                return body.apply(context);
            }
        };
    }

    /** An estimator that always throws {@link IllegalStateException} with {@code message}. */
    public static ComplexityEstimator throwing(String name, String message) {
        return of(name, MeasureUnit.BITS, ctx -> {
            throw new IllegalStateException(message);
        });
    }

    /** Every {@link Fault} with {@code async} false and true: arguments for a parameterized monitor test. */
    public static Stream<Arguments> faultsSyncAndAsync() {
        return Stream.of(Fault.values()).flatMap(f -> Stream.of(Arguments.of(f, false), Arguments.of(f, true)));
    }

    /**
     * Runs {@code body} and fails the test with an {@link AssertionError} if anything escapes it. The
     * escaped throwable becomes the cause: JUnit would otherwise abort the whole run on an
     * {@link OutOfMemoryError}, and a reverted catch would not be reported as this test's failure.
     */
    public static void assertNothingEscapes(String what, Executable body) {
        try {
            body.execute();
        } catch (Throwable t) {
            throw new AssertionError(what + " let " + t + " escape", t);
        }
    }

    /**
     * The errors the listeners promise to contain (issue 19), each raised the way it arises in the field
     * where a test can do that cheaply: real recursion for the stack overflow, a real allocation the VM
     * refuses for the out-of-memory error.
     */
    public enum Fault {
        /** commons-io 2.7 on the classpath under commons-compress 1.27.1, which calls a newer method. */
        NO_SUCH_METHOD(NoSuchMethodError.class),
        /** A class whose static initializer throws. */
        INITIALIZER(ExceptionInInitializerError.class),
        /** Unbounded recursion (real). */
        STACK_OVERFLOW(StackOverflowError.class),
        /** An array larger than the VM allows (a real {@link OutOfMemoryError}, thrown without filling the heap). */
        OUT_OF_MEMORY(OutOfMemoryError.class);

        private static volatile Object escaped;

        private final Class<? extends Error> type;

        Fault(Class<? extends Error> type) {
            this.type = type;
        }

        /** The class of the error {@link #raise()} throws. */
        public Class<? extends Error> type() {
            return type;
        }

        /** Throws the error. */
        public void raise() {
            switch (this) {
                case NO_SUCH_METHOD -> throw new NoSuchMethodError("'org.apache.commons.io.input.BoundedInputStream$Builder "
                        + "org.apache.commons.io.input.BoundedInputStream.builder()'");
                case INITIALIZER -> throw new ExceptionInInitializerError(
                        new IllegalStateException("codec table could not be built"));
                case STACK_OVERFLOW -> escaped = recurse(0);
                case OUT_OF_MEMORY -> escaped = new byte[Integer.MAX_VALUE];
                default -> throw new AssertionError(this);
            }
            throw new AssertionError(this + " did not raise " + type.getSimpleName());
        }

        private static int recurse(int depth) {
            return recurse(depth + 1) + 1;
        }

        /**
         * Asserts that in {@code record} the estimator {@code failing} is NaN with a reason that starts with
         * this error's class name, and that every one of {@code others} has a finite value: a failing
         * estimator fails alone.
         */
        public void assertFailedAlone(org.grokmetrics.monitor.ComplexityRecord record, String failing,
                                      String... others) {
            ComplexityEstimate failed = record.estimate(failing).orElseThrow();
            Assertions.assertTrue(Double.isNaN(failed.value()), failing + " at step " + record.step());
            Assertions.assertTrue(failed.failure().orElseThrow().startsWith(type.getSimpleName()),
                    failed.failure().toString());
            for (String other : others) {
                Assertions.assertTrue(Double.isFinite(record.value(other)),
                        "a failing estimator fails alone: " + record.estimate(other));
            }
        }

        /** An estimator named {@code name} (unit bits) whose every estimate raises this error. */
        public ComplexityEstimator estimator(String name) {
            return of(name, MeasureUnit.BITS, ctx -> {
                raise();
                return null;
            });
        }

        /** A sink whose every record raises this error. */
        public RecordSink sink() {
            return new RecordSink() {
                @Override
                public void accept(org.grokmetrics.monitor.ComplexityRecord record) {
                    raise();
                }

                @Override
                public String toString() {
                    return "raising " + type.getSimpleName();
                }
            };
        }
    }
}
