package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.spectral.SpectralEntropy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class SpectralEntropyRegularizationTest {

    @Test
    void passesDl4jGradientCheckInDoublePrecision() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerConfiguration conf = ModularData.mlp(5, 6, 7, DataType.DOUBLE, new org.nd4j.linalg.learning.config.NoOp());
            assertEquals(3, SpectralEntropyRegularization.addToEveryLayer(conf, 1.5));
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            DataSet d = ModularData.split(5, 0.4, 2)[0];
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                    .input(d.getFeatures().castTo(DataType.DOUBLE)).labels(d.getLabels().castTo(DataType.DOUBLE))
                    .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8));
            assertTrue(ok, "gradient check");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    @Test
    void scoreAppearsInTheNetworkScore() {
        double beta = 0.3;
        MultiLayerConfiguration regConf = ModularData.mlp(5, 8, 3, DataType.FLOAT);
        SpectralEntropyRegularization.addToEveryLayer(regConf, 3 * beta); // beta per layer: 3 layers
        MultiLayerNetwork reg = new MultiLayerNetwork(regConf);
        reg.init();
        MultiLayerNetwork plain = new MultiLayerNetwork(ModularData.mlp(5, 8, 3, DataType.FLOAT));
        plain.init();
        DataSet d = ModularData.split(5, 0.5, 1)[0];
        double expected = 0;
        ParameterSnapshot p = Dl4jModels.snapshot(reg);
        for (Tensor t : p.tensors()) {
            if (t.name().endsWith("_W")) {
                expected += beta * SpectralEntropy.entropy(t);
            }
        }
        assertTrue(expected > 0);
        assertEquals(expected, reg.score(d) - plain.score(d), 1e-4);
    }

    @Test
    void addToEveryLayerGivesThePapersMeanPenaltyOnce() {
        MultiLayerConfiguration conf = ModularData.mlp(5, 8, 3, DataType.FLOAT);
        assertEquals(3, SpectralEntropyRegularization.addToEveryLayer(conf, 0.1));
        assertEquals(3, SpectralEntropyRegularization.addToEveryLayer(conf, 0.1), "idempotent");
        assertEquals(1, ((org.deeplearning4j.nn.conf.layers.BaseLayer) conf.getConf(0).getLayer()).getRegularization().size());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double meanH = SpectralEntropy.meanEntropy(ParameterSnapshot.of(Dl4jModels.snapshot(net).tensors().stream()
                .filter(t -> t.name().endsWith("_W")).toList()));
        assertEquals(0.1 * meanH, net.calcRegularizationScore(true), 1e-5);
    }

    @Test
    void jsonRoundTripAndValidation() {
        MultiLayerConfiguration conf = ModularData.mlp(5, 8, 3, DataType.FLOAT);
        SpectralEntropyRegularization.addToEveryLayer(conf, 0.1);
        String json = conf.toJson();
        assertTrue(json.contains("SpectralEntropyRegularization"), json);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        var layer = (org.deeplearning4j.nn.conf.layers.BaseLayer) back.getConf(1).getLayer();
        assertEquals(SpectralEntropyRegularization.forLayer(0.1 / 3, 8, 8), layer.getRegularization().get(0));
        assertThrows(IllegalArgumentException.class, () -> new SpectralEntropyRegularization(-1));
        assertThrows(IllegalArgumentException.class, () -> SpectralEntropyRegularization.forMean(0.1, 0));
        // vectors, biases and views of another length are safe: zero score, no gradient
        var bias = Nd4j.create(new float[] {1, 2, 3}, 1, 3);
        var grad = Nd4j.zeros(1, 3);
        new SpectralEntropyRegularization(1).apply(bias, grad, 0.1, 0, 0);
        SpectralEntropyRegularization.forLayer(1, 4, 3).apply(bias, grad, 0.1, 0, 0);
        assertEquals(0.0, grad.sumNumber().doubleValue());
        assertEquals(0.0, new SpectralEntropyRegularization(1).score(bias, 0, 0));
        var flat = Nd4j.create(new float[] {1, 2, 3});
        new SpectralEntropyRegularization(1).apply(flat, Nd4j.zeros(3), 0.1, 0, 0); // logs once, no gradient
        assertThrows(IllegalArgumentException.class, () -> SpectralEntropyRegularization.forLayer(1, 0, 3));
    }
}
