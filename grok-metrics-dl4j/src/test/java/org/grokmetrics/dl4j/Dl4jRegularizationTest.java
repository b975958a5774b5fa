package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.weightnoise.WeightNoise;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

class Dl4jRegularizationTest {

    static MultiLayerConfiguration ours() {
        return Dl4jRegularization.ours(ModularData.mlp(7, 16, 9, DataType.FLOAT), 1.0, 0.1, 1e-2);
    }

    @Test
    void oursSetsEachConditionExactlyOncePerLayer() {
        MultiLayerConfiguration conf = ours();
        Dl4jRegularization.ours(conf, 1.0, 0.1, 1e-2); // twice: still once each
        for (int i = 0; i < 3; i++) {
            BaseLayer b = (BaseLayer) conf.getConf(i).getLayer();
            List<Regularization> regs = b.getRegularization();
            assertEquals(1, regs.stream().filter(r -> r instanceof WeightDecay).count(), regs.toString());
            assertEquals(1, regs.stream().filter(r -> r instanceof SpectralEntropyRegularization).count(), regs.toString());
            assertInstanceOf(WeightNoise.class, b.getWeightNoise());
        }
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()), "JSON round trip");
        assertThrows(IllegalArgumentException.class, () -> Dl4jRegularization.weightNoise(conf, -1));
        assertThrows(IllegalArgumentException.class, () -> Dl4jRegularization.decoupledWeightDecay(conf, Double.NaN));
    }

    /** Weight noise draws from ND4J's global RNG: train one net after the other, each from the same seed. */
    static MultiLayerNetwork train(DataSet d, ComplexityListener listener) {
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(1234);
        MultiLayerNetwork net = new MultiLayerNetwork(ours());
        net.init();
        if (listener != null) {
            net.setListeners(listener);
        }
        for (int i = 0; i < 12; i++) {
            net.fit(d);
        }
        return net;
    }

    @Test
    void oursTrainsAndTheListenerStillChangesNothing() {
        DataSet[] d = ModularData.split(7, 0.5, 8);
        MultiLayerNetwork plain = train(d[0], null);
        MultiLayerNetwork again = train(d[0], null);
        assertTrue(java.util.Arrays.equals(plain.params().data().asFloat(), again.params().data().asFloat()),
                "reproducible from the seed");
        ComplexityListener l = ComplexityListener.builder().trainData(d[0]).everyIterations(3).build();
        MultiLayerNetwork watched = train(d[0], l);
        l.close();
        assertTrue(java.util.Arrays.equals(plain.params().data().asFloat(), watched.params().data().asFloat()),
                "bit-identical with weight noise: the listener draws no random numbers");
        assertEquals(4, l.history().size());
        MultiLayerNetwork noNoise = new MultiLayerNetwork(ModularData.mlp(7, 16, 9, DataType.FLOAT));
        noNoise.init();
        assertNotEquals(noNoise.params(), plain.params());
    }
}
