package org.grokmetrics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DjlModelsTest {

    private static ModularMlp data;
    private static Model model;
    private static Trainer trainer;

    @BeforeAll
    static void train() throws Exception {
        data = new ModularMlp(11, 0.6, 1, 32);
        Pair<Model, Trainer> mt = data.trainer(3, 24, Loss.softmaxCrossEntropyLoss());
        model = mt.getKey();
        trainer = mt.getValue();
        EasyTrain.fit(trainer, 3, data.train, null);
    }

    @AfterAll
    static void close() {
        trainer.close();
        model.close();
        data.close();
    }

    @Test
    void snapshotCopiesEveryParameterWithItsName() {
        ParameterSnapshot s = DjlModels.snapshot(model);
        assertEquals(List.of("01Linear_weight", "01Linear_bias", "03Linear_weight", "03Linear_bias"), s.names());
        assertArrayEquals(new int[] {24, 22}, s.get("01Linear_weight").shape());
        List<float[]> own = ModularMlp.parameters(model);
        for (int i = 0; i < own.size(); i++) {
            assertArrayEquals(own.get(i), s.tensors().get(i).data());
        }
    }

    @Test
    void lossOracleMatchesTheTrainersOwnForwardPass() {
        // reference: the trainer's own prediction path and the same loss, independent of the parameter store
        NDList pred = trainer.evaluate(new NDList(data.trainX));
        float expected = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(data.trainY), pred).getFloat();
        LossOracle oracle = DjlModels.lossOracle(model, Loss.softmaxCrossEntropyLoss(), data.trainData());
        assertEquals(expected, oracle.loss(DjlModels.snapshot(model)), 1e-5);
        NDArray predicted = pred.singletonOrThrow().argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        double acc = predicted.eq(data.trainY).sum().getLong() / (double) data.trainY.size();
        assertEquals(acc, DjlModels.evaluate(model.getBlock(), DjlModels.snapshot(model), Loss.softmaxCrossEntropyLoss(),
                data.trainData()).accuracy(), 1e-12);
    }

    @Test
    void zeroWeightsGiveUniformLogitsAndLossLnP() {
        ParameterSnapshot zero = DjlModels.snapshot(model).map(t -> t.withData(new float[t.size()]));
        double loss = DjlModels.lossOracle(model, Loss.softmaxCrossEntropyLoss(), data.trainData()).loss(zero);
        assertEquals(Math.log(11), loss, 1e-6);
    }

    @Test
    void oracleNeverWritesTheModelsParameters() {
        List<float[]> before = ModularMlp.parameters(model);
        ParameterSnapshot other = DjlModels.snapshot(model).map(t -> t.withData(scaled(t.data(), 0.5f)));
        LossOracle oracle = DjlModels.lossOracle(model, Loss.softmaxCrossEntropyLoss(), data.trainData());
        double a = oracle.loss(other);
        double b = oracle.loss(DjlModels.snapshot(model));
        assertNotEquals(a, b);
        List<float[]> after = ModularMlp.parameters(model);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i));
        }
    }

    @Test
    void wrongOrMissingWeightsAreNamed() {
        ParameterSnapshot s = DjlModels.snapshot(model);
        ParameterSnapshot wrong = s.with(Tensor.matrix("01Linear_weight", 2, 2, new float[4]));
        LossOracle oracle = DjlModels.lossOracle(model, Loss.softmaxCrossEntropyLoss(), data.trainData());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> oracle.loss(wrong));
        assertTrue(e.getMessage().contains("01Linear_weight"), e.getMessage());
        ParameterSnapshot missing = ParameterSnapshot.of(s.tensors().subList(1, 4));
        e = assertThrows(IllegalArgumentException.class, () -> oracle.loss(missing));
        assertTrue(e.getMessage().contains("01Linear_weight"), e.getMessage());
    }

    @Test
    void subNetworkAfterRepresentationsIsTheWholeModel() {
        ParameterSnapshot s = DjlModels.snapshot(model);
        DjlModels.Split split = DjlModels.split((SequentialBlock) model.getBlock(), "03Linear");
        double[][] h = DjlModels.representations(model.getBlock(), split.prefix(), s, data.trainData(), 10);
        assertEquals(10, h.length);
        assertEquals(24, h[0].length);
        FunctionOracle f = DjlModels.subNetwork(model.getBlock(), split.suffix(), s);
        assertInstanceOf(FactoredFunctionOracle.class, f);
        double[][] logits = f.apply(h);
        float[] full = trainer.evaluate(new NDList(data.trainX)).singletonOrThrow().toFloatArray();
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k < 11; k++) {
                assertEquals(full[i * 11 + k], logits[i][k], 1e-4);
            }
        }
        // from the first hidden layer: the activation then the output layer, not factored
        DjlModels.Split atRelu = DjlModels.split((SequentialBlock) model.getBlock(), "02LambdaBlock");
        FunctionOracle g = DjlModels.subNetwork(model.getBlock(), atRelu.suffix(), s);
        double[][] pre = DjlModels.representations(model.getBlock(), atRelu.prefix(), s, data.trainData(), 10);
        double[][] out = g.apply(pre);
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k < 11; k++) {
                assertEquals(full[i * 11 + k], out[i][k], 1e-4);
            }
        }
    }

    @Test
    void splitNamesTheChildren() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DjlModels.split((SequentialBlock) model.getBlock(), "nope"));
        assertTrue(e.getMessage().contains("01Linear"), e.getMessage());
        // before the first child: the representation is the model's input, the suffix the whole model
        DjlModels.Split first = DjlModels.split((SequentialBlock) model.getBlock(), "01Linear");
        assertTrue(first.prefix().getChildren().isEmpty());
        assertEquals(model.getBlock().getChildren().size(), first.suffix().getChildren().size());
    }

    @Test
    void labeledDataRejectsMismatchedRows() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabeledData.of(data.trainX, data.validY));
        assertTrue(e.getMessage().contains("rows"), e.getMessage());
        assertEquals(data.trainX.getShape().get(0), LabeledData.of(data.train).size());
    }

    private static float[] scaled(float[] v, float c) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= c;
        }
        return out;
    }
}
