package org.grokmetrics.monitor;

import java.time.Duration;
import java.util.Objects;

/**
 * When to measure: every N optimiser steps, every N epochs, or every time interval. Immutable; the
 * time-based check is made against the last measurement's time, kept by the caller.
 */
public final class Schedule {

    private enum Kind { STEPS, EPOCHS, INTERVAL, LOG }

    private final Kind kind;
    private final long every;
    private final Duration interval;

    private Schedule(Kind kind, long every, Duration interval) {
        this.kind = kind;
        this.every = every;
        this.interval = interval;
    }

    /**
     * Every {@code n} steps (steps n, 2n, ...).
     *
     * @param n the number of steps between measurements, {@code >= 1}
     * @return the schedule
     * @throws IllegalArgumentException if n &lt; 1
     */
    public static Schedule everySteps(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("schedule: every N steps needs N >= 1, was " + n);
        }
        return new Schedule(Kind.STEPS, n, null);
    }

    /**
     * Log-spaced steps, about {@code perDecade} per factor of ten (for plots on a log step axis, like
     * the papers'): step s is due when floor(perDecade &middot; log10 s) &gt; floor(perDecade &middot;
     * log10(s &minus; 1)), so steps 1, 2, 3, ... early on and ever sparser later.
     *
     * @param perDecade the number of points per factor of ten in steps, {@code >= 1}
     * @return the schedule
     * @throws IllegalArgumentException if perDecade &lt; 1
     */
    public static Schedule logSpaced(int perDecade) {
        if (perDecade < 1) {
            throw new IllegalArgumentException("schedule: points per decade must be >= 1, was " + perDecade);
        }
        return new Schedule(Kind.LOG, perDecade, null);
    }

    /**
     * At the end of every {@code n}-th epoch.
     *
     * @param n the number of epochs between measurements, {@code >= 1}
     * @return the schedule
     * @throws IllegalArgumentException if n &lt; 1
     */
    public static Schedule everyEpochs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("schedule: every N epochs needs N >= 1, was " + n);
        }
        return new Schedule(Kind.EPOCHS, n, null);
    }

    /**
     * At the first step after each {@code d} of wall time.
     *
     * @param d the interval, positive (not null)
     * @return the schedule
     * @throws IllegalArgumentException if d is not positive
     */
    public static Schedule every(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("schedule: interval must be positive, was " + d);
        }
        return new Schedule(Kind.INTERVAL, 0, d);
    }

    /**
     * Whether a measurement is due after {@code step} steps, given the last measurement's time.
     *
     * @param step      the optimiser steps done so far
     * @param nowNanos  the time now, from {@link System#nanoTime()}
     * @param lastNanos the time of the last measurement, from {@link System#nanoTime()} (used by interval schedules only)
     * @return whether to measure; always false for an epoch schedule
     */
    public boolean dueAfterStep(long step, long nowNanos, long lastNanos) {
        return switch (kind) {
            case STEPS -> step > 0 && step % every == 0;
            case INTERVAL -> nowNanos - lastNanos >= interval.toNanos();
            case LOG -> step == 1 || (step > 1
                    && Math.floor(every * Math.log10(step)) > Math.floor(every * Math.log10(step - 1)));
            case EPOCHS -> false;
        };
    }

    /**
     * Whether a measurement is due at the end of the epoch that brings the count to {@code epochs}.
     *
     * @param epochs the epochs completed so far
     * @return whether to measure; false unless this is an epoch schedule
     */
    public boolean dueAfterEpoch(int epochs) {
        return kind == Kind.EPOCHS && epochs > 0 && epochs % every == 0;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STEPS -> "every " + every + " steps";
            case EPOCHS -> "every " + every + " epochs";
            case INTERVAL -> "every " + interval;
            case LOG -> every + " per decade, log-spaced";
        };
    }
}
