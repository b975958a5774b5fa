package org.grokmetrics.dl4j;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Tiny versions of the networks users train (issue 12), each with seeded data: a CNN with batch norm, an
 * LSTM and a SimpleRnn with RnnOutputLayer (label masks), a two-input two-output graph, an embedding model and
 * a regression MLP with MSE. Every model has L2 regularization, so that "without regularization" is tested.
 */
final class Architectures {

    private Architectures() {
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .updater(new Adam(1e-2)).l2(1e-3);
    }

    static INDArray gaussian(SplittableRandom r, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Nd4j.create(v, shape, 'c');
    }

    static INDArray oneHot(SplittableRandom r, int n, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, r.nextInt(classes), 1);
        }
        return y;
    }

    /** 1x8x8 images, 3 classes; conv, batch norm, pooling, dense, softmax. Layers 0 conv ... 4 output. */
    static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = base(11).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build();
        return init(conf);
    }

    static DataSet images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new DataSet(gaussian(r, n, 1, 8, 8), oneHot(r, n, 3));
    }

    /** Sequences [N, 3, T] with per-step labels [N, 2, T] and a label mask that hides the last steps of some. */
    static MultiLayerNetwork lstm() {
        MultiLayerConfiguration conf = base(12).list()
                .layer(new LSTM.Builder().nIn(3).nOut(6).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(6).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .build();
        return init(conf);
    }

    static MultiLayerNetwork simpleRnn() {
        MultiLayerConfiguration conf = base(13).list()
                .layer(new SimpleRnn.Builder().nIn(3).nOut(5).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(5).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .build();
        return init(conf);
    }

    static DataSet sequences(int n, int t, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray x = gaussian(r, n, 3, t);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2, t);
        INDArray mask = Nd4j.ones(DataType.FLOAT, n, t);
        for (int i = 0; i < n; i++) {
            int len = t - r.nextInt(t / 2 + 1);
            for (int s = 0; s < t; s++) {
                y.putScalar(new int[] {i, x.getDouble(i, 0, s) > 0 ? 1 : 0, s}, 1);
                if (s >= len) {
                    mask.putScalar(i, s, 0);
                }
            }
        }
        return new DataSet(x, y, null, mask);
    }

    /** Inputs "a" [N, 4] and "b" [N, 3]; outputs "cls" (softmax, 3 classes) and "reg" (MSE, 2 values). */
    static ComputationGraph twoInTwoOut() {
        ComputationGraphConfiguration conf = base(14).graphBuilder().addInputs("a", "b")
                .addLayer("da", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(), "a")
                .addLayer("db", new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.TANH).build(), "b")
                .addVertex("merge", new MergeVertex(), "da", "db")
                .addLayer("trunk", new DenseLayer.Builder().nIn(10).nOut(6).activation(Activation.RELU).build(), "merge")
                .addLayer("cls", new OutputLayer.Builder(LossFunction.MCXENT).nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "trunk")
                .addLayer("reg", new OutputLayer.Builder(LossFunction.MSE).nIn(6).nOut(2)
                        .activation(Activation.IDENTITY).build(), "trunk")
                .setOutputs("cls", "reg").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    static MultiDataSet twoInTwoOutData(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new MultiDataSet(new INDArray[] {gaussian(r, n, 4), gaussian(r, n, 3)},
                new INDArray[] {oneHot(r, n, 3), gaussian(r, n, 2)});
    }

    /** Token indices [N, 1] of a vocabulary of 10; embedding, dense, softmax over 3 classes. */
    static MultiLayerNetwork embedding() {
        MultiLayerConfiguration conf = base(15).list()
                .layer(new EmbeddingLayer.Builder().nIn(10).nOut(4).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(6).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
        return init(conf);
    }

    static DataSet tokens(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray x = Nd4j.zeros(DataType.FLOAT, n, 1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 3);
        for (int i = 0; i < n; i++) {
            int tok = r.nextInt(10);
            x.putScalar(i, 0, tok);
            y.putScalar(i, tok % 3, 1);
        }
        return new DataSet(x, y);
    }

    /** Regression y = sin(x0) + x1 (2 outputs), MSE. */
    static MultiLayerNetwork regression() {
        MultiLayerConfiguration conf = base(16).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(8).nOut(2).activation(Activation.IDENTITY).build())
                .build();
        return init(conf);
    }

    static DataSet regressionData(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray x = gaussian(r, n, 3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, 0, Math.sin(x.getDouble(i, 0)) + x.getDouble(i, 1));
            y.putScalar(i, 1, x.getDouble(i, 2) * 0.5);
        }
        return new DataSet(x, y);
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }
}
