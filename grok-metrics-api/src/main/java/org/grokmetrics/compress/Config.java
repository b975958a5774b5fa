package org.grokmetrics.compress;

import java.util.Arrays;

/**
 * A coarse-graining configuration: per-tensor {@link QuantizationLadder#LADDER} indices in {@code bits}
 * (null in paper modes) or a global &Delta; (NaN in the default mode), per-matrix rank (&minus;1: dense) and
 * the rank threshold &tau; that gave the ranks (1: none).
 */
record Config(int[] bits, double delta, int[] rank, double tau) {

    /** Equal keys mean equal configurations (&tau; aside, which only labels the ranks). */
    String key() {
        return Arrays.toString(bits) + "|" + delta + "|" + Arrays.toString(rank);
    }

    Config withBits(int[] b) {
        return new Config(b, delta, rank, tau);
    }

    Config withRanks(int[] r, double t) {
        return new Config(bits, delta, r, t);
    }

    /** Every one of {@code count} tensors at ladder index {@code step}, dense. */
    static Config uniform(int count, int step) {
        int[] steps = new int[count];
        Arrays.fill(steps, step);
        return new Config(steps, Double.NaN, dense(count), 1.0);
    }

    /** A global &Delta; for every one of {@code count} tensors, dense. */
    static Config globalDelta(int count, double delta) {
        return new Config(null, delta, dense(count), 1.0);
    }

    static int[] dense(int count) {
        int[] r = new int[count];
        Arrays.fill(r, -1);
        return r;
    }
}
