package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.weightnoise.WeightNoise;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.spectral.SpectralEntropy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Issue 12, penalties: the spectral-entropy penalty covers convolution kernels (as [out, in&middot;kh&middot;kw]),
 * LSTM input and recurrent weights and dense weights, with &beta; averaged over exactly those matrices; batch
 * norm and biases get neither penalty nor weight noise.
 */
class PenaltiesOnEveryMatrixTest {

    static final double BETA = 0.1;

    /** H of a parameter as the matrix [rows, cols] of its layout. */
    static double entropy(INDArray param, int rows, int cols, char order) {
        double[] a = param.castTo(DataType.DOUBLE).reshape(order, rows, cols).dup('c').data().asDouble();
        return SpectralEntropy.analyze(rows, cols, a, false, LinearAlgebra.getDefault()).entropy();
    }

    @Test
    void theCnnsPenaltyIsBetaTimesTheMeanEntropyOfItsConvAndDenseMatrices() {
        MultiLayerConfiguration conf = Architectures.cnn().getLayerWiseConfigurations().clone();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (conf.getConf(i).getLayer() instanceof BaseLayer b) {
                b.setRegularization(List.of());
                b.setRegularizationBias(List.of());
            }
        }
        assertEquals(List.of("0_W [4 x 9]", "3_W [36 x 8]", "4_W [8 x 3]"), SpectralEntropyRegularization.penalised(conf),
                "the conv kernel [4, 1, 3, 3] as [out, in*kh*kw]; no batch-norm parameter, no bias");
        assertEquals(3, Dl4jRegularization.spectralEntropy(conf, BETA));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double expected = BETA / 3 * (entropy(net.getParam("0_W"), 4, 9, 'c') + entropy(net.getParam("3_W"), 36, 8, 'f')
                + entropy(net.getParam("4_W"), 8, 3, 'f'));
        assertEquals(expected, net.calcRegularizationScore(true), 1e-6 * expected);
    }

    @Test
    void theConvKernelsGradientIsTheEntropysGradientInItsLayout() {
        // one SGD step with and without the penalty, from the same weights: the difference is -lr * beta/k * dH/dW
        double lr = 0.5;
        DataSet d = Architectures.images(8, 1);
        MultiLayerNetwork with = sgd(true, lr);
        MultiLayerNetwork without = sgd(false, lr);
        without.setParams(with.params().dup());
        INDArray before = with.getParam("0_W").castTo(DataType.DOUBLE).dup();
        with.fit(d);
        without.fit(d);
        INDArray diff = with.getParam("0_W").castTo(DataType.DOUBLE).sub(without.getParam("0_W").castTo(DataType.DOUBLE));
        double[] w = before.reshape('c', 4, 9).dup('c').data().asDouble();
        double[] g = SpectralEntropy.analyze(4, 9, w, true, LinearAlgebra.getDefault()).gradient().orElseThrow();
        double[] got = diff.reshape('c', 4, 9).dup('c').data().asDouble();
        double[] want = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            want[i] = -lr * BETA / 3 * g[i];
        }
        assertArrayEquals(want, got, 1e-5 * maxAbs(want), "the conv kernel's update carries the penalty's gradient");
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static MultiLayerNetwork sgd(boolean penalty, double lr) {
        MultiLayerConfiguration conf = Architectures.cnn().getLayerWiseConfigurations().clone();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (conf.getConf(i).getLayer() instanceof BaseLayer b) {
                b.setRegularization(List.of());
                b.setRegularizationBias(List.of());
                b.setIUpdater(new Sgd(lr));
                b.setBiasUpdater(new Sgd(lr));
            }
        }
        if (penalty) {
            SpectralEntropyRegularization.addToEveryLayer(conf, BETA);
        }
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    @Test
    void lstmWeightsAndRecurrentWeightsArePenalised() {
        MultiLayerConfiguration conf = Architectures.lstm().getLayerWiseConfigurations().clone();
        assertEquals(List.of("0_W [3 x 24]", "0_RW [6 x 24]", "1_W [6 x 2]"), SpectralEntropyRegularization.penalised(conf));
        SpectralEntropyRegularization.addToEveryLayer(conf, BETA);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double l2 = 0;
        for (String p : List.of("0_W", "0_RW", "1_W")) {
            INDArray w = net.getParam(p);
            l2 += 1e-3 * 0.5 * w.castTo(DataType.DOUBLE).mul(w.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
        }
        double h = BETA / 3 * (entropy(net.getParam("0_W"), 3, 24, 'f') + entropy(net.getParam("0_RW"), 6, 24, 'f')
                + entropy(net.getParam("1_W"), 6, 2, 'f'));
        assertEquals(h + l2, net.calcRegularizationScore(true), 1e-5 * (h + l2), "spectral entropy plus the l2 of the model");
    }

    @Test
    void batchNormAndBiasesGetNoNoiseOrPenalty() {
        MultiLayerConfiguration conf = Architectures.cnn().getLayerWiseConfigurations().clone();
        Dl4jRegularization.ours(conf, 1.0, BETA, 1e-2);
        BaseLayer bn = (BaseLayer) conf.getConf(1).getLayer();
        assertNull(bn.getWeightNoise(), "no weight noise on batch norm");
        assertTrue(bn.getRegularization() == null || bn.getRegularization().stream()
                .noneMatch(r -> r instanceof SpectralEntropyRegularization
                        || r instanceof org.nd4j.linalg.learning.regularization.WeightDecay), bn.getRegularization() + "");
        WeightNoise noise = (WeightNoise) ((BaseLayer) conf.getConf(0).getLayer()).getWeightNoise();
        assertTrue(!noise.isApplyToBias(), "weights only unless asked");
        Dl4jRegularization.weightNoise(conf, 1e-2, true);
        assertTrue(((WeightNoise) ((BaseLayer) conf.getConf(0).getLayer()).getWeightNoise()).isApplyToBias());
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()), "JSON round trip, row-major kernels included");
    }
}
