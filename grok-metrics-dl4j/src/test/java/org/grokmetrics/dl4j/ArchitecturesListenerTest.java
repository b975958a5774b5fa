package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.testing.ListenerContract;
import org.grokmetrics.testing.TestEstimators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Issue 12 on the networks users train ({@link Architectures}): the recorded losses are the model's own
 * ({@code score(data, false)} minus its regularization score, at the same weights), accuracies are in [0, 1]
 * where defined and NaN for regression, training is bit-identical with the listener, LMN works at convolutional,
 * recurrent and graph positions, and every estimator succeeds.
 */
class ArchitecturesListenerTest {

    /** One architecture: the model, its data, an LMN position and what its loss and accuracy are. */
    enum Case {
        CNN_BATCH_NORM(Architectures::cnn, () -> Architectures.images(24, 1), () -> Architectures.images(12, 2),
                "1", "nats", true),
        CNN_AT_POOLING(Architectures::cnn, () -> Architectures.images(24, 1), () -> Architectures.images(12, 2),
                "3", "nats", true),
        LSTM(Architectures::lstm, () -> Architectures.sequences(16, 6, 3), () -> Architectures.sequences(8, 6, 4),
                "1", "nats", true),
        SIMPLE_RNN(Architectures::simpleRnn, () -> Architectures.sequences(16, 5, 5),
                () -> Architectures.sequences(8, 5, 6), "1", "nats", true),
        EMBEDDING(Architectures::embedding, () -> Architectures.tokens(30, 7), () -> Architectures.tokens(10, 8),
                "1", "nats", true),
        REGRESSION_MSE(Architectures::regression, () -> Architectures.regressionData(30, 9),
                () -> Architectures.regressionData(10, 10), "0", "LossMSE", false),
        GRAPH_TWO_IN_TWO_OUT(Architectures::twoInTwoOut, () -> Architectures.twoInTwoOutData(20, 11),
                () -> Architectures.twoInTwoOutData(10, 12), "trunk", "nats+LossMSE", true);

        final Supplier<Model> model;
        final Supplier<Object> train;
        final Supplier<Object> validation;
        final String lmnAt;
        final String unit;
        final boolean classifier;

        Case(Supplier<Model> model, Supplier<Object> train, Supplier<Object> validation, String lmnAt, String unit,
             boolean classifier) {
            this.model = model;
            this.train = train;
            this.validation = validation;
            this.lmnAt = lmnAt;
            this.unit = unit;
            this.classifier = classifier;
        }
    }

    static void fit(Model m, Object data) {
        if (m instanceof MultiLayerNetwork n) {
            n.fit((DataSet) data);
        } else {
            ComputationGraph g = (ComputationGraph) m;
            if (data instanceof DataSet d) {
                g.fit(d);
            } else {
                g.fit((MultiDataSet) data);
            }
        }
    }

    /** DL4J's own score at the model's current weights, without regularization. */
    static double ownLoss(Model m, Object data) {
        if (m instanceof MultiLayerNetwork n) {
            return n.score((DataSet) data, false) - n.calcRegularizationScore(true);
        }
        ComputationGraph g = (ComputationGraph) m;
        double s = data instanceof DataSet d ? g.score(d, false) : g.score((MultiDataSet) data, false);
        return s - g.calcRegularizationScore(true);
    }

    static double regularization(Model m) {
        return m instanceof MultiLayerNetwork n ? n.calcRegularizationScore(true)
                : ((ComputationGraph) m).calcRegularizationScore(true);
    }

