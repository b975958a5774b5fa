package org.grokmetrics.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.testing.ListenerContract;
import org.grokmetrics.testing.TestEstimators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 12 on DJL networks users train ({@link DjlArchitectures}): recorded losses equal DJL's own
 * {@code Loss.evaluate} of the block at the same weights, accuracies are in [0, 1] for classifiers and NaN for a
 * regression, training is bit-identical with the listener, and LMN works at convolutional, recurrent, nested and
 * post-join positions (native shapes).
 */
class ArchitecturesTrainingListenerTest {

    /** DJL's own mean loss of the model's block at its current weights. */
    static double ownLoss(Model model, Loss loss, NDList[] d) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList x = new NDList();
            NDList y = new NDList();
            d[0].forEach(a -> x.add(a.duplicate()));
            d[1].forEach(a -> y.add(a.duplicate()));
            NDList out = model.getBlock().forward(new ParameterStore(m, false), x, false);
            return loss.evaluate(y, out).getFloat();
        }
    }

    @ParameterizedTest
    @CsvSource({"CONV_BN,02BatchNorm", "CONV_BN,04LambdaBlock", "LSTM_SEQUENCE,01LSTM", "LSTM_SEQUENCE,02Linear",
        "PARALLEL_TWO_INPUTS,02LambdaBlock", "RESIDUAL,02ParallelBlock", "RESIDUAL,04SequentialBlock/02LambdaBlock",
        "REGRESSION_L2,03Linear"})
    void recordsTheModelsOwnLossAndChangesNothing(DjlArchitectures a, String lmnAt) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList[] train = a.data(m, 24, 1);
            NDList[] validation = a.data(m, 12, 2);
            ArrayDataset ds = DjlArchitectures.dataset(train, 8);
            List<float[]> plain;
            Pair<Model, Trainer> p = a.trainer(5, a::loss);
            try (Trainer t = p.getValue(); Model model = p.getKey()) {
                EasyTrain.fit(t, 2, ds, null);
                plain = ModularMlp.parameters(model);
            }
            ComplexityTrainingListener l = ComplexityTrainingListener.builder()
                    .trainData(LabeledData.of(train[0], train[1])).validationData(LabeledData.of(validation[0], validation[1]))
                    .everyEpochs(1).lmnAt(lmnAt).lmnPoints(10).build();
            Pair<Model, Trainer> w = a.trainer(5, a::loss, l);
            try (Trainer t = w.getValue(); Model model = w.getKey()) {
                TestEstimators.assertNothingEscapes("fit with the listener", () -> EasyTrain.fit(t, 2, ds, null));
                l.close();
                ListenerContract.assertBitIdentical(plain, ModularMlp.parameters(model));
                List<ComplexityRecord> h = l.history();
                assertEquals(List.of(3L, 6L), h.stream().map(ComplexityRecord::step).toList());
                ComplexityRecord last = h.get(1);
                double own = ownLoss(model, a.loss(), train);
                assertEquals(own, last.trainLoss(), 1e-6 * Math.max(1, Math.abs(own)), "train loss");
                double ownValidation = ownLoss(model, a.loss(), validation);
                assertEquals(ownValidation, last.validationLoss(), 1e-6 * Math.max(1, Math.abs(ownValidation)));
                assertEquals(a.classifier ? "nats" : "L2Loss", last.lossUnit());
                for (ComplexityRecord r : h) {
                    if (a.classifier) {
                        assertTrue(r.trainAccuracy() >= 0 && r.trainAccuracy() <= 1, "accuracy " + r.trainAccuracy());
                        assertTrue(r.validationAccuracy() >= 0 && r.validationAccuracy() <= 1);
                    } else {
                        assertTrue(Double.isNaN(r.trainAccuracy()), "no accuracy for a regression");
                    }
                    for (ComplexityEstimate e : r.estimates()) {
                        assertTrue(e.succeeded(), a + " " + e.estimator() + ": " + e.failure());
                    }
                    assertTrue(r.estimate("lmn").isPresent());
                }
            }
        }
    }

    @Test
    void sequenceAccuracyIsPerTimeStep() {
        DjlArchitectures a = DjlArchitectures.LSTM_SEQUENCE;
        try (NDManager m = NDManager.newBaseManager()) {
            NDList[] d = a.data(m, 7, 3);
            Pair<Model, Trainer> p = a.trainer(5, a::loss);
            try (Trainer t = p.getValue(); Model model = p.getKey()) {
                DjlModels.Evaluation e = DjlModels.evaluate(model.getBlock(), DjlModels.snapshot(model), a.loss(),
                        LabeledData.of(d[0], d[1]));
                NDList out = model.getBlock().forward(new ParameterStore(m, false), d[0], false);
                float[] scores = out.get(0).toFloatArray();
                float[] labels = d[1].get(0).toFloatArray();
                int correct = 0;
                int positions = labels.length / 2;
                for (int i = 0; i < positions; i++) {
                    int predicted = scores[2 * i + 1] > scores[2 * i] ? 1 : 0;
                    int truth = labels[2 * i + 1] > labels[2 * i] ? 1 : 0;
                    correct += predicted == truth ? 1 : 0;
                }
                assertEquals(35, positions, "7 sequences x 5 steps");
                assertEquals(correct / (double) positions, e.accuracy(), 1e-12);
                assertEquals(ownLoss(model, a.loss(), d), e.loss(), 1e-6);
            }
        }
    }

    @Test
    void nanOutputsGiveNanLossAndAccuracy() {
        DjlArchitectures a = DjlArchitectures.CONV_BN;
        try (NDManager m = NDManager.newBaseManager()) {
            NDList[] d = a.data(m, 6, 3);
            Pair<Model, Trainer> p = a.trainer(5, a::loss);
            try (Trainer t = p.getValue(); Model model = p.getKey()) {
                org.grokmetrics.api.ParameterSnapshot s = DjlModels.snapshot(model);
                List<org.grokmetrics.api.Tensor> ts = new java.util.ArrayList<>(s.tensors());
                org.grokmetrics.api.Tensor w = ts.get(0);
                float[] v = w.data().clone();
                v[0] = Float.NaN;
                ts.set(0, new org.grokmetrics.api.Tensor(w.name(), w.shape(), v));
                DjlModels.Evaluation e = DjlModels.evaluate(model.getBlock(), org.grokmetrics.api.ParameterSnapshot.of(ts),
                        a.loss(), LabeledData.of(d[0], d[1]));
                assertTrue(Double.isNaN(e.loss()), "loss " + e.loss());
                assertTrue(Double.isNaN(e.accuracy()), "accuracy " + e.accuracy());
            }
        }
    }

    @Test
    void invalidLmnPositionsAreRejectedAtBuildListingTheValidOnes() {
        Model model = Model.newInstance("residual");
        model.setBlock(DjlArchitectures.RESIDUAL.block());
        try (NDManager m = NDManager.newBaseManager(); model) {
            NDList[] d = DjlArchitectures.RESIDUAL.data(m, 4, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComplexityTrainingListener
                    .builder().trainData(LabeledData.of(d[0], d[1])).model(model).lmnAt("02ParallelBlock/01SequentialBlock")
                    .build());
            assertTrue(e.getMessage().contains("valid positions: [01Linear, 02ParallelBlock, 03LambdaBlock, "
                    + "04SequentialBlock, 04SequentialBlock/01Linear, 04SequentialBlock/02LambdaBlock, 05Linear]"),
                    e.getMessage());
        }
    }

    @Test
    void aBadLmnPositionFailsTheLmnEstimateAlone() throws Exception {
        DjlArchitectures a = DjlArchitectures.REGRESSION_L2;
        try (NDManager m = NDManager.newBaseManager()) {
            NDList[] d = a.data(m, 16, 1);
            ComplexityTrainingListener l = ComplexityTrainingListener.builder().trainData(LabeledData.of(d[0], d[1]))
                    .lmnAt("nope").everyEpochs(1).build();
            Pair<Model, Trainer> p = a.trainer(5, a::loss, l);
            try (Trainer t = p.getValue(); Model model = p.getKey()) {
                EasyTrain.fit(t, 1, DjlArchitectures.dataset(d, 8), null);
                l.close();
            }
            ComplexityRecord r = l.history().get(0);
            String reason = r.estimate("lmn").orElseThrow().failure().orElseThrow();
            assertTrue(reason.contains("valid positions: [01Linear, 02LambdaBlock, 03Linear]"), reason);
            for (String other : List.of("coarse-grained", "spectral-entropy", "pruning-mdl")) {
                assertTrue(r.estimate(other).orElseThrow().succeeded(), other);
            }
        }
    }

    @Test
    void oneListenerMeasuresOneTrainer() throws Exception {
        DjlArchitectures a = DjlArchitectures.REGRESSION_L2;
        try (NDManager m = NDManager.newBaseManager()) {
            NDList[] d = a.data(m, 16, 1);
            ComplexityTrainingListener l = ComplexityTrainingListener.builder().trainData(LabeledData.of(d[0], d[1]))
                    .everyBatches(1).build();
            Pair<Model, Trainer> first = a.trainer(5, a::loss, l);
            Pair<Model, Trainer> second = a.trainer(6, a::loss, l);
            try (Trainer t1 = first.getValue(); Model m1 = first.getKey(); Trainer t2 = second.getValue();
                 Model m2 = second.getKey()) {
                EasyTrain.fit(t1, 1, DjlArchitectures.dataset(d, 8), null);
                TestEstimators.assertNothingEscapes("the second trainer",
                        () -> EasyTrain.fit(t2, 1, DjlArchitectures.dataset(d, 8), null));
                assertEquals(2, l.steps(), "the second trainer's batches are not counted");
                l.close();
            }
        }
    }

    /** maxOverhead: due measurements are postponed, the final state is measured when the trainer closes. */
    @Test
    void maxOverheadStretchesTheIntervalAndKeepsTheFinalState() {
        DjlArchitectures a = DjlArchitectures.CONV_BN;
        try (NDManager m = NDManager.newBaseManager()) {
            NDList[] d = a.data(m, 32, 1);
            ComplexityTrainingListener l = ComplexityTrainingListener.builder().trainData(LabeledData.of(d[0], d[1]))
                    .everyBatches(1).maxOverhead(0.02).build();
            Pair<Model, Trainer> p = a.trainer(5, a::loss, l);
            try (Model model = p.getKey(); Trainer t = p.getValue()) {
                TestEstimators.assertNothingEscapes("fit", () -> EasyTrain.fit(t, 2, DjlArchitectures.dataset(d, 8), null));
            } // trainer.close() (first) fires onTrainingEnd
            l.close();
            List<Long> steps = l.history().stream().map(ComplexityRecord::step).toList();
            assertTrue(l.monitor().postponed() > 0, "measuring takes far more than 2% of a step");
            assertEquals(8L, steps.get(steps.size() - 1), "the final state after 8 steps: " + steps);
            assertTrue(steps.size() < 8, steps.toString());
        }
    }

    @Test
    void trainSubsetIsFixedSeededAndKeepsThePopulationSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList[] d = DjlArchitectures.RESIDUAL.data(m, 40, 1);
            LabeledData all = LabeledData.of(d[0], d[1]);
            LabeledData s = all.sample(9, 3);
            assertEquals(9, s.size());
            assertEquals(40, s.populationSize());
            try (NDManager k = NDManager.newBaseManager()) {
                assertEquals(s.features(k, 0, 9).get(0).toString(), all.sample(9, 3).features(k, 0, 9).get(0).toString());
            }
            long[] idx = LabeledData.sampleIndices(40, 9, 3);
            assertEquals(9, java.util.Arrays.stream(idx).distinct().count());
            assertTrue(java.util.Arrays.stream(idx).allMatch(i -> i >= 0 && i < 40));
        }
    }
}
