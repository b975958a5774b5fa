package org.grokmetrics.examples.bench;

import java.util.Arrays;

/** Median wall time of repeated runs after warm-up. */
public final class Timer {

    private Timer() {
    }

    /** Median milliseconds of {@code runs} timed calls after {@code warmup} untimed ones. */
    public static double medianMillis(int warmup, int runs, Runnable body) {
        for (int i = 0; i < warmup; i++) {
            body.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }
}
