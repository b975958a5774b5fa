package org.grokmetrics.examples.train;

import java.util.List;
import java.util.OptionalLong;

import org.grokmetrics.monitor.ComplexityRecord;

/**
 * The LMN paper's three phases of a grokking run, from its measurements: <b>memorizing</b> until train
 * accuracy first reaches 100%, <b>generalizing</b> from there until test (validation) accuracy first reaches
 * 100%, <b>finalizing</b> after that. Boundaries are measurement steps, so they are as fine as the schedule.
 *
 * @param memorized   the first measured step with train accuracy 100%, empty if never
 * @param generalized the first measured step at or after {@code memorized} with test accuracy 100%, empty if
 *                    never (then the generalizing phase runs to the end of the run)
 */
public record Phases(OptionalLong memorized, OptionalLong generalized) {

    /** The phase a step belongs to. */
    public enum Phase {
        MEMORIZING, GENERALIZING, FINALIZING
    }

    /** Accuracy counted as 100%: every example right, up to the rounding of a fraction k/n. */
    private static final double FULL = 1 - 1e-9;

    /** Phases of parallel arrays of steps (ascending) and accuracies. */
    public static Phases of(long[] steps, double[] trainAccuracy, double[] testAccuracy) {
        if (steps.length != trainAccuracy.length || steps.length != testAccuracy.length) {
            throw new IllegalArgumentException("steps and accuracies differ in length: " + steps.length + ", "
                    + trainAccuracy.length + ", " + testAccuracy.length);
        }
        OptionalLong m = OptionalLong.empty();
        OptionalLong g = OptionalLong.empty();
        for (int i = 0; i < steps.length; i++) {
            if (m.isEmpty() && trainAccuracy[i] >= FULL) {
                m = OptionalLong.of(steps[i]);
            }
            if (m.isPresent() && g.isEmpty() && testAccuracy[i] >= FULL) {
                g = OptionalLong.of(steps[i]);
            }
        }
        return new Phases(m, g);
    }

    /** Phases of a run's records. */
    public static Phases of(List<ComplexityRecord> records) {
        return of(records.stream().mapToLong(ComplexityRecord::step).toArray(),
                records.stream().mapToDouble(ComplexityRecord::trainAccuracy).toArray(),
                records.stream().mapToDouble(ComplexityRecord::validationAccuracy).toArray());
    }

    /** The phase of a step; both boundaries belong to the generalizing phase. */
    public Phase phaseOf(long step) {
        if (memorized.isEmpty() || step < memorized.getAsLong()) {
            return Phase.MEMORIZING;
        }
        if (generalized.isEmpty() || step <= generalized.getAsLong()) {
            return Phase.GENERALIZING;
        }
        return Phase.FINALIZING;
    }
}
