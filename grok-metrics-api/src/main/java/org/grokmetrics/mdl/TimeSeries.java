package org.grokmetrics.mdl;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A metric recorded at training steps: strictly increasing steps, one finite-or-NaN value each.
 *
 * <p>Immutable (arrays are copied in and out). NaN values mean "not measured at this step" and are
 * skipped by the analysis where it says so.
 *
 * @param steps  training steps, strictly increasing
 * @param values one value per step
 */
public record TimeSeries(long[] steps, double[] values) {

    public TimeSeries {
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(values, "values");
        if (steps.length != values.length) {
            throw new IllegalArgumentException("time series has " + steps.length + " steps but " + values.length
                    + " values");
        }
        for (int i = 1; i < steps.length; i++) {
            if (steps[i] <= steps[i - 1]) {
                throw new IllegalArgumentException("time series steps must increase strictly; step " + steps[i]
                        + " at index " + i + " follows " + steps[i - 1]);
            }
        }
        steps = steps.clone();
        values = values.clone();
    }

    /** A series from parallel arrays. */
    public static TimeSeries of(long[] steps, double[] values) {
        return new TimeSeries(steps, values);
    }

    @Override
    public long[] steps() {
        return steps.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** Number of points. */
    public int size() {
        return steps.length;
    }

    /** The step at index i. */
    public long step(int i) {
        return steps[i];
    }

    /** The value at index i. */
    public double value(int i) {
        return values[i];
    }

    /** The value recorded at exactly {@code step}, if any. */
    public OptionalDouble at(long step) {
        int i = Arrays.binarySearch(steps, step);
        return i >= 0 ? OptionalDouble.of(values[i]) : OptionalDouble.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeSeries t && Arrays.equals(steps, t.steps) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(steps) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "TimeSeries[" + steps.length + " points]";
    }
}
