package org.grokmetrics.examples.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.io.SafeTensors;

/**
 * The LMN paper's MLP on a+b mod p, evaluated in double precision from a snapshot with the tensors
 * written by {@code scripts/make_example_weights.py}: {@code embedding.weight} [p, e],
 * {@code layers.i.weight} [out, in] and {@code layers.i.bias} for i = 0, 1, 2; input = concat(E[a], E[b]),
 * SiLU after layers 0 and 1. Immutable; thread-safe.
 *
 * @param p          the modulus
 * @param trainPairs the training examples as a&middot;p + b
 */
public record ModularMlp(int p, int[] trainPairs) {

    public ModularMlp {
        Objects.requireNonNull(trainPairs, "trainPairs");
        if (trainPairs.length == 0) {
            throw new IllegalArgumentException("no training pairs");
        }
        trainPairs = trainPairs.clone();
        for (int x : trainPairs) {
            if (x < 0 || x >= p * p) {
                throw new IllegalArgumentException("training pair index " + x + " outside [0, " + p * p + ")");
            }
        }
    }

    /** A loaded checkpoint: its weights and its task. */
    public record Checkpoint(ParameterSnapshot weights, ModularMlp task) {
    }

    /**
     * Reads a checkpoint written by scripts/make_example_weights.py (metadata {@code train_pairs}).
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it lacks the metadata or tensors
     */
    public static Checkpoint load(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.readContents(file);
        String pairs = c.metadata().get("train_pairs");
        if (pairs == null) {
            throw new IllegalArgumentException(file + ": no train_pairs metadata (made by an older script?)");
        }
        int[] idx = Arrays.stream(pairs.split(",")).mapToInt(Integer::parseInt).toArray();
        int p = c.parameters().get("embedding.weight").dim(0);
        return new Checkpoint(c.parameters(), new ModularMlp(p, idx));
    }

    /** Logits for every pair index given, rows in order. */
    public double[][] logits(ParameterSnapshot w, int[] pairs) {
        Tensor emb = w.get("embedding.weight");
        int e = emb.dim(1);
        double[][] out = new double[pairs.length][];
        double[] x = new double[2 * e];
        for (int r = 0; r < pairs.length; r++) {
            int a = pairs[r] / p;
            int b = pairs[r] % p;
            for (int k = 0; k < e; k++) {
                x[k] = emb.get(a * e + k);
                x[e + k] = emb.get(b * e + k);
            }
            double[] h = x;
            for (int l = 0; l < 3; l++) {
                h = dense(w.get("layers." + l + ".weight"), w.get("layers." + l + ".bias"), h, l < 2);
            }
            out[r] = h;
        }
        return out;
    }

    private static double[] dense(Tensor weight, Tensor bias, double[] in, boolean silu) {
        int outDim = weight.dim(0);
        int inDim = weight.dim(1);
        double[] y = new double[outDim];
        for (int o = 0; o < outDim; o++) {
            double s = bias.get(o);
            int off = o * inDim;
            for (int k = 0; k < inDim; k++) {
                s += weight.get(off + k) * in[k];
            }
            y[o] = silu ? s / (1 + Math.exp(-s)) : s;
        }
        return y;
    }

    /** Mean cross-entropy (nats) of the weights on the given pairs. */
    public double loss(ParameterSnapshot w, int[] pairs) {
        double[][] z = logits(w, pairs);
        double sum = 0;
        for (int r = 0; r < pairs.length; r++) {
            int y = (pairs[r] / p + pairs[r] % p) % p;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[r]) {
                max = Math.max(max, v);
            }
            double lse = 0;
            for (double v : z[r]) {
                lse += Math.exp(v - max);
            }
            sum += max + Math.log(lse) - z[r][y];
        }
        return sum / pairs.length;
    }

    /** Fraction of pairs classified correctly. */
    public double accuracy(ParameterSnapshot w, int[] pairs) {
        double[][] z = logits(w, pairs);
        int ok = 0;
        for (int r = 0; r < pairs.length; r++) {
            int arg = 0;
            for (int k = 1; k < z[r].length; k++) {
                if (z[r][k] > z[r][arg]) {
                    arg = k;
                }
            }
            if (arg == (pairs[r] / p + pairs[r] % p) % p) {
                ok++;
            }
        }
        return (double) ok / pairs.length;
    }

    /** The pairs not in the training set. */
    public int[] testPairs() {
        boolean[] train = new boolean[p * p];
        for (int x : trainPairs) {
            train[x] = true;
        }
        return java.util.stream.IntStream.range(0, p * p).filter(i -> !train[i]).toArray();
    }

    @Override
    public int[] trainPairs() {
        return trainPairs.clone();
    }

    /** The mean train loss as a {@link LossOracle}. */
    public LossOracle trainLoss() {
        return w -> loss(w, trainPairs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModularMlp m && m.p == p && Arrays.equals(m.trainPairs, trainPairs);
    }

    @Override
    public int hashCode() {
        return 31 * p + Arrays.hashCode(trainPairs);
    }

    @Override
    public String toString() {
        return "ModularMlp[p=" + p + ", " + trainPairs.length + " training pairs]";
    }
}
