package org.grokmetrics.examples.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.grokmetrics.dl4j.Dl4jRegularization;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The LMN paper's MLP on DL4J: the two operands one-hot (2&middot;vocab inputs), a linear embedding layer
 * without bias (2&middot;embed outputs: each operand's one-hot picks a row, so the layer is a learned
 * embedding of both operands), then hidden &rarr; hidden with SiLU, then the softmax output. Layer 1's
 * output is "the first hidden layer" of the paper; LMN is measured from layer 2 (its input) to the logits.
 * AdamW as {@code Adam} + decoupled weight decay, set once per layer.
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
     * @param vocab      input symbols per operand
     * @param classes    output classes
     * @param embed      embedding width per operand (paper: 32)
     * @param hidden     hidden width (paper: 100)
     * @param lr         Adam learning rate (paper: 1e-3)
     * @param wd         decoupled weight decay (paper: 0.2)
     * @param seed       initialisation seed
     */
    public static MultiLayerConfiguration lmnPaper(int vocab, int classes, int embed, int hidden, double lr, double wd,
                                                   long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(dl4jSeed(seed)).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(lr, 0.9, 0.999, 1e-8))
                .list()
                .layer(new DenseLayer.Builder().nIn(2 * vocab).nOut(2 * embed).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nIn(2 * embed).nOut(hidden).activation(Activation.SWISH).build())
                .layer(new DenseLayer.Builder().nIn(hidden).nOut(hidden).activation(Activation.SWISH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
        Dl4jRegularization.decoupledWeightDecay(conf, wd);
        return conf;
    }
}
