package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.lmn.LinearMappingNumber;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class Dl4jModelsTest {

    @Test
    void snapshotCopiesNamesShapesAndValues() {
        MultiLayerNetwork net = ModularData.net(5, 8, 1);
        ParameterSnapshot p = Dl4jModels.snapshot(net);
        assertEquals(java.util.List.of("0_W", "0_b", "1_W", "1_b", "2_W", "2_b"), p.names());
        assertArrayEquals(new int[] {10, 8}, p.get("0_W").shape());
        assertEquals(net.numParams(), p.size());
        INDArray w = net.getParam("1_W");
        assertEquals(w.getFloat(2, 3), p.get("1_W").get(2 * 8 + 3));
        // a copy: changing the net leaves the snapshot alone
        w.putScalar(2, 3, 42f);
        assertTrue(p.get("1_W").get(2 * 8 + 3) != 42f);
        // load puts values back
        Dl4jModels.load(net, p);
        assertEquals(p, Dl4jModels.snapshot(net));
        var bad = assertThrows(IllegalArgumentException.class,
                () -> Dl4jModels.load(net, ParameterSnapshot.of(p.tensors().subList(0, 2))));
        assertTrue(bad.getMessage().contains("snapshot has 2 tensors"), bad.getMessage());
    }

    @Test
    @SuppressWarnings("deprecation")
    void evaluateReturnsTheDeprecatedArraysValuesAsARecord() {
        MultiLayerNetwork net = ModularData.net(7, 16, 2);
        DataSet[] d = ModularData.split(7, 0.5, 3);
        net.fit(d[0]);
        Dl4jModels.Evaluation e = Dl4jModels.evaluate(net, d[1]);
        double[] la = Dl4jModels.lossAndAccuracy(net, d[1]);
        assertEquals(la[0], e.loss());
        assertEquals(la[1], e.accuracy());
        assertEquals(e, Dl4jModels.evaluate(net, d[1]), "the same weights, the same evaluation");
    }

    @Test
    @SuppressWarnings("deprecation")
    void crossEntropyAgreesWithDl4jScoreAndOracleLeavesTheModelAlone() {
        MultiLayerNetwork net = ModularData.net(7, 16, 2);
        DataSet[] d = ModularData.split(7, 0.5, 3);
        for (int i = 0; i < 20; i++) {
            net.fit(d[0]);
        }
        double[] la = Dl4jModels.lossAndAccuracy(net, d[0]);
        // unregularized MCXENT: DL4J's own score is the same mean cross-entropy
        assertEquals(net.score(d[0]), la[0], 1e-5 * Math.max(1, la[0]));
        assertTrue(la[1] >= 0 && la[1] <= 1);
        ParameterSnapshot before = Dl4jModels.snapshot(net);
        LossOracle oracle = Dl4jModels.trainLoss(net, d[0]);
        ParameterSnapshot zeros = before.map(t -> t.withData(new float[t.size()]));
        double uniform = oracle.loss(zeros);
        assertEquals(Math.log(7), uniform, 1e-5, "zero weights give uniform predictions");
        assertEquals(la[0], oracle.loss(before), 1e-6);
        assertEquals(before, Dl4jModels.snapshot(net), "the trained model is untouched");
    }

    @Test
    void subNetworkGivesTheLogitsOfTheModel() {
        MultiLayerNetwork net = ModularData.net(5, 8, 4);
        DataSet d = ModularData.split(5, 1.0, 1)[0];
        for (int from = 1; from <= 2; from++) {
            double[][] reps = Dl4jModels.representations(net, d.getFeatures(), from);
            FunctionOracle f = Dl4jModels.subNetwork(net, from);
            assertInstanceOf(FactoredFunctionOracle.class, f);
            double[][] logits = f.apply(reps);
            INDArray probs = net.output(d.getFeatures(), false).castTo(DataType.DOUBLE);
            for (int i = 0; i < reps.length; i++) {
                double max = java.util.Arrays.stream(logits[i]).max().orElseThrow();
                double z = java.util.Arrays.stream(logits[i]).map(v -> Math.exp(v - max)).sum();
                for (int k = 0; k < logits[i].length; k++) {
                    assertEquals(probs.getDouble(i, k), Math.exp(logits[i][k] - max) / z, 1e-5);
                }
            }
            double factored = LinearMappingNumber.lmn(f, reps);
            FunctionOracle plain = f::apply;
            assertEquals(LinearMappingNumber.lmn(plain, reps), factored, 1e-3 * factored);
        }
        assertThrows(IllegalArgumentException.class, () -> Dl4jModels.subNetwork(net, 3));
    }
}
