package org.grokmetrics.examples.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.grokmetrics.dl4j.Dl4jRegularization;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The MLPs of {@link MlpModel} as DL4J configurations. Layer 1's output is "the first hidden layer" of the
 * LMN paper; LMN is measured from layer 2 (its input) to the logits. AdamW is {@code Adam(lr, 0.9, 0.999,
 * 1e-8)} + decoupled weight decay, set once per layer ({@link Dl4jRegularization}); SiLU is
 * {@link StableSilu} (ND4J's own swish has a NaN derivative above 44 in float32).
 */
public final class Dl4jMlps {

    /** Layer index whose input is the first hidden layer's activations: LMN's sub-network starts here. */
    public static final int LMN_FROM_LAYER = 2;

    private Dl4jMlps() {
    }

    /**
     * The seed given to DL4J for a user's seed: DL4J 1.0.0-M2.1 treats a configuration seed of 0 as "no
     * seed" and initialises randomly, so 0 must never reach it.
     */
    public static long dl4jSeed(long seed) {
        long s = seed ^ 0x5DEECE66DL;
        return s == 0 ? 1 : s;
    }

    /**
     * {@link MlpModel#PAPER}: embedding table N(0, 1) shared by both operands, concatenated; dense layers with
     * weights U(&minus;1/&radic;fan_in, 1/&radic;fan_in) (DL4J's {@code WeightInit.UNIFORM}; the biases are drawn
     * by {@link MlpModel#network}); weight decay on weights and biases.
     */
    static MultiLayerConfiguration paper(MlpModel.Spec s) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(dl4jSeed(s.seed()))
                .dataType(s.dataType()).weightInit(WeightInit.UNIFORM)
                .updater(new Adam(s.learningRate(), 0.9, 0.999, 1e-8))
                .list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(s.vocab()).nOut(s.embed()).inputLength(2)
                        .hasBias(false).weightInit(new NormalDistribution(0, 1)).build())
                .inputPreProcessor(1, new OperandConcat(2))
                .layer(new DenseLayer.Builder().nIn(2 * s.embed()).nOut(s.hidden()).activation(new StableSilu()).build())
                .layer(new DenseLayer.Builder().nIn(s.hidden()).nOut(s.hidden()).activation(new StableSilu()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(s.hidden()).nOut(s.classes())
                        .activation(Activation.SOFTMAX).build())
                .build();
        Dl4jRegularization.decoupledWeightDecay(conf, s.weightDecay(), true);
        return conf;
    }

    /**
     * {@link MlpModel#ONE_HOT_LINEAR}: the two operands one-hot (2&middot;vocab inputs), a linear layer without
     * bias (2&middot;embed outputs), then hidden &rarr; hidden with SiLU, then the softmax output; Xavier
     * initialisation, zero biases, weight decay on weights only.
     */
    static MultiLayerConfiguration oneHotLinear(MlpModel.Spec s) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(dl4jSeed(s.seed()))
                .dataType(s.dataType()).weightInit(WeightInit.XAVIER)
                .updater(new Adam(s.learningRate(), 0.9, 0.999, 1e-8))
                .list()
                .layer(new DenseLayer.Builder().nIn(2 * s.vocab()).nOut(2 * s.embed()).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nIn(2 * s.embed()).nOut(s.hidden()).activation(new StableSilu()).build())
                .layer(new DenseLayer.Builder().nIn(s.hidden()).nOut(s.hidden()).activation(new StableSilu()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(s.hidden()).nOut(s.classes())
                        .activation(Activation.SOFTMAX).build())
                .build();
        Dl4jRegularization.decoupledWeightDecay(conf, s.weightDecay(), false);
        return conf;
    }

    /**
     * The one-hot-linear model in float32.
     *
     * @deprecated use {@link MlpModel#configuration} with {@link MlpModel#ONE_HOT_LINEAR} (this model) or
     *             {@link MlpModel#PAPER} (the LMN paper's)
     */
    @Deprecated
    public static MultiLayerConfiguration lmnPaper(int vocab, int classes, int embed, int hidden, double lr, double wd,
                                                   long seed) {
        return oneHotLinear(new MlpModel.Spec(vocab, classes, embed, hidden, lr, wd, seed, DataType.FLOAT));
    }
}
