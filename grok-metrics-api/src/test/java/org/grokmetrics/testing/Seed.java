package org.grokmetrics.testing;

import java.util.SplittableRandom;

/**
 * One property case's seed. {@link #random()} gives a fresh generator on every call, so a case can
 * draw several independent streams reproducibly.
 *
 * @param value the seed
 */
public record Seed(long value) {

    /** A new generator seeded with {@link #value()}. */
    public SplittableRandom random() {
        return new SplittableRandom(value);
    }

    /** A {@link Gen} over a new generator. */
    public Gen gen() {
        return new Gen(random());
    }

    @Override
    public String toString() {
        return "seed=0x" + Long.toHexString(value);
    }
}
