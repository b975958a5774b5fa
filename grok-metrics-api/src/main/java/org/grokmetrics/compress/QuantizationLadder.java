package org.grokmetrics.compress;

import java.nio.FloatBuffer;

/**
 * The quantization formulas: the half-bit ladder of levels per side for the default mode, integer codes
 * round(v / &Delta;) clamped to [&minus;L, L], and the paper modes' log-spaced grid of global &Delta; with
 * float32 values rint(v / &Delta;) &middot; &Delta;.
 */
final class QuantizationLadder {

    /**
     * Quantization levels per side L (codes in [&minus;L, L], &Delta; = r/L), in half-bit steps: every
     * 2^(b&minus;1) &minus; 1 for b = 2..16, and about &radic;2 times it in between.
     */
    static final int[] LADDER = {1, 2, 3, 5, 7, 10, 15, 21, 31, 44, 63, 89, 127, 180, 255, 361, 511, 723, 1023, 1447,
        2047, 2895, 4095, 5791, 8191, 11585, 16383, 23170, 32767};

    /** Paper modes search &Delta; on 31 log-spaced levels in [1e-3, 1] (ratio 10^0.1 between levels). */
    static final int PAPER_DELTA_LEVELS = 31;
    private static final double PAPER_DELTA_MIN = 1e-3;
    private static final double PAPER_DELTA_MAX = 1.0;

    private QuantizationLadder() {
    }

    /** 2^(b-1) - 1: the largest code magnitude at b bits. */
    static int levels(int bits) {
        return (1 << (bits - 1)) - 1;
    }

    /** Ladder index of 2^(bits-1) - 1. */
    static int ladderIndexOfBits(int bits) {
        int l = levels(bits);
        for (int i = 0; i < LADDER.length; i++) {
            if (LADDER[i] == l) {
                return i;
            }
        }
        throw new IllegalArgumentException("no ladder level for " + bits + " bits");
    }

    /** Bits needed for codes in [-L, L]: ceil(log2(2L + 1)). */
    static int bitsFor(int levelsPerSide) {
        return 32 - Integer.numberOfLeadingZeros(2 * levelsPerSide);
    }

    /** The global &Delta; of paper-mode level q (0: 1e-3, finest; {@link #PAPER_DELTA_LEVELS} &minus; 1: 1). */
    static double paperDelta(int q) {
        return PAPER_DELTA_MIN * Math.pow(PAPER_DELTA_MAX / PAPER_DELTA_MIN, (double) q / (PAPER_DELTA_LEVELS - 1));
    }

    /** round(v / &Delta;) clamped to [-levels, levels] (Math.round: halves towards +&infin;). */
    static int[] codes(double[] v, double delta, int levelsPerSide) {
        return codes(Values.of(v), delta, levelsPerSide);
    }

    /** {@link #codes(double[], double, int)} of any values (floats are widened to double exactly). */
    static int[] codes(Values v, double delta, int lim) {
        int[] c = new int[v.length()];
        v.forEachChunk((x, from, len) -> {
            for (int i = 0; i < len; i++) {
                long q = Math.round(x[i] / delta);
                c[from + i] = (int) Math.max(-lim, Math.min(lim, q));
            }
        });
        return c;
    }

    /** rint(v / &Delta;) &middot; &Delta; rounded to float (halves to even): the paper's quantized values. */
    static float[] quantizeFloats(double[] v, double delta) {
        return quantizeFloats(Values.of(v), delta);
    }

    /** {@link #quantizeFloats(double[], double)} of any values (floats are widened to double exactly). */
    static float[] quantizeFloats(Values v, double delta) {
        float[] out = new float[v.length()];
        v.forEachChunk((x, from, len) -> {
            for (int i = 0; i < len; i++) {
                out[from + i] = (float) (Math.rint(x[i] / delta) * delta);
            }
        });
        return out;
    }

    /** max |v|, 0 for an empty array. */
    static double maxAbs(double[] v) {
        return maxAbs(Values.of(v));
    }

    /** max |v|, 0 for no values. */
    static double maxAbs(Values v) {
        double[] m = {0};
        v.forEachChunk((x, from, len) -> {
            double max = m[0];
            for (int i = 0; i < len; i++) {
                max = Math.max(max, Math.abs(x[i]));
            }
            m[0] = max;
        });
        return m[0];
    }

    /**
     * Values to quantize, read in chunks into one reused double array: the arithmetic runs over plain arrays,
     * and nothing copies a whole tensor or factor (a read-only view of a tensor, or a factor's columns read in
     * place from the rank chain).
     */
    interface Values {

        /** Values per chunk. */
        int CHUNK = 1 << 12;

        /** The number of values. */
        int length();

        /** Copies values from..from + len &minus; 1 (len &le; {@link #CHUNK}) into {@code dst[0..len)}. */
        void read(int from, double[] dst, int len);

        /** Calls {@code body} on every chunk of values, in order. */
        default void forEachChunk(ChunkBody body) {
            int n = length();
            double[] chunk = new double[Math.min(n, CHUNK)];
            for (int from = 0; from < n; from += CHUNK) {
                int len = Math.min(CHUNK, n - from);
                read(from, chunk, len);
                body.accept(chunk, from, len);
            }
        }

        /** What {@link #forEachChunk} runs: values {@code x[0..len)} are the values from..from + len &minus; 1. */
        @FunctionalInterface
        interface ChunkBody {
            void accept(double[] x, int from, int len);
        }

        static Values of(double[] v) {
            return new Values() {
                @Override
                public int length() {
                    return v.length;
                }

                @Override
                public void read(int from, double[] dst, int len) {
                    System.arraycopy(v, from, dst, 0, len);
                }
            };
        }

        /** A float buffer's values (absolute reads: its position is not moved). */
        static Values of(FloatBuffer v) {
            float[] f = new float[Math.min(v.limit(), CHUNK)];
            return new Values() {
                @Override
                public int length() {
                    return v.limit();
                }

                @Override
                public void read(int from, double[] dst, int len) {
                    v.get(from, f, 0, len);
                    for (int i = 0; i < len; i++) {
                        dst[i] = f[i];
                    }
                }
            };
        }
    }

    static boolean allZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }
}
