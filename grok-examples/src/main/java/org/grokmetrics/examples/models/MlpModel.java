package org.grokmetrics.examples.models;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.examples.tasks.Task;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two parameterisations of the MLP on a binary-operation task, each with its configuration, its input
 * encoding and its initialisation (one view per model: {@code Trainer} asks the model, never the id).
 *
 * <ul>
 *   <li>{@link #PAPER} ({@code paper}): the LMN paper's model as it builds it: one embedding table
 *       E &isin; &#8477;<sup>vocab&times;e</sup>, entries N(0, 1), shared by both operands and concatenated,
 *       [E[a], E[b]] &rarr; hidden &rarr; hidden (SiLU) &rarr; softmax; dense layers initialised like
 *       PyTorch's {@code nn.Linear} (weights and biases U(&minus;1/&radic;fan_in, 1/&radic;fan_in)); AdamW's
 *       decoupled weight decay on every parameter (weights, biases, embedding), as PyTorch's {@code AdamW}
 *       applies it to {@code model.parameters()}. Inputs: the operand indices [N, 2].</li>
 *   <li>{@link #ONE_HOT_LINEAR} ({@code one-hot-linear}): the model of runs before 2026-12-02: both operands
 *       one-hot (2&middot;vocab inputs), a linear layer without bias to 2&middot;e (a separate learned embedding
 *       per operand, Xavier initial scale &asymp; 0.1), Xavier dense layers with zero biases, weight decay on
 *       weights only. Kept to repeat old runs: its small initial embedding scale reverses the sign of LMN's
 *       relation to test loss (docs/reproductions.md).</li>
 * </ul>
 *
 * <p>In both, layer {@link Dl4jMlps#LMN_FROM_LAYER}'s input is the first hidden layer's SiLU output.
 */
public enum MlpModel {

    /** The LMN paper's model. */
    PAPER("paper"),

    /** One-hot operands through a linear layer: the earlier parameterisation. */
    ONE_HOT_LINEAR("one-hot-linear");

    private final String id;

    MlpModel(String id) {
        this.id = id;
    }

    /** The id used in config.json and {@code --model}. */
    public String id() {
        return id;
    }

    /**
     * @throws IllegalArgumentException naming the known ids if {@code id} is not one
     */
    public static MlpModel of(String id) {
        for (MlpModel m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model '" + id + "'; known: paper, one-hot-linear");
    }

    /** The architecture and optimiser settings of a run. */
    public record Spec(int vocab, int classes, int embed, int hidden, double learningRate, double weightDecay,
                       long seed, DataType dataType) {
    }

    /** The network's configuration (regularization set once per layer). */
    public MultiLayerConfiguration configuration(Spec s) {
        return switch (this) {
            case PAPER -> Dl4jMlps.paper(s);
            case ONE_HOT_LINEAR -> Dl4jMlps.oneHotLinear(s);
        };
    }

    /**
     * A network of a configuration made by {@link #configuration} (possibly with further regularization),
     * initialised as the model prescribes: {@link #PAPER} draws the dense layers' biases like PyTorch.
     */
    public MultiLayerNetwork network(MultiLayerConfiguration conf, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        if (this == PAPER) {
            pytorchBiases(net, seed);
        }
        return net;
    }

    /** The examples as this model's inputs and one-hot labels, in the given precision. */
    public DataSet dataSet(Task task, List<Task.Example> examples, DataType dataType) {
        int n = examples.size();
        INDArray x = this == PAPER ? Nd4j.zeros(dataType, n, 2) : Nd4j.zeros(dataType, n, 2 * task.vocab());
        INDArray y = Nd4j.zeros(dataType, n, task.classes());
        for (int i = 0; i < n; i++) {
            Task.Example e = examples.get(i);
            if (this == PAPER) {
                x.putScalar(i, 0, e.a());
                x.putScalar(i, 1, e.b());
            } else {
                x.putScalar(i, e.a(), 1);
                x.putScalar(i, task.vocab() + e.b(), 1);
            }
            y.putScalar(i, e.label(), 1);
        }
        return new DataSet(x, y);
    }

    /**
     * Biases of every dense layer U(&minus;1/&radic;fan_in, 1/&radic;fan_in), as {@code nn.Linear.reset_parameters}
     * draws them; DL4J can only initialise biases to a constant.
     */
    private static void pytorchBiases(MultiLayerNetwork net, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        for (int i = 0; i < net.getnLayers(); i++) {
            INDArray b = net.getLayer(i).getParam("b");
            INDArray w = net.getLayer(i).getParam("W");
            if (b == null || w == null) {
                continue;
            }
            double bound = 1.0 / Math.sqrt(w.size(0));
            double[] v = new double[(int) b.length()];
            for (int k = 0; k < v.length; k++) {
                v[k] = (2 * rng.nextDouble() - 1) * bound;
            }
            b.assign(Nd4j.createFromArray(v).castTo(b.dataType()).reshape(b.shape()));
        }
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
