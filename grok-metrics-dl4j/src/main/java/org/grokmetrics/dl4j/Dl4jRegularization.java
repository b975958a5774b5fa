package org.grokmetrics.dl4j;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.weightnoise.WeightNoise;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * The training conditions of DeMoss et al. on a built {@link MultiLayerConfiguration}, each set exactly
 * once per layer (call before {@code new MultiLayerNetwork(conf)}).
 *
 * <p>Why not the configuration builder: in DL4J 1.0.0-M2.1, {@code NeuralNetConfiguration.Builder.weightDecay(c, true)}
 * and {@code .regularization(List)} put every regularization into each layer <em>twice</em>, so "AdamW
 * with weight decay 1.0" silently becomes weight decay 2.0. These helpers replace any existing
 * {@link WeightDecay} or {@link SpectralEntropyRegularization} on a layer instead of adding another.
 * Biases and normalisation layers' parameters ({@code BatchNormalization}) get no penalty and no noise
 * unless asked ({@link #weightNoise(MultiLayerConfiguration, double, boolean)}).
 *
 * <ul>
 *   <li>{@link #decoupledWeightDecay}: AdamW's decoupled decay, {@code WeightDecay(c, applyLR = true)} with
 *       an {@code Adam} updater (DL4J has no AdamW class).</li>
 *   <li>{@link #weightNoise}: forward and backward at &theta; + &delta;&middot;N(0, 1), fresh noise each
 *       step, the update applied to the clean &theta; (DL4J's additive {@link WeightNoise}, on weights;
 *       biases only if asked): SPEC &sect;2's noisy-weight training.</li>
 *   <li>{@link #spectralEntropy}: &beta;&middot;mean H over the weight matrices, convolution kernels as
 *       [out, in&middot;kh&middot;kw] ({@link SpectralEntropyRegularization#addToEveryLayer}).</li>
 *   <li>{@link #ours}: all three, the paper's "ours" condition (wd 1.0, &beta; 0.1, &delta; 1e-2 or 1e-3).</li>
 * </ul>
 */
public final class Dl4jRegularization {

    private Dl4jRegularization() {
    }

    /** The layers with weights to regularise: every {@link BaseLayer} except normalisation layers. */
    private static List<BaseLayer> layers(MultiLayerConfiguration conf) {
        List<BaseLayer> out = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (conf.getConf(i).getLayer() instanceof BaseLayer b
                    && !(b instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization)) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * One {@code WeightDecay(coefficient, true)} on every layer's weights (not its biases).
     *
     * @param conf        the configuration, changed in place
     * @param coefficient the decoupled decay coefficient (DL4J multiplies it by the learning rate), finite and
     *                    {@code >= 0}; 0 removes the layers' weight decay
     * @return the number of layers changed
     * @throws IllegalArgumentException if the coefficient is negative or not finite
     */
    public static int decoupledWeightDecay(MultiLayerConfiguration conf, double coefficient) {
        return decoupledWeightDecay(conf, coefficient, false);
    }

    /**
     * One {@code WeightDecay(coefficient, true)} on every layer's weights and, if {@code biasesToo}, on its
     * biases as well. DL4J routes bias parameters to a layer's separate {@code regularizationBias} list, so
     * weight decay set on a layer never reaches its biases; PyTorch's {@code AdamW(model.parameters())} decays
     * every parameter, biases and embeddings included: {@code biasesToo = true} is that optimiser.
     *
     * @param conf        the configuration, changed in place
     * @param coefficient the decoupled decay coefficient (DL4J multiplies it by the learning rate), finite and
     *                    {@code >= 0}; 0 removes the layers' weight decay
     * @param biasesToo   whether the biases are decayed as well
     * @return the number of layers changed
     * @throws IllegalArgumentException if the coefficient is negative or not finite
     */
    public static int decoupledWeightDecay(MultiLayerConfiguration conf, double coefficient, boolean biasesToo) {
        if (!(coefficient >= 0) || Double.isInfinite(coefficient)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, was " + coefficient);
        }
        List<BaseLayer> ls = layers(conf);
        for (BaseLayer b : ls) {
            b.setRegularization(withDecay(b.getRegularization(), coefficient));
            if (biasesToo) {
                b.setRegularizationBias(withDecay(b.getRegularizationBias(), coefficient));
            }
        }
        return ls.size();
    }

    private static List<Regularization> withDecay(List<Regularization> current, double coefficient) {
        List<Regularization> list = new ArrayList<>(current == null ? List.of() : current);
        list.removeIf(r -> r instanceof WeightDecay);
        if (coefficient > 0) {
            list.add(new WeightDecay(coefficient, true));
        }
        return list;
    }

    /**
     * Additive Gaussian weight noise &delta;&middot;N(0, 1) on every layer's weights (not biases, not
     * normalisation layers: {@link #weightNoise(MultiLayerConfiguration, double, boolean)} to include biases).
     *
     * @param conf  the configuration, changed in place
     * @param delta the noise's standard deviation &delta;, finite and {@code >= 0}; 0 removes the layers' noise
     * @return the number of layers changed
     * @throws IllegalArgumentException if delta is negative or not finite
     */
    public static int weightNoise(MultiLayerConfiguration conf, double delta) {
        return weightNoise(conf, delta, false);
    }

    /**
     * Additive Gaussian weight noise &delta;&middot;N(0, 1) on every layer's weights, and biases too if
     * {@code biases}; normalisation layers (batch norm) get none.
     *
     * @param conf   the configuration, changed in place
     * @param delta  the noise's standard deviation &delta;, finite and {@code >= 0}; 0 removes the layers' noise
     * @param biases whether the biases get noise as well
     * @return the number of layers changed
     * @throws IllegalArgumentException if delta is negative or not finite
     */
    public static int weightNoise(MultiLayerConfiguration conf, double delta, boolean biases) {
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("weight noise delta must be finite and >= 0, was " + delta);
        }
        List<BaseLayer> ls = layers(conf);
        for (BaseLayer b : ls) {
            b.setWeightNoise(delta == 0 ? null : new WeightNoise(new NormalDistribution(0, delta), biases, true));
        }
        return ls.size();
    }

    /**
     * &beta;&middot;mean spectral entropy over the weight matrices
     * ({@link SpectralEntropyRegularization#addToEveryLayer(MultiLayerConfiguration, double)}).
     *
     * @param conf the configuration, changed in place
     * @param beta the coefficient of the mean entropy, finite and {@code >= 0}
     * @return the number of layers changed
     */
    public static int spectralEntropy(MultiLayerConfiguration conf, double beta) {
        return SpectralEntropyRegularization.addToEveryLayer(conf, beta);
    }

    /**
     * DeMoss et al.'s "ours": decoupled weight decay, spectral-entropy penalty and weight noise.
     *
     * @param conf        the configuration, changed in place
     * @param weightDecay the decoupled weight decay coefficient on the weights, finite and {@code >= 0}
     * @param beta        the coefficient of the mean spectral entropy, finite and {@code >= 0}
     * @param delta       the standard deviation of the weight noise, finite and {@code >= 0}
     * @return the configuration, for chaining
     */
    public static MultiLayerConfiguration ours(MultiLayerConfiguration conf, double weightDecay, double beta, double delta) {
        decoupledWeightDecay(conf, weightDecay);
        spectralEntropy(conf, beta);
        weightNoise(conf, delta);
        return conf;
    }
}
