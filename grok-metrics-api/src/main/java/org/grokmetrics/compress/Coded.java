package org.grokmetrics.compress;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

import org.grokmetrics.api.Tensor;

/**
 * One tensor's stored form in the coarse-grain description format (docs/coarse-grain-format.md): one
 * record per kind. The encoder and the decoder share {@link #reconstruct()}, so decoding gives back
 * exactly the weights whose loss was verified.
 */
sealed interface Coded permits Coded.Zero, Coded.DenseCodes, Coded.LowRankCodes, Coded.DenseF32, Coded.LowRankF32 {
    String name();

    int[] shape();

    /** The weights this form decodes to (row-major). */
    float[] reconstruct();

    default int size() {
        int n = 1;
        for (int d : shape()) {
            n *= d;
        }
        return n;
    }

    default Tensor tensor() {
        return new Tensor(name(), shape(), reconstruct());
    }

    /** Writes the kind byte and the payload. */
    void write(DataOutputStream out) throws IOException;

    /** How this tensor was coarse-grained; {@code fullRank} is min(m, n) or -1. */
    TensorSetting setting(int fullRank);

    record Zero(String name, int[] shape) implements Coded {
        @Override
        public float[] reconstruct() {
            return new float[size()];
        }

        @Override
        public void write(DataOutputStream out) throws IOException {
            out.writeByte(0);
        }

        @Override
        public TensorSetting setting(int fullRank) {
            return new TensorSetting(name, TensorSetting.Kind.ZERO, 0, 0, -1, fullRank);
        }
    }

    record DenseCodes(String name, int[] shape, int bits, double delta, int[] codes) implements Coded {
        @Override
        public float[] reconstruct() {
            float[] v = new float[codes.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (codes[i] * delta);
            }
            return v;
        }

        @Override
        public void write(DataOutputStream out) throws IOException {
            out.writeByte(1);
            out.writeByte(bits);
            out.writeDouble(delta);
            CoarseGrainFormat.writeCodes(out, codes, bits);
        }

        @Override
        public TensorSetting setting(int fullRank) {
            return new TensorSetting(name, TensorSetting.Kind.DENSE, bits, delta, -1, fullRank);
        }
    }

    record LowRankCodes(String name, int[] shape, int k, int bitsA, double deltaA, int[] codesA, int bitsB,
                        double deltaB, int[] codesB) implements Coded {
        @Override
        public float[] reconstruct() {
            int m = shape[0];
            int n = codesB.length / k;
            double[] a = new double[codesA.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = codesA[i] * deltaA;
            }
            double[] b = new double[codesB.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = codesB[i] * deltaB;
            }
            return product(a, b, m, k, n);
        }

        @Override
        public void write(DataOutputStream out) throws IOException {
            out.writeByte(2);
            CoarseGrainFormat.writeVarint(out, k);
            out.writeByte(bitsA);
            out.writeDouble(deltaA);
            out.writeByte(bitsB);
            out.writeDouble(deltaB);
            CoarseGrainFormat.writeCodes(out, codesA, bitsA);
            CoarseGrainFormat.writeCodes(out, codesB, bitsB);
        }

        @Override
        public TensorSetting setting(int fullRank) {
            return new TensorSetting(name, TensorSetting.Kind.LOW_RANK, bitsA, deltaA, k, fullRank);
        }
    }

    record DenseF32(String name, int[] shape, float[] values) implements Coded {
        @Override
        public float[] reconstruct() {
            return values.clone();
        }

        @Override
        public void write(DataOutputStream out) throws IOException {
            out.writeByte(3);
            CoarseGrainFormat.writeFloats(out, values);
        }

        @Override
        public TensorSetting setting(int fullRank) {
            return new TensorSetting(name, TensorSetting.Kind.DENSE_FLOAT32, 0, 0, -1, fullRank);
        }
    }

    record LowRankF32(String name, int[] shape, int k, float[] a, float[] b) implements Coded {
        @Override
        public float[] reconstruct() {
            int m = shape[0];
            int n = b.length / k;
            double[] ad = new double[a.length];
            for (int i = 0; i < ad.length; i++) {
                ad[i] = a[i];
            }
            double[] bd = new double[b.length];
            for (int i = 0; i < bd.length; i++) {
                bd[i] = b[i];
            }
            return product(ad, bd, m, k, n);
        }

        @Override
        public void write(DataOutputStream out) throws IOException {
            out.writeByte(4);
            CoarseGrainFormat.writeVarint(out, k);
            CoarseGrainFormat.writeFloats(out, a);
            CoarseGrainFormat.writeFloats(out, b);
        }

        @Override
        public TensorSetting setting(int fullRank) {
            return new TensorSetting(name, TensorSetting.Kind.LOW_RANK_FLOAT32, 0, 0, k, fullRank);
        }
    }

    /** (A &middot; B) rounded to float, A m&times;k, B k&times;n, summed over l in ascending order. */
    static float[] product(double[] a, double[] b, int m, int k, int n) {
        double[] acc = new double[n];
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            Arrays.fill(acc, 0.0);
            for (int l = 0; l < k; l++) {
                double ail = a[i * k + l];
                int off = l * n;
                for (int j = 0; j < n; j++) {
                    acc[j] += ail * b[off + j];
                }
            }
            for (int j = 0; j < n; j++) {
                out[i * n + j] = (float) acc[j];
            }
        }
        return out;
    }
}
