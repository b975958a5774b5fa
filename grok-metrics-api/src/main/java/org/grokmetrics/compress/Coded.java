package org.grokmetrics.compress;

import java.io.DataOutputStream;
import java.io.IOException;

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
        return Tensor.adopting(name(), shape(), reconstruct());
    }

    /** Writes the kind byte and the payload. */
    void write(DataOutputStream out) throws IOException;

    /** How many bytes an array of codes of b bits takes in the payload. */
    @FunctionalInterface
    interface CodesSize {
        long of(int[] codes, int bits);
    }

    /** The payload's length with code arrays sized by {@code codes}: the one formula of both lengths below. */
    long payloadLength(CodesSize codes);

    /**
     * The number of bytes {@link #write} writes, computed without writing them (arithmetic-coded codes are
     * counted, not kept).
     */
    default long payloadLength() {
        return payloadLength(CoarseGrainFormat::codesLength);
    }

    /**
     * The search's size of the payload: {@link #payloadLength()} with long arithmetic-coded code arrays
     * estimated from their histograms ({@link CoarseGrainFormat#codesSearchLength}) instead of counted.
     */
    default long payloadSearchLength() {
        return payloadLength(CoarseGrainFormat::codesSearchLength);
    }

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
        public long payloadLength(CodesSize codes) {
            return 1;
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
        public long payloadLength(CodesSize size) {
            return 1 + 1 + Double.BYTES + size.of(codes, bits);
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

    /**
     * Low-rank integer codes: A (m&times;k) and B (k&times;n). {@code exact}: version 3's reconstruction, the
     * exact integer product of the codes times &Delta;<sub>A</sub>&Delta;<sub>B</sub> ({@link CodeProduct});
     * otherwise versions 1 and 2's, the double product of the dequantized factors summed in ascending order
     * ({@link Coded#product}).
     */
    record LowRankCodes(String name, int[] shape, int k, int bitsA, double deltaA, int[] codesA, int bitsB,
                        double deltaB, int[] codesB, boolean exact) implements Coded {
        @Override
        public float[] reconstruct() {
            int m = shape[0];
            int n = codesB.length / k;
            if (exact) {
                return CodeProduct.weights(codesA, codesB, m, k, n, deltaA, deltaB);
            }
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
        public long payloadLength(CodesSize size) {
            return 1 + CoarseGrainFormat.varintLength(k) + 2 * (1 + Double.BYTES) + size.of(codesA, bitsA)
                    + size.of(codesB, bitsB);
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
        public long payloadLength(CodesSize codes) {
            return 1 + (long) Float.BYTES * values.length;
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
        public long payloadLength(CodesSize codes) {
            return 1 + CoarseGrainFormat.varintLength(k) + (long) Float.BYTES * (a.length + b.length);
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

    /**
     * (A &middot; B) rounded to float, A m&times;k, B k&times;n, each entry summed in double over l in ascending
     * order ({@link CodeProduct#accumulate}): version 2's low-rank rule and kind 4's.
     */
    static float[] product(double[] a, double[] b, int m, int k, int n) {
        float[] out = new float[m * n];
        CodeProduct.accumulate(null, out, 1.0, a, b, m, k, n);
        return out;
    }
}
