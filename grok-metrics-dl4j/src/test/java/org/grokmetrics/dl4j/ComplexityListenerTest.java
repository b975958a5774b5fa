package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.mdl.PruningMdlEstimator;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.spectral.SpectralEntropyEstimator;
import org.grokmetrics.testing.ListenerContract;
import org.grokmetrics.testing.TestEstimators;
import org.grokmetrics.testing.TestEstimators.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class ComplexityListenerTest {

    @TempDir
    Path dir;

    /**
     * Fits {@code plain} and {@code watched} (built alike) {@code fits} times on {@code train}, the second with
     * the listener, closes the listener and asserts that nothing escaped {@code fit} or {@code close} and that
     * the final parameters are bit-identical.
     */
    static <N extends Model & NeuralNetwork> void assertListenerChangesNothing(N plain, N watched,
                                                                               ComplexityListener l, DataSet train,
                                                                               int fits) {
        watched.setListeners(l);
        TestEstimators.assertNothingEscapes("fit with the listener", () -> {
            for (int i = 0; i < fits; i++) {
                plain.fit(train);
                watched.fit(train);
            }
            l.close();
        });
        ListenerContract.assertBitIdentical(List.of(plain.params().data().asFloat()),
                List.of(watched.params().data().asFloat()));
    }

    @Test
    void attachingTheListenerChangesNothingMultiLayer() {
        DataSet[] d = ModularData.split(7, 0.5, 1);
        ComplexityListener l = ComplexityListener.builder().trainData(d[0]).validationData(d[1]).everyIterations(5)
                .lmnLayer(2).lmnPoints(20).build();
        assertListenerChangesNothing(ModularData.net(7, 16, 11), ModularData.net(7, 16, 11), l, d[0], 30);
        assertEquals(6, l.history().size());
    }

    @Test
    void attachingTheListenerChangesNothingGraph() {
        DataSet[] d = ModularData.split(5, 0.6, 2);
        ComplexityListener l = ComplexityListener.builder().trainData(d[0]).everyIterations(4).async(true).build();
        assertListenerChangesNothing(graph(5), graph(5), l, d[0], 16);
        assertFalse(l.history().isEmpty());
    }

    /**
     * Issue 19: no error from an estimator or a sink reaches {@code fit}; the failing estimator is NaN with the
     * error's class at every measurement, the others still have values, and training is unchanged.
     */
    @ParameterizedTest(name = "{0} async={1}")
    @MethodSource("org.grokmetrics.testing.TestEstimators#faultsSyncAndAsync")
    void anErrorInAnEstimatorOrASinkNeverReachesFit(Fault fault, boolean async) {
        DataSet[] d = ModularData.split(7, 0.5, 1);
        ComplexityListener l = ComplexityListener.builder().trainData(d[0]).validationData(d[1])
                .estimators(List.of(SpectralEntropyEstimator.of(), fault.estimator("failing"),
                        PruningMdlEstimator.of()))
                .sink(fault.sink()).everyIterations(5).async(async).build();
        assertListenerChangesNothing(ModularData.net(7, 16, 11), ModularData.net(7, 16, 11), l, d[0], 30);
        List<ComplexityRecord> h = l.history();
        assertFalse(h.isEmpty());
        assertEquals(6, h.size() + l.monitor().skipped());
        if (!async) {
            assertEquals(List.of(5L, 10L, 15L, 20L, 25L, 30L), h.stream().map(ComplexityRecord::step).toList());
        }
        for (ComplexityRecord r : h) {
            fault.assertFailedAlone(r, "failing", "spectral-entropy", "pruning-mdl");
            assertTrue(Double.isFinite(r.validationAccuracy()));
        }
    }

    /** An error while the listener copies the model (here from its parameter table) is contained too. */
    @ParameterizedTest
    @EnumSource(Fault.class)
    @SuppressWarnings("overrides") // MultiLayerNetwork's own doEvaluation overrides without its varargs
    void anErrorCapturingTheModelNeverReachesTheCaller(Fault fault) {
        DataSet[] d = ModularData.split(5, 0.5, 5);
        MultiLayerNetwork poisoned = new MultiLayerNetwork(ModularData.mlp(5, 8, 6, DataType.FLOAT)) {
            private static final long serialVersionUID = 1L;

            @Override
            public Map<String, INDArray> paramTable() {
                fault.raise();
                return super.paramTable();
            }
        };
        poisoned.init();
        MultiLayerNetwork net = ModularData.net(5, 8, 6);
        ComplexityListener l = ComplexityListener.builder().estimators(List.of(PruningMdlEstimator.of()))
                .everyIterations(2).build();
        net.setListeners(l);
        TestEstimators.assertNothingEscapes("measureNow", () -> l.measureNow(poisoned, 0, 0));
        for (int i = 0; i < 4; i++) {
            net.fit(d[0]);
        }
        l.close();
        assertEquals(List.of(2L, 4L), l.history().stream().map(ComplexityRecord::step).toList(),
                "nothing recorded for the model that could not be copied; later steps are");
    }

    static ComputationGraph graph(int p) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(1e-2))
                .graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(2 * p).nOut(12).activation(Activation.SWISH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(p)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void recordsEveryEstimatorAtTheFrequencyInCsvAndJsonLines() throws Exception {
        DataSet[] d = ModularData.split(11, 0.5, 4);
        MultiLayerNetwork net = ModularData.net(11, 32, 3);
        Path csv = dir.resolve("run/metrics.csv");
        Path jsonl = dir.resolve("run/metrics.jsonl");
        ComplexityListener l = ComplexityListener.builder().trainData(d[0]).validationData(d[1]).everyIterations(50)
                .lmnLayer(2).lmnPoints(32).csv(csv).jsonLines(jsonl).log().build();
        net.setListeners(l);
        for (int i = 0; i < 300; i++) {
            net.fit(d[0]);
        }
        l.close();
        List<ComplexityRecord> h = l.history();
        assertEquals(List.of(50L, 100L, 150L, 200L, 250L, 300L), h.stream().map(ComplexityRecord::step).toList());
        for (ComplexityRecord r : h) {
            for (String name : List.of("coarse-grained", "spectral-entropy", "pruning-mdl", "lmn")) {
                ComplexityEstimate e = r.estimate(name).orElseThrow();
                assertTrue(e.succeeded(), name + ": " + e.failure());
            }
            assertFalse(Double.isNaN(r.trainAccuracy()));
            assertFalse(Double.isNaN(r.validationLoss()));
        }
        assertTrue(h.get(5).trainAccuracy() > 0.9, "it learns: " + h.get(5).trainAccuracy());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(7, lines.size());
        for (String col : List.of("step", "train_accuracy", "validation_accuracy", "coarse-grained",
                "coarse-grained.naive_bits", "spectral-entropy", "pruning-mdl", "lmn", "lmn.l2_norm")) {
            assertTrue(List.of(lines.get(0).split(",")).contains(col), col + " in " + lines.get(0));
        }
        assertEquals(6, Files.readAllLines(jsonl).size());
    }

    @Test
    void failuresAreRecordedAndTrainingGoesOn() throws Exception {
        DataSet[] d = ModularData.split(5, 0.5, 5);
        MultiLayerNetwork net = ModularData.net(5, 8, 6);
        ComplexityEstimator throwing = TestEstimators.throwing("throwing", "boom");
        Path unwritable = Files.createDirectories(dir.resolve("i-am-a-directory"));
        ComplexityListener l = ComplexityListener.builder().trainData(d[0]).estimator(throwing).everyIterations(2)
                .csv(unwritable).build();
        net.setListeners(l);
        for (int i = 0; i < 6; i++) {
            net.fit(d[0]);
        }
        // NaN weights: estimators fail with the tensor named, the listener does not throw
        net.getParam("1_W").putScalar(0, 0, Float.NaN);
        l.measureNow(net, 99, 0);
        l.close();
        List<ComplexityRecord> h = l.history();
        assertEquals(4, h.size());
        assertEquals("IllegalStateException: boom", h.get(0).estimate("throwing").orElseThrow().failure().orElseThrow());
        ComplexityRecord last = h.get(3);
        assertTrue(Double.isNaN(last.value("spectral-entropy")));
        assertTrue(last.estimate("spectral-entropy").orElseThrow().failure().orElseThrow().contains("1_W"));
        assertTrue(last.estimate("coarse-grained").orElseThrow().failure().orElseThrow().contains("1_W"));
    }
}
