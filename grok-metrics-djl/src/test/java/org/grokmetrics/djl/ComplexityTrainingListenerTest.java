package org.grokmetrics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import ai.djl.Model;
import ai.djl.metric.Metrics;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.util.Pair;
import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.mdl.PruningMdlEstimator;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.monitor.Schedule;
import org.grokmetrics.spectral.SpectralEntropyEstimator;
import org.grokmetrics.testing.ListenerContract;
import org.grokmetrics.testing.TestEstimators;
import org.grokmetrics.testing.TestEstimators.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ComplexityTrainingListenerTest {

    @TempDir
    Path dir;

    private static ModularMlp data;

    @BeforeAll
    static void setUp() {
        data = new ModularMlp(11, 0.5, 3, 16);
    }

    @AfterAll
    static void tearDown() {
        data.close();
    }

    /** Trains 3 epochs (shuffled batches), optionally with weight noise, and returns the final parameters. */
    private static List<float[]> train(ComplexityTrainingListener listener, WeightNoise noise, Loss loss)
            throws Exception {
        Pair<Model, Trainer> mt = listener == null ? data.trainer(21, 20, loss) : data.trainer(21, 20, loss, listener);
        try (Trainer t = mt.getValue(); Model m = mt.getKey()) {
            if (listener != null) {
                listener.measureNow(t);
            }
            if (noise == null) {
                EasyTrain.fit(t, 3, data.train, data.validation);
            } else {
                noise.fit(t, 3, data.train, data.validation);
            }
            return ModularMlp.parameters(m);
        }
    }

    private static List<float[]> plainRun;

    /** The final parameters of {@link #train} without listener (computed once: training is deterministic). */
    private static synchronized List<float[]> plain() throws Exception {
        if (plainRun == null) {
            plainRun = train(null, null, Loss.softmaxCrossEntropyLoss());
        }
        return plainRun;
    }

    private static void assertBitIdentical(List<float[]> expected, List<float[]> actual) {
        ListenerContract.assertBitIdentical(expected, actual);
    }

    @Test
    void attachingTheListenerChangesNothing() throws Exception {
        List<float[]> plain = plain();
        ComplexityTrainingListener l = ComplexityTrainingListener.builder().trainData(data.trainData())
                .validationData(data.validationData()).everyBatches(5).lmnAt("03Linear").lmnPoints(16).build();
        List<float[]> watched = train(l, null, Loss.softmaxCrossEntropyLoss());
        l.close();
        assertBitIdentical(plain, watched);
        // 61 train examples / 16 = 4 batches per epoch, 12 steps: step 0 (measureNow), 5, 10
        assertEquals(List.of(0L, 5L, 10L), l.history().stream().map(ComplexityRecord::step).toList());
    }

    @Test
    void attachingTheListenerChangesNothingWithWeightNoiseAndSpectralLoss() throws Exception {
        List<float[]> plain = trainRegularized(null);
        ComplexityTrainingListener l = ComplexityTrainingListener.builder().trainData(data.trainData())
                .everyBatches(2).build();
        List<float[]> watched = trainRegularized(l);
        l.close();
        assertEquals(6, l.history().size()); // 12 steps, every 2
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i), watched.get(i));
        }
    }

    /**
     * Asynchronous mode measures on another thread and skips while busy. Bit-identity is not asserted here:
     * on DJL 0.35.1 / PyTorch 2.7.1 any concurrent Java allocation (this listener's or the application's)
     * can change the training's floating-point results (see DEVELOPERS.md).
     */
    @Test
    void asynchronousModeRecordsWithoutBlockingTraining() throws Exception {
        ComplexityTrainingListener l = ComplexityTrainingListener.builder().trainData(data.trainData())
                .validationData(data.validationData()).everyBatches(2).async(true).build();
        List<float[]> watched = trainRegularized(l);
        l.close();
        assertFalse(l.history().isEmpty());
        assertEquals(6, l.history().size() + l.monitor().skipped());
        for (ComplexityRecord r : l.history()) {
            assertTrue(r.estimate("coarse-grained").orElseThrow().succeeded());
            assertTrue(r.validationAccuracy() >= 0 && r.validationAccuracy() <= 1);
        }
        for (float[] w : watched) {
            for (float v : w) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    private static List<float[]> trainRegularized(ComplexityTrainingListener listener) throws Exception {
        // the spectral loss needs the block: build the trainer with a placeholder loss first
        Pair<Model, Trainer> mt = data.trainer(22, 20, Loss.softmaxCrossEntropyLoss());
        Model model = mt.getKey();
        mt.getValue().close();
        SimpleCompositeLoss loss = new SimpleCompositeLoss().addLoss(Loss.softmaxCrossEntropyLoss())
                .addLoss(SpectralEntropyLoss.of(model.getBlock(), 0.1));
        ai.djl.training.DefaultTrainingConfig config = new ai.djl.training.DefaultTrainingConfig(loss)
                .optOptimizer(ai.djl.training.optimizer.Optimizer.adam()
                        .optLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.01f)).build());
        if (listener != null) {
            config.addTrainingListeners(listener);
        }
        try (Trainer t = model.newTrainer(config)) {
            WeightNoise.of(1e-2, 3).fit(t, 3, data.train, null);
            return ModularMlp.parameters(model);
        } finally {
            model.close();
        }
    }

    @Test
    void measuresTheWeightsTheUserSeesAfterEachStep() throws Exception {
        Map<Long, ParameterSnapshot> seen = new ConcurrentHashMap<>();
        ComplexityEstimator spy = TestEstimators.of("spy", MeasureUnit.PARAMETERS, context -> {
            seen.put((long) seen.size(), context.parameters());
            return ComplexityEstimate.of("spy", 1, MeasureUnit.PARAMETERS, List.of(), Map.of(), null);
        });
        ComplexityTrainingListener l = ComplexityTrainingListener.builder().estimators(List.of(spy)).everyBatches(3)
                .build();
        Pair<Model, Trainer> mt = data.trainer(23, 20, Loss.softmaxCrossEntropyLoss(), l);
        try (Trainer t = mt.getValue(); Model m = mt.getKey()) {
            EasyTrain.fit(t, 2, data.train, null);
        }
        assertEquals(List.of(3L, 6L), l.history().stream().map(ComplexityRecord::step).toList());
        // reference: a plain run stopped by hand after exactly 3 and 6 steps
        Pair<Model, Trainer> ref = data.trainer(23, 20, Loss.softmaxCrossEntropyLoss());
        List<ParameterSnapshot> after = new ArrayList<>();
        try (Trainer t = ref.getValue(); Model m = ref.getKey()) {
            int step = 0;
            for (int epoch = 0; epoch < 2; epoch++) {
                for (Batch b : t.iterateDataset(data.train)) {
                    try (b) {
                        EasyTrain.trainBatch(t, b);
                        t.step();
                    }
                    step++;
                    if (step == 3 || step == 6) {
                        after.add(DjlModels.snapshot(m));
                    }
                }
            }
        }
        assertEquals(after.get(0), seen.get(0L));
        assertEquals(after.get(1), seen.get(1L));
    }

    @Test
    void recordsEveryEstimatorWithTheDl4jColumnsAndFillsTrainerMetrics() throws Exception {
        Path csv = dir.resolve("run/metrics.csv");
        ComplexityTrainingListener l = ComplexityTrainingListener.builder().trainData(data.trainData())
                .validationData(data.validationData()).everyBatches(4).lmnAt("02LambdaBlock").lmnPoints(12)
                .csv(csv).jsonLines(dir.resolve("run/metrics.jsonl")).build();
        Pair<Model, Trainer> mt = data.trainer(24, 20, Loss.softmaxCrossEntropyLoss(), l);
        Metrics metrics = new Metrics();
        mt.getValue().setMetrics(metrics);
        try (Trainer t = mt.getValue(); Model m = mt.getKey()) {
            EasyTrain.fit(t, 2, data.train, data.validation);
        }
        l.close();
        assertEquals(2, l.history().size());
        ComplexityRecord r = l.history().get(1);
        for (String name : List.of("coarse-grained", "spectral-entropy", "pruning-mdl", "lmn")) {
            ComplexityEstimate e = r.estimate(name).orElseThrow();
            assertTrue(e.succeeded(), name + ": " + e.failure());
            assertTrue(Double.isFinite(e.value()));
        }
        assertTrue(r.trainLoss() > 0 && r.trainLoss() < Math.log(11) + 1);
        assertTrue(r.validationAccuracy() >= 0 && r.validationAccuracy() <= 1);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(List.of("step", "epoch", "elapsed_ms", "train_loss", "train_accuracy", "validation_loss",
                "validation_accuracy"), header.subList(0, 7));
        for (String col : List.of("coarse-grained", "coarse-grained.seconds", "coarse-grained.error", "spectral-entropy",
                "spectral-entropy.effective_rank", "pruning-mdl", "lmn", "lmn.l2_norm")) {
            assertTrue(header.contains(col), col + " in " + header);
        }
        assertEquals(2, Files.readAllLines(dir.resolve("run/metrics.jsonl")).size());
        // trainer metrics: model level, per detail and per layer, tagged by step
        assertEquals(2, metrics.getMetric("grok.spectral-entropy").size());
        assertTrue(metrics.hasMetric("grok.spectral-entropy.01Linear_weight"));
        assertEquals("layer", metrics.latestMetric("grok.spectral-entropy.01Linear_weight").getDimensions()[1].getName());
        assertEquals(r.value("coarse-grained"), metrics.latestMetric("grok.coarse-grained").getValue(), 1e-9);
    }

    @Test
    void failingEstimatorIsNaNWithReasonAndTrainingGoesOn() throws Exception {
        ComplexityEstimator broken = TestEstimators.throwing("broken", "boom");
        ComplexityTrainingListener l = ComplexityTrainingListener.builder().estimator(broken).everyBatches(2)
                .schedule(Schedule.everySteps(2)).csv(Path.of("/proc/forbidden/metrics.csv")).build();
        List<float[]> watched = train(l, null, Loss.softmaxCrossEntropyLoss());
        l.close();
        assertEquals(7, l.history().size());
        ComplexityEstimate e = l.history().get(3).estimate("broken").orElseThrow();
        assertTrue(Double.isNaN(e.value()));
        assertTrue(e.failure().orElseThrow().contains("boom"), e.failure().toString());
        assertTrue(l.history().get(3).estimate("spectral-entropy").orElseThrow().succeeded());
        assertBitIdentical(plain(), watched);
    }

    /**
     * Issue 19: no error from an estimator or a sink reaches DJL's trainer (synchronous listener); the failing
     * estimator is NaN with the error's class at every measurement, the others have values, and the final
     * parameters are bit-identical to a run without the listener.
     */
    @ParameterizedTest
    @EnumSource(Fault.class)
    void anErrorInAnEstimatorOrASinkNeverReachesTheTrainer(Fault fault) throws Exception {
        ComplexityTrainingListener l = ComplexityTrainingListener.builder().trainData(data.trainData())
                .estimators(List.of(SpectralEntropyEstimator.of(), fault.estimator("failing"),
                        PruningMdlEstimator.of()))
                .sink(fault.sink()).everyBatches(2).build();
        AtomicReference<List<float[]>> watched = new AtomicReference<>();
        TestEstimators.assertNothingEscapes("training with the listener", () -> {
            watched.set(train(l, null, Loss.softmaxCrossEntropyLoss()));
            l.close();
        });
        assertBitIdentical(plain(), watched.get());
        // 12 steps: step 0 (measureNow), then every 2
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L, 10L, 12L), l.history().stream().map(ComplexityRecord::step).toList());
        for (ComplexityRecord r : l.history()) {
            fault.assertFailedAlone(r, "failing", "spectral-entropy", "pruning-mdl");
            assertTrue(Double.isFinite(r.trainLoss()));
        }
    }

    /** An error while the listener reads the model (here from every method of it) is contained too. */
    @ParameterizedTest
    @EnumSource(Fault.class)
    void anErrorReadingTheModelNeverReachesTheCaller(Fault fault) throws Exception {
        Model poisoned = (Model) Proxy.newProxyInstance(Model.class.getClassLoader(), new Class<?>[] {Model.class},
                (proxy, method, args) -> {
                    fault.raise();
                    return null;
                });
        ComplexityTrainingListener l = ComplexityTrainingListener.builder()
                .estimators(List.of(PruningMdlEstimator.of())).build();
        TestEstimators.assertNothingEscapes("measureNow", () -> l.measureNow(poisoned, 0, 0));
        Pair<Model, Trainer> mt = data.trainer(21, 20, Loss.softmaxCrossEntropyLoss());
        mt.getValue().close();
        try (Model m = mt.getKey()) {
            l.measureNow(m, 1, 0);
        }
        l.close();
        assertEquals(List.of(1L), l.history().stream().map(ComplexityRecord::step).toList(),
                "nothing recorded for the model that could not be read; the next one is");
    }
}
