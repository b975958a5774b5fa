package org.grokmetrics.dl4j;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;

/**
 * The matrix-shaped weights of a DL4J configuration, as SPEC &sect;2 penalises them, derived once from each
 * layer's configuration: a dense, output or embedding layer's {@code W} [nIn, nOut] (stored column-major);
 * a 2-D or 1-D convolution's kernel {@code W} [out, in, kh, kw] as the matrix [out, in&middot;kh&middot;kw]
 * (stored row-major); an {@link LSTM}'s input weights {@code W} [nIn, 4&middot;nOut] and recurrent weights
 * {@code RW} [nOut, 4&middot;nOut], a {@link SimpleRnn}'s {@code W} [nIn, nOut] and {@code RW} [nOut, nOut].
 * Biases and normalisation layers' parameters ({@link BatchNormalization}) are not matrices; other layers'
 * weights (separable, depthwise or transposed convolutions, peephole LSTMs, ...) are not listed.
 */
final class Dl4jWeightMatrices {

    /**
     * One weight matrix.
     *
     * @param layer the layer's index in the configuration
     * @param param the parameter's key in the layer ({@code W}, {@code RW})
     * @param rows  rows of the matrix the penalty sees
     * @param cols  its columns
     * @param order how the parameter's values are laid out as that matrix: 'f' column-major, 'c' row-major
     */
    record WeightMatrix(int layer, String param, int rows, int cols, char order) {

        @Override
        public String toString() {
            return layer + "_" + param + " [" + rows + " x " + cols + "]";
        }
    }

    private Dl4jWeightMatrices() {
    }

    /** The weight matrices of every layer, in layer order. */
    static List<WeightMatrix> of(MultiLayerConfiguration conf) {
        List<WeightMatrix> out = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            out.addAll(of(i, conf.getConf(i).getLayer()));
        }
        return out;
    }

    /** The weight matrices of one layer's configuration. */
    static List<WeightMatrix> of(int index, Layer layer) {
        if (!(layer instanceof FeedForwardLayer f) || layer instanceof BatchNormalization || f.getNIn() <= 0
                || f.getNOut() <= 0) {
            return List.of();
        }
        int nIn = Math.toIntExact(f.getNIn());
        int nOut = Math.toIntExact(f.getNOut());
        if (layer.getClass() == ConvolutionLayer.class || layer.getClass() == Convolution1DLayer.class) {
            int k = 1;
            for (int s : ((ConvolutionLayer) layer).getKernelSize()) {
                k *= s;
            }
            return List.of(new WeightMatrix(index, "W", nOut, Math.multiplyExact(nIn, k), 'c'));
        }
        if (layer.getClass() == LSTM.class) {
            return List.of(new WeightMatrix(index, "W", nIn, 4 * nOut, 'f'),
                    new WeightMatrix(index, "RW", nOut, 4 * nOut, 'f'));
        }
        if (layer instanceof SimpleRnn) {
            return List.of(new WeightMatrix(index, "W", nIn, nOut, 'f'), new WeightMatrix(index, "RW", nOut, nOut, 'f'));
        }
        if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer || layer instanceof EmbeddingLayer
                || layer instanceof EmbeddingSequenceLayer) {
            return List.of(new WeightMatrix(index, "W", nIn, nOut, 'f'));
        }
        return List.of();
    }
}
