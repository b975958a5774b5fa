package org.grokmetrics.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.mdl.PruningMdlEstimator;
import org.grokmetrics.spectral.SpectralEntropyEstimator;
import org.grokmetrics.testing.StdErrCapture;
import org.grokmetrics.testing.TestEstimators;
import org.grokmetrics.testing.TestEstimators.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ComplexityMonitorTest {

    @TempDir
    Path dir;

    static Measurement measurement(float scale) {
        ParameterSnapshot p = ParameterSnapshot.of(List.of(
                Tensor.matrix("w", 2, 2, new float[] {scale, 0, 0, 1}), Tensor.vector("b", new float[] {0.5f})));
        return new Measurement() {
            @Override
            public EstimationContext context() {
                return EstimationContext.of(p);
            }

            @Override
            public Metrics metrics() {
                return new Metrics(0.1, 1.0, 2.0, 0.25);
            }
        };
    }

    /** An estimator that always throws. */
    static final ComplexityEstimator BROKEN = new ComplexityEstimator() {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public MeasureUnit unit() {
            return MeasureUnit.BITS;
        }

        @Override
        public ComplexityEstimate estimate(EstimationContext context) {
            throw new IllegalArgumentException("tensor 'w' has a non-finite value NaN at flat index 0");
        }
    };

    @Test
    void writesCsvJsonLinesAndHistoryOnSchedule() throws Exception {
        Path csv = dir.resolve("out/metrics.csv");
        Path jsonl = dir.resolve("out/metrics.jsonl");
        ComplexityMonitor m = ComplexityMonitor.builder().estimator(PruningMdlEstimator.of())
                .estimator(SpectralEntropyEstimator.of()).estimator(BROKEN).schedule(Schedule.everySteps(10))
                .sink(CsvSink.to(csv)).sink(JsonLinesSink.to(jsonl)).sink(new LogSink()).build();
        for (long step = 1; step <= 35; step++) {
            if (m.dueAfterStep(step)) {
                m.submit(step, 0, measurement(step));
            }
        }
        m.close();
        List<ComplexityRecord> h = m.history();
        assertEquals(List.of(10L, 20L, 30L), h.stream().map(ComplexityRecord::step).toList());
        assertEquals(SpectralEntropyEstimator.of().estimate(measurement(10).context()).value(),
                h.get(0).value("spectral-entropy"), 0.0);
        assertTrue(Double.isNaN(h.get(0).value("broken")));
        assertTrue(h.get(0).estimate("broken").orElseThrow().failure().orElseThrow().contains("non-finite"));

        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        String header = lines.get(0);
        assertTrue(header.startsWith("step,epoch,elapsed_ms,train_loss,train_accuracy,validation_loss,validation_accuracy,loss_unit,"
                + "pruning-mdl,pruning-mdl.fraction_kept,pruning-mdl.threshold,pruning-mdl.seconds,pruning-mdl.error,"
                + "spectral-entropy,"), header);
        assertTrue(header.endsWith("broken,broken.seconds,broken.error"), header);
        String row = lines.get(1);
        assertTrue(row.startsWith("10,0,"), row);
        // w = [[10, 0], [0, 1]] and b = [0.5]: three weights above 0.01
        assertTrue(row.contains(",0.1,1,2,0.25,,3,0.6,0.01,"), row);
        assertTrue(row.endsWith(",IllegalArgumentException: tensor 'w' has a non-finite value NaN at flat index 0"), row);

        List<String> json = Files.readAllLines(jsonl);
        assertEquals(3, json.size());
        JsonNode first = new ObjectMapper().readTree(json.get(0));
        assertEquals(10, first.get("step").asInt());
        assertEquals(3.0, first.get("estimates").get("pruning-mdl").get("value").asDouble());
        assertTrue(first.get("estimates").get("broken").get("value").isNull());
        assertEquals("parameters", first.get("estimates").get("pruning-mdl").get("unit").asText());
    }

    @Test
    void brokenSinkIsSwitchedOffAndTrainingGoesOn() throws Exception {
        Path notAFile = Files.createDirectories(dir.resolve("a-directory"));
        ComplexityMonitor m = ComplexityMonitor.builder().estimator(PruningMdlEstimator.of())
                .schedule(Schedule.everySteps(1)).sink(CsvSink.to(notAFile)).build();
        m.submit(1, 0, measurement(1));
        m.submit(2, 0, measurement(2));
        m.close();
        assertEquals(2, m.history().size());
    }

    @Test
    void asyncSkipsWhileBusyAndNeverBlocks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ComplexityEstimator slow = new ComplexityEstimator() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public MeasureUnit unit() {
                return MeasureUnit.BITS;
            }

            @Override
            public ComplexityEstimate estimate(EstimationContext context) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ComplexityEstimate.of("slow", 1, MeasureUnit.BITS, List.of(), java.util.Map.of(), null);
            }
        };
        ComplexityMonitor m = ComplexityMonitor.builder().estimator(slow).async(true).schedule(Schedule.everySteps(1))
                .build();
        for (int i = 1; i <= 20; i++) {
            m.submit(i, 0, measurement(i)); // one runs, one waits in the queue, the rest are skipped
        }
        assertEquals(18, m.skipped());
        release.countDown();
        m.close();
        assertEquals(2, m.history().size());
        assertFalse(m.dueAfterStep(100), "closed monitors measure nothing");
    }

    @Test
    void historyIsBoundedAndSchedulesValidate() {
        ComplexityMonitor m = ComplexityMonitor.builder().historyCapacity(2).schedule(Schedule.everyEpochs(2)).build();
        for (int i = 1; i <= 5; i++) {
            m.submit(i, i, measurement(i));
        }
        assertEquals(List.of(4L, 5L), m.history().stream().map(ComplexityRecord::step).toList());
        assertTrue(m.dueAfterEpoch(4));
        assertFalse(m.dueAfterEpoch(3));
        assertFalse(m.dueAfterStep(2));
        assertTrue(Schedule.every(Duration.ofMillis(1)).dueAfterStep(1, 2_000_000, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.everySteps(0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.every(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> ComplexityMonitor.builder()
                .estimator(PruningMdlEstimator.of()).estimator(PruningMdlEstimator.of()).build());
        assertEquals("a,\"b,\"\"c\"\"\"", CsvSink.quote("a") + "," + CsvSink.quote("b,\"c\""));
        Schedule log = Schedule.logSpaced(10);
        long due = java.util.stream.LongStream.rangeClosed(1, 10_000).filter(st -> log.dueAfterStep(st, 0, 0)).count();
        assertTrue(due >= 38 && due <= 42, "about 10 per decade over 4 decades: " + due);
        assertTrue(log.dueAfterStep(1, 0, 0) && log.dueAfterStep(2, 0, 0) && !log.dueAfterStep(9_999, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.logSpaced(0));
    }

    /** Submits a measurement at steps 1..steps (waiting for each in asynchronous mode, so none is skipped), closes. */
    private static void submitSteps(ComplexityMonitor m, int steps) {
        TestEstimators.assertNothingEscapes("the monitor", () -> {
            for (int step = 1; step <= steps; step++) {
                m.submit(step, 0, measurement(step));
                m.awaitIdle(Duration.ofSeconds(60));
            }
            m.close();
        });
    }

    /** A spy on the threads that evaluate: one thread throughout means the background worker never died. */
    private static ComplexityEstimator threadSpy(Set<Thread> threads) {
        return TestEstimators.of("threads", MeasureUnit.PARAMETERS, ctx -> {
            threads.add(Thread.currentThread());
            return ComplexityEstimate.of("threads", threads.size(), MeasureUnit.PARAMETERS, List.of(), java.util.Map.of(),
                    null);
        });
    }

    @ParameterizedTest(name = "{0} async={1}")
    @MethodSource("org.grokmetrics.testing.TestEstimators#faultsSyncAndAsync")
    void anEstimatorThrowingAnErrorFailsAloneAndIsLoggedOnce(Fault fault, boolean async) {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        ComplexityMonitor m = ComplexityMonitor.builder().estimator(PruningMdlEstimator.of())
                .estimator(fault.estimator("failing")).estimator(SpectralEntropyEstimator.of())
                .estimator(threadSpy(threads)).schedule(Schedule.everySteps(1)).async(async).build();
        String logLine = "estimator failing failed";
        try (StdErrCapture err = StdErrCapture.start()) {
            submitSteps(m, 5);
            assertEquals(1, err.lines(logLine), "logged once per (estimator, error class):\n" + err.text());
            assertTrue(err.lines(fault.type().getSimpleName()) >= 1, err.text());
            assertEquals(0, err.lines("Exception in thread"), err.text());
        }
        List<ComplexityRecord> h = m.history();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), h.stream().map(ComplexityRecord::step).toList(),
                "the monitor goes on measuring at later steps");
        for (ComplexityRecord r : h) {
            fault.assertFailedAlone(r, "failing", "pruning-mdl", "spectral-entropy", "threads");
            assertEquals(1.0, r.trainAccuracy());
        }
        assertEquals(1, threads.size(), "one evaluating thread throughout: " + threads);
        assertEquals(async, !threads.contains(Thread.currentThread()));
    }

    @ParameterizedTest(name = "{0} async={1}")
    @MethodSource("org.grokmetrics.testing.TestEstimators#faultsSyncAndAsync")
    void aSinkThrowingAnErrorIsSwitchedOffAndTheOthersGoOn(Fault fault, boolean async) {
        List<ComplexityRecord> after = new CopyOnWriteArrayList<>();
        ComplexityMonitor m = ComplexityMonitor.builder().estimator(PruningMdlEstimator.of()).sink(fault.sink())
                .sink(after::add).schedule(Schedule.everySteps(1)).async(async).build();
        try (StdErrCapture err = StdErrCapture.start()) {
            submitSteps(m, 3);
            assertEquals(1, err.lines("sink raising " + fault.type().getSimpleName() + " failed"), err.text());
            assertEquals(0, err.lines("Exception in thread"), err.text());
        }
        assertEquals(3, after.size(), "the next sink still gets every record");
        assertEquals(3, m.history().size());
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void anErrorCapturingTheModelMakesEveryEstimateNaN(Fault fault) {
        Measurement broken = new Measurement() {
            @Override
            public EstimationContext context() {
                fault.raise();
                return null;
            }

            @Override
            public Metrics metrics() {
                fault.raise();
                return null;
            }
        };
        ComplexityMonitor m = ComplexityMonitor.builder().estimator(PruningMdlEstimator.of())
                .estimator(SpectralEntropyEstimator.of()).build();
        TestEstimators.assertNothingEscapes("the monitor", () -> {
            m.submit(1, 0, broken);
            m.submit(2, 0, measurement(2));
            m.close();
        });
        ComplexityRecord first = m.history().get(0);
        assertTrue(Double.isNaN(first.trainLoss()));
        for (ComplexityEstimate e : first.estimates()) {
            assertTrue(e.failure().orElseThrow().contains(fault.type().getSimpleName()), e.failure().toString());
        }
        assertTrue(m.history().get(1).estimates().stream().allMatch(ComplexityEstimate::succeeded));
    }

    @Test
    void aBrokenVirtualMachineIsNotHidden() {
        ComplexityMonitor m = ComplexityMonitor.builder().estimator(TestEstimators.of("vm", MeasureUnit.BITS, ctx -> {
            throw new InternalError("broken JIT");
        })).build();
        assertThrows(InternalError.class, () -> m.submit(1, 0, measurement(1)));
        m.close();
    }
}
