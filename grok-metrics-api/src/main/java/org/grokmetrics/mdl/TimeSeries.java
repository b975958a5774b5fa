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

    /**
     * Checks and copies the arrays.
     *
     * @param steps  training steps, strictly increasing (not null)
     * @param values one value per step, NaN where not measured (not null)
     * @throws IllegalArgumentException if the lengths differ or the steps do not increase strictly
     */
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

    /**
     * A series from parallel arrays.
     *
     * @param steps  training steps, strictly increasing
     * @param values one value per step
     * @return the series (the arrays are copied)
     * @throws IllegalArgumentException if the lengths differ or the steps do not increase strictly
     */
    public static TimeSeries of(long[] steps, double[] values) {
        return new TimeSeries(steps, values);
    }

    /**
     * A copy of the steps.
     *
     * @return the steps, strictly increasing
     */
    @Override
    public long[] steps() {
        return steps.clone();
    }

    /**
     * A copy of the values.
     *
     * @return one value per step
     */
    @Override
    public double[] values() {
        return values.clone();
    }

    /**
     * Number of points.
     *
     * @return the number of steps, &ge; 0
     */
    public int size() {
        return steps.length;
    }

    /**
     * The step at index i.
     *
     * @param i the index, in [0, {@link #size()})
     * @return the step
     */
    public long step(int i) {
        return steps[i];
    }

    /**
     * The value at index i.
     *
     * @param i the index, in [0, {@link #size()})
     * @return the value, NaN if not measured
     */
    public double value(int i) {
        return values[i];
    }

    /**
     * The value recorded at exactly {@code step}, if any.
     *
     * @param step the training step
     * @return the value there (possibly NaN), empty if the series has no such step
     */
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
