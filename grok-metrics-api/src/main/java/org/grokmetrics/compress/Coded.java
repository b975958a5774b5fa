package org.grokmetrics.compress;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.IntStream;

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

    /**
     * (A &middot; B) rounded to float, A m&times;k, B k&times;n, each entry summed in double over l in ascending
     * order. Rows are computed in blocks of four (sharing B's loads) and the blocks in parallel; neither
     * changes any entry's sum, so the result is bit-identical to the plain triple loop on any thread count.
     */
    static float[] product(double[] a, double[] b, int m, int k, int n) {
        float[] out = new float[m * n];
        int blocks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream stream = IntStream.range(0, blocks);
        if ((long) m * k * n >= PARALLEL_WORK) {
            stream = stream.parallel();
        }
        stream.forEach(blk -> productRows(a, b, k, n, blk * ROWS_PER_TASK, Math.min(m, (blk + 1) * ROWS_PER_TASK), out));
        return out;
    }

    /** Rows per parallel task of {@link #product}. */
    int ROWS_PER_TASK = 32;

    /** Multiply-adds above which {@link #product} runs in parallel. */
    long PARALLEL_WORK = 1L << 22;

    /** Columns per block of {@link #productRows}: eight accumulator rows of a block stay in the first-level cache. */
    int COLUMNS_PER_BLOCK = 256;

    private static void productRows(double[] a, double[] b, int k, int n, int from, int to, float[] out) {
        int jb = Math.min(n, COLUMNS_PER_BLOCK);
        double[][] acc = new double[8][jb];
        for (int i = from; i < to; i += 8) {
            int rows = Math.min(8, to - i);
            for (int j0 = 0; j0 < n; j0 += jb) {
                int len = Math.min(jb, n - j0);
                for (double[] r : acc) {
                    Arrays.fill(r, 0, len, 0.0);
                }
                if (rows == 8) {
                    eightRows(a, b, k, n, i, j0, len, acc);
                } else {
                    for (int r = 0; r < rows; r++) {
                        double[] ar = acc[r];
                        int ai = (i + r) * k;
                        for (int l = 0; l < k; l++) {
                            double x = a[ai + l];
                            int off = l * n + j0;
                            for (int j = 0; j < len; j++) {
                                ar[j] += x * b[off + j];
                            }
                        }
                    }
                }
                for (int r = 0; r < rows; r++) {
                    int o = (i + r) * n + j0;
                    double[] ar = acc[r];
                    for (int j = 0; j < len; j++) {
                        out[o + j] = (float) ar[j];
                    }
                }
            }
        }
    }

    /** acc[r][j] += &Sigma;<sub>l</sub> a[i+r, l] &middot; b[l, j0+j] for eight rows, l ascending. */
    private static void eightRows(double[] a, double[] b, int k, int n, int i, int j0, int len, double[][] acc) {
        double[] c0 = acc[0];
        double[] c1 = acc[1];
        double[] c2 = acc[2];
        double[] c3 = acc[3];
        double[] c4 = acc[4];
        double[] c5 = acc[5];
        double[] c6 = acc[6];
        double[] c7 = acc[7];
        for (int l = 0; l < k; l++) {
            double x0 = a[i * k + l];
            double x1 = a[(i + 1) * k + l];
            double x2 = a[(i + 2) * k + l];
            double x3 = a[(i + 3) * k + l];
            double x4 = a[(i + 4) * k + l];
            double x5 = a[(i + 5) * k + l];
            double x6 = a[(i + 6) * k + l];
            double x7 = a[(i + 7) * k + l];
            int off = l * n + j0;
            for (int j = 0; j < len; j++) {
                double y = b[off + j];
                c0[j] += x0 * y;
                c1[j] += x1 * y;
                c2[j] += x2 * y;
                c3[j] += x3 * y;
                c4[j] += x4 * y;
                c5[j] += x5 * y;
                c6[j] += x6 * y;
                c7[j] += x7 * y;
            }
        }
    }
}
