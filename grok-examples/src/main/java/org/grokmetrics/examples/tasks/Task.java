package org.grokmetrics.examples.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A binary operation on a finite set of symbols: every pair (a, b) is one example whose label is
 * a&#8728;b. Implementations are immutable.
 */
public interface Task {

    /** A short id, e.g. {@code mod31-add}, {@code s4}, {@code xor5}. */
    String id();

    /** Number of input symbols per operand. */
    int vocab();

    /** Number of output classes. */
    int classes();

    /** The label of (a, b), or -1 if the pair is not in the task (e.g. division by zero). */
    int apply(int a, int b);

    /** One example. */
    record Example(int a, int b, int label) {
    }

    /** Every valid pair, in (a, b) order. */
    default List<Example> examples() {
        List<Example> out = new ArrayList<>();
        for (int a = 0; a < vocab(); a++) {
            for (int b = 0; b < vocab(); b++) {
                int y = apply(a, b);
                if (y >= 0) {
                    out.add(new Example(a, b, y));
                }
            }
        }
        return out;
    }

    /** A train/validation split. */
    record Split(List<Example> train, List<Example> validation) {
    }

    /**
     * A seeded random split: a Fisher&ndash;Yates shuffle with {@link SplittableRandom}(seed), the first
     * round(fraction &middot; n) examples for training.
     *
     * @throws IllegalArgumentException if the fraction is not in (0, 1) or leaves a side empty
     */
    default Split split(double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("train fraction must be in (0, 1), was " + trainFraction);
        }
        List<Example> all = examples();
        int[] idx = new int[all.size()];
        Arrays.setAll(idx, i -> i);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = idx.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int n = (int) Math.round(trainFraction * all.size());
        if (n < 1 || n >= all.size()) {
            throw new IllegalArgumentException("train fraction " + trainFraction + " of " + all.size()
                    + " examples leaves the training or validation set empty");
        }
        List<Example> train = new ArrayList<>(n);
        List<Example> val = new ArrayList<>(all.size() - n);
        for (int i = 0; i < idx.length; i++) {
            (i < n ? train : val).add(all.get(idx[i]));
        }
        return new Split(List.copyOf(train), List.copyOf(val));
    }
}