    static ComplexityListener.Builder withData(ComplexityListener.Builder b, Object train, Object validation) {
        if (train instanceof DataSet d) {
            b.trainData(d).validationData((DataSet) validation);
        } else {
            b.trainData((MultiDataSet) train).validationData((MultiDataSet) validation);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void recordsTheModelsOwnLossAndChangesNothing(Case c) {
        Model plain = c.model.get();
        Model watched = c.model.get();
        Object train = c.train.get();
        Object validation = c.validation.get();
        ComplexityListener l = withData(ComplexityListener.builder(), train, validation).everyIterations(3)
                .lmnAt(c.lmnAt).lmnPoints(12).model(watched).build();
        watched.setListeners(l);
        TestEstimators.assertNothingEscapes("fit with the listener", () -> {
            for (int i = 0; i < 6; i++) {
                fit(plain, train);
                fit(watched, train);
            }
            l.close();
        });
        ListenerContract.assertBitIdentical(List.of(plain.params().data().asFloat()),
                List.of(watched.params().data().asFloat()));
        List<ComplexityRecord> h = l.history();
        assertEquals(List.of(3L, 6L), h.stream().map(ComplexityRecord::step).toList());
        ComplexityRecord last = h.get(1);
        double trainLoss = ownLoss(watched, train);
        double validationLoss = ownLoss(watched, validation);
        assertEquals(trainLoss, last.trainLoss(), 1e-5 * Math.abs(trainLoss), "train loss");
        assertEquals(validationLoss, last.validationLoss(), 1e-5 * Math.abs(validationLoss), "validation loss");
        assertTrue(regularization(watched) > 0, "the model has a regularization score to leave out");
        assertEquals(c.unit, last.lossUnit());
        for (ComplexityRecord r : h) {
            if (c.classifier) {
                assertTrue(r.trainAccuracy() >= 0 && r.trainAccuracy() <= 1, "train accuracy " + r.trainAccuracy());
                assertTrue(r.validationAccuracy() >= 0 && r.validationAccuracy() <= 1,
                        "validation accuracy " + r.validationAccuracy());
            } else {
                assertTrue(Double.isNaN(r.trainAccuracy()), "no accuracy for a regression");
            }
            for (ComplexityEstimate e : r.estimates()) {
                assertTrue(e.succeeded(), c + " " + e.estimator() + ": " + e.failure());
            }
            assertTrue(r.estimate("lmn").isPresent());
        }
    }

    @Test
    void sequenceAccuracyCountsUnmaskedTimeStepsAndStaysAtMostOne() {
        MultiLayerNetwork net = Architectures.lstm();
        DataSet d = Architectures.sequences(16, 6, 3);
        Dl4jModels.Evaluation e = Dl4jModels.evaluate(net, d);
        org.nd4j.linalg.api.ndarray.INDArray out = net.output(d.getFeatures(), false, null, d.getLabelsMaskArray());
        long correct = 0;
        long counted = 0;
        for (int i = 0; i < 16; i++) {
            for (int t = 0; t < 6; t++) {
                if (d.getLabelsMaskArray().getDouble(i, t) == 0) {
                    continue;
                }
                counted++;
                int predicted = out.getDouble(i, 1, t) > out.getDouble(i, 0, t) ? 1 : 0;
                int truth = d.getLabels().getDouble(i, 1, t) > 0.5 ? 1 : 0;
                correct += predicted == truth ? 1 : 0;
            }
        }
        assertTrue(counted < 16 * 6, "the mask hides some steps");
        assertEquals(correct / (double) counted, e.accuracy(), 1e-12);
        assertEquals(net.score(d, false) - net.calcRegularizationScore(true), e.loss(), 1e-5 * e.loss());
    }

    @Test
    void nanOutputsGiveNanLossAndAccuracy() {
        MultiLayerNetwork cnn = Architectures.cnn();
        cnn.getLayer(3).getParam("W").putScalar(0, 0, Float.NaN);
        Dl4jModels.Evaluation e = Dl4jModels.evaluate(cnn, Architectures.images(8, 1));
        assertTrue(Double.isNaN(e.loss()), "loss " + e.loss());
        assertTrue(Double.isNaN(e.accuracy()), "accuracy " + e.accuracy());
        MultiLayerNetwork reg = Architectures.regression();
        reg.getLayer(0).getParam("b").putScalar(0, Float.NaN);
        Dl4jModels.Evaluation r = Dl4jModels.evaluate(reg, Architectures.regressionData(8, 1));
        assertTrue(Double.isNaN(r.loss()), "loss " + r.loss());
        assertTrue(Double.isNaN(Dl4jModels.trainLoss(reg, Architectures.regressionData(8, 1)).loss(
                Dl4jModels.snapshot(reg))));
    }

    @Test
    void iteratorsAndSubsetsEvaluateTheSameExamples() {
        MultiLayerNetwork net = Architectures.lstm();
        DataSet d = Architectures.sequences(23, 6, 3);
        double whole = Dl4jModels.evaluate(net, d).loss();
        double streamed = Dl4jModels.evaluate(net, Dl4jData.of(ListIterators.batches(d, 5))).loss();
        assertEquals(whole, streamed, 1e-6 * whole, "batches of 5 average to the whole set's mean");
        Dl4jData subset = Dl4jData.of(ListIterators.batches(d, 5)).subset(7, 42);
        assertEquals(7, subset.examples());
        assertEquals(23, subset.populationSize());
        assertEquals(Dl4jModels.evaluate(net, subset).loss(),
                Dl4jModels.evaluate(net, Dl4jData.of(d).subset(7, 42)).loss(), 0, "same seed, same examples");
        assertEquals(23, Dl4jData.of(d).subset(100, 1).examples());
        ComputationGraph g = Architectures.twoInTwoOut();
        MultiDataSet m = Architectures.twoInTwoOutData(20, 1);
        List<MultiDataSet> parts = new ArrayList<>();
        for (int from = 0; from < 20; from += 6) {
            parts.add(Dl4jData.slice(m, from, Math.min(20, from + 6)));
        }
        double graphWhole = Dl4jModels.evaluate(g, Dl4jData.of(m)).loss();
        assertEquals(g.score(m, false) - g.calcRegularizationScore(true), graphWhole, 1e-5 * graphWhole);
        assertEquals(graphWhole, Dl4jModels.evaluate(g, Dl4jData.of(ListIterators.batches(parts))).loss(),
                1e-6 * graphWhole);
    }

    @Test
    void aTrainSubsetIsEvaluatedInsteadOfTheWholeSet() {
        MultiLayerNetwork net = Architectures.cnn();
        DataSet d = Architectures.images(30, 4);
        ComplexityListener l = ComplexityListener.builder().trainData(ListIterators.batches(d, 7)).trainSubset(10, 7)
                .estimators(List.of()).build();
        l.measureNow(net, 0, 0);
        l.close();
        double expected = Dl4jModels.evaluate(net, Dl4jData.of(d).subset(10, 7)).loss();
        assertEquals(expected, l.history().get(0).trainLoss(), 1e-6 * expected);
        assertTrue(Math.abs(Dl4jModels.evaluate(net, d).loss() - expected) > 1e-9, "a subset, not the whole set");
    }

    @Test
    void invalidLmnPositionsAreRejectedAtBuildListingTheValidOnes() {
        MultiLayerNetwork cnn = Architectures.cnn();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComplexityListener.builder().trainData(Architectures.images(8, 1)).model(cnn).lmnLayer(7).build());
        assertTrue(e.getMessage().contains("valid positions: [0, 1, 2, 3, 4]"), e.getMessage());
        MultiLayerNetwork emb = Architectures.embedding();
        e = assertThrows(IllegalArgumentException.class,
                () -> ComplexityListener.builder().trainData(Architectures.tokens(8, 1)).model(emb).lmnLayer(0).build());
        assertTrue(e.getMessage().contains("valid positions: [1, 2]"), e.getMessage());
        ComputationGraph g = Architectures.twoInTwoOut();
        e = assertThrows(IllegalArgumentException.class, () -> ComplexityListener.builder()
                .trainData(Architectures.twoInTwoOutData(8, 1)).model(g).lmnAt("da").build());
        assertTrue(e.getMessage().contains("valid positions: [trunk, cls, reg]")
                || e.getMessage().contains("valid positions: [trunk, reg, cls]"), e.getMessage());
    }

    @Test
    void aBadLmnPositionFailsTheLmnEstimateAlone() {
        MultiLayerNetwork cnn = Architectures.cnn();
        DataSet d = Architectures.images(16, 1);
        ComplexityListener l = ComplexityListener.builder().trainData(d).lmnLayer(9).everyIterations(2).build();
        cnn.setListeners(l);
        for (int i = 0; i < 2; i++) {
            cnn.fit(d);
        }
        l.close();
        ComplexityRecord r = l.history().get(0);
        String reason = r.estimate("lmn").orElseThrow().failure().orElseThrow();
        assertTrue(reason.contains("valid positions: [0, 1, 2, 3, 4]"), reason);
        for (String other : List.of("coarse-grained", "spectral-entropy", "pruning-mdl")) {
            assertTrue(r.estimate(other).orElseThrow().succeeded(), other);
        }
        assertTrue(Double.isFinite(r.trainLoss()));
    }

    /** maxOverhead: measurements are postponed, never the final state (measured at close). */
    @Test
    void maxOverheadStretchesTheIntervalAndKeepsTheFinalState() {
        MultiLayerNetwork net = Architectures.cnn();
        DataSet d = Architectures.images(16, 1);
        ComplexityListener l = ComplexityListener.builder().trainData(d).everyIterations(1).maxOverhead(0.05).build();
        net.setListeners(l);
        for (int i = 0; i < 8; i++) {
            net.fit(d);
        }
        assertTrue(l.monitor().postponed() > 0, "a coarse-grained measurement takes far more than 5% of a step");
        l.close();
        List<Long> steps = l.history().stream().map(ComplexityRecord::step).toList();
        assertEquals(1L, steps.get(0));
        assertEquals(8L, steps.get(steps.size() - 1), "the final state is measured at close: " + steps);
        assertTrue(steps.size() < 8, steps.toString());
    }

    @Test
    void oneListenerMeasuresOneModel() {
        MultiLayerNetwork a = Architectures.regression();
        MultiLayerNetwork b = Architectures.regression();
        DataSet d = Architectures.regressionData(10, 1);
        ComplexityListener l = ComplexityListener.builder().trainData(d).everyIterations(1).build();
        a.setListeners(l);
        b.setListeners(l);
        a.fit(d);
        TestEstimators.assertNothingEscapes("fit of a second model", () -> b.fit(d));
        a.fit(d);
        l.close();
        assertEquals(List.of(1L, 2L), l.history().stream().map(ComplexityRecord::step).toList(),
                "the second model is refused, not measured");
        assertEquals(ownLoss(a, d), l.history().get(1).trainLoss(), 1e-5);
    }

    @Test
    void anUninitialisedModelIsNamedInWords() {
        MultiLayerNetwork raw = new MultiLayerNetwork(Architectures.regression().getLayerWiseConfigurations());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Dl4jModels.evaluate(raw, Architectures.regressionData(4, 1)));
        assertTrue(e.getMessage().contains("not initialised: call init()"), e.getMessage());
        ComplexityListener l = ComplexityListener.builder().trainData(Architectures.regressionData(4, 1)).build();
        TestEstimators.assertNothingEscapes("measureNow before init", () -> l.measureNow(raw, 0, 0));
        assertTrue(l.history().isEmpty());
        assertThrows(IllegalStateException.class, () -> ComplexityListener.builder().model(raw).build());
    }
}
