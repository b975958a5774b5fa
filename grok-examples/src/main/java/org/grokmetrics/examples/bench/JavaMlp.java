package org.grokmetrics.examples.bench;

import java.util.SplittableRandom;

import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;

/**
 * A plain-Java fully connected SiLU network in float32, used as a {@link FunctionOracle} by the LMN
 * benchmark: layer sizes d0 &rarr; d1 &rarr; &hellip;, SiLU after every layer but the last. Weights are
 * drawn N(0, 1/fan_in) from a seed. It is a {@link FactoredFunctionOracle}: its affine first layer
 * (before the first SiLU) is the prefix. {@link #plain()} hides that, for comparison. Not thread-safe
 * (reuses scratch buffers).
 */
public final class JavaMlp implements FactoredFunctionOracle {

    private final int[] sizes;
    private final float[][] weights; // layer l: sizes[l] x sizes[l+1], row-major
    private final float[][] biases;
    private final float[][] scratch;

    public JavaMlp(long seed, int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("need at least input and output sizes");
        }
        this.sizes = sizes.clone();
        SplittableRandom r = new SplittableRandom(seed);
        int layers = sizes.length - 1;
        weights = new float[layers][];
        biases = new float[layers][];
        scratch = new float[sizes.length][];
        for (int l = 0; l < layers; l++) {
            weights[l] = new float[sizes[l] * sizes[l + 1]];
            biases[l] = new float[sizes[l + 1]];
            double sd = 1 / Math.sqrt(sizes[l]);
            for (int i = 0; i < weights[l].length; i++) {
                weights[l][i] = (float) (sd * gaussian(r));
            }
            for (int i = 0; i < biases[l].length; i++) {
                biases[l][i] = (float) (0.1 * gaussian(r));
            }
        }
        for (int l = 0; l < sizes.length; l++) {
            scratch[l] = new float[sizes[l]];
        }
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Number of multiply-adds per row. */
    public long macsPerRow() {
        long m = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            m += (long) sizes[l] * sizes[l + 1];
        }
        return m;
    }

    /** The same function without the factoring (LMN then evaluates every layer on every point). */
    public FunctionOracle plain() {
        return this::apply;
    }

    @Override
    public double[][] apply(double[][] inputs) {
        return run(inputs, 0);
    }

    @Override
    public double[][] affinePrefix(double[][] inputs) {
        double[][] out = new double[inputs.length][];
        for (int r = 0; r < inputs.length; r++) {
            float[] x = scratch[0];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) inputs[r][k];
            }
            float[] y = scratch[1];
            affine(x, weights[0], biases[0], y);
            double[] o = new double[y.length];
            for (int j = 0; j < o.length; j++) {
                o[j] = y[j];
            }
            out[r] = o;
        }
        return out;
    }

    @Override
    public double[][] applyAfterPrefix(double[][] prefixed) {
        return run(prefixed, 1);
    }

    /** Runs the net from the input of layer {@code from} (0) or from layer 0's pre-activation (1). */
    private double[][] run(double[][] inputs, int from) {
        int layers = sizes.length - 1;
        double[][] out = new double[inputs.length][];
        for (int r = 0; r < inputs.length; r++) {
            float[] x = scratch[from];
            double[] in = inputs[r];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) in[k];
            }
            if (from == 1) {
                silu(x);
            }
            for (int l = from; l < layers; l++) {
                float[] y = scratch[l + 1];
                affine(x, weights[l], biases[l], y);
                if (l + 1 < layers) {
                    silu(y);
                }
                x = y;
            }
            double[] o = new double[x.length];
            for (int j = 0; j < o.length; j++) {
                o[j] = x[j];
            }
            out[r] = o;
        }
        return out;
    }

    private static void silu(float[] y) {
        for (int j = 0; j < y.length; j++) {
            float v = y[j];
            y[j] = v / (1f + (float) Math.exp(-v));
        }
    }

    /** y = b + x W, W row-major [x.length][y.length]; k unrolled by 4 (measured 2x the plain loop). */
    private static void affine(float[] x, float[] w, float[] b, float[] y) {
        int n = y.length;
        System.arraycopy(b, 0, y, 0, n);
        int k = 0;
        for (; k + 3 < x.length; k += 4) {
            float a0 = x[k];
            float a1 = x[k + 1];
            float a2 = x[k + 2];
            float a3 = x[k + 3];
            int o0 = k * n;
            int o1 = o0 + n;
            int o2 = o1 + n;
            int o3 = o2 + n;
            for (int j = 0; j < n; j++) {
                y[j] += a0 * w[o0 + j] + a1 * w[o1 + j] + a2 * w[o2 + j] + a3 * w[o3 + j];
            }
        }
        for (; k < x.length; k++) {
            float a = x[k];
            int o = k * n;
            for (int j = 0; j < n; j++) {
                y[j] += a * w[o + j];
            }
        }
    }
}
