package org.grokmetrics.examples.train;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Late loss spikes of a training run (the "slingshot" of full-batch Adam once the train loss is tiny): a
 * spike starts where the train loss rises above {@code rise} &times; its running minimum m (and above
 * {@code floor}, so the noise of a loss near 1e-7 is not a spike); it has recovered at the first later trace
 * point where the loss is back below max({@code recover} &times; m, {@code floor}). m is the minimum before
 * the spike started. A pure function of the trace.
 *
 * @param rise    factor over the running minimum that starts a spike (&gt; 1)
 * @param recover factor over the pre-spike minimum that ends it (&ge; 1, &le; rise)
 * @param floor   absolute loss (nats) below which nothing counts as a spike
 */
public record LossSpikes(double rise, double recover, double floor) {

    /** One spike. */
    public record Spike(long startStep, long peakStep, double peakLoss, double baseLoss, OptionalLong recoveredStep) {
    }

    /**
     * @throws IllegalArgumentException if the factors are out of range
     */
    public LossSpikes {
        if (!(rise > 1) || !(recover >= 1 && recover <= rise) || !(floor > 0) || Double.isInfinite(rise)) {
            throw new IllegalArgumentException("need rise > 1, 1 <= recover <= rise, floor > 0; got " + rise + ", "
                    + recover + ", " + floor);
        }
    }

    /** rise 100, recover 10, floor 1e-3 nats. */
    public static LossSpikes defaults() {
        return new LossSpikes(100, 10, 1e-3);
    }

    /**
     * The spikes of a trace; non-finite losses end the search (the run diverged there).
     *
     * @param steps ascending steps
     * @param loss  train loss at each step (nats)
     */
    public List<Spike> find(long[] steps, double[] loss) {
        if (steps.length != loss.length) {
            throw new IllegalArgumentException("steps and losses differ in length: " + steps.length + ", " + loss.length);
        }
        List<Spike> out = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        int i = 0;
        while (i < loss.length && Double.isFinite(loss[i])) {
            if (loss[i] > Math.max(rise * min, floor)) {
                double base = min;
                int peak = i;
                int j = i;
                double end = Math.max(recover * base, floor);
                while (j < loss.length && Double.isFinite(loss[j]) && loss[j] >= end) {
                    if (loss[j] > loss[peak]) {
                        peak = j;
                    }
                    j++;
                }
                boolean recovered = j < loss.length && Double.isFinite(loss[j]);
                out.add(new Spike(steps[i], steps[peak], loss[peak], base,
                        recovered ? OptionalLong.of(steps[j]) : OptionalLong.empty()));
                if (!recovered) {
                    break;
                }
                min = Math.min(base, loss[j]);
                i = j + 1;
                continue;
            }
            min = Math.min(min, loss[i]);
            i++;
        }
        return out;
    }
}
