package org.grokmetrics.compress;

import java.nio.FloatBuffer;
import java.util.function.IntToDoubleFunction;

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
        return codes(v.length, i -> v[i], delta, levelsPerSide);
    }

    /** {@link #codes(double[], double, int)} of float values (each widened to double exactly). */
    static int[] codes(FloatBuffer v, double delta, int levelsPerSide) {
        return codes(v.limit(), v::get, delta, levelsPerSide);
    }

    /** {@link #codes(double[], double, int)} of a factor's values. */
    static int[] codes(RankChain.Factor f, double delta, int levelsPerSide) {
        return codes(f.length(), f.at(), delta, levelsPerSide);
    }

    private static int[] codes(int length, IntToDoubleFunction v, double delta, int lim) {
        int[] c = new int[length];
        for (int i = 0; i < length; i++) {
            long q = Math.round(v.applyAsDouble(i) / delta);
            c[i] = (int) Math.max(-lim, Math.min(lim, q));
        }
        return c;
    }

    /** rint(v / &Delta;) &middot; &Delta; rounded to float (halves to even): the paper's quantized values. */
    static float[] quantizeFloats(double[] v, double delta) {
        return quantizeFloats(v.length, i -> v[i], delta);
    }

    /** {@link #quantizeFloats(double[], double)} of float values (each widened to double exactly). */
    static float[] quantizeFloats(FloatBuffer v, double delta) {
        return quantizeFloats(v.limit(), v::get, delta);
    }

    /** {@link #quantizeFloats(double[], double)} of a factor's values. */
    static float[] quantizeFloats(RankChain.Factor f, double delta) {
        return quantizeFloats(f.length(), f.at(), delta);
    }

    private static float[] quantizeFloats(int length, IntToDoubleFunction v, double delta) {
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) (Math.rint(v.applyAsDouble(i) / delta) * delta);
        }
        return out;
    }

    /** max |v|, 0 for an empty array. */
    static double maxAbs(double[] v) {
        return maxAbs(v.length, i -> v[i]);
    }

    /** max |v|, 0 for an empty array. */
    static double maxAbs(FloatBuffer v) {
        return maxAbs(v.limit(), v::get);
    }

    /** max |v| of a factor's values, 0 for an empty one. */
    static double maxAbs(RankChain.Factor f) {
        return maxAbs(f.length(), f.at());
    }

    private static double maxAbs(int length, IntToDoubleFunction v) {
        double m = 0;
        for (int i = 0; i < length; i++) {
            m = Math.max(m, Math.abs(v.applyAsDouble(i)));
        }
        return m;
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
