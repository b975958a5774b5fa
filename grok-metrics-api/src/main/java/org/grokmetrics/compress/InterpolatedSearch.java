package org.grokmetrics.compress;

import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import java.util.function.IntFunction;

/**
 * The lowest passing index of a monotone search (every index above a passing one passes) whose probes
 * also give a loss: a bracketing search that places each probe where the straight line through the
 * bracket's losses meets the bound, instead of at its middle. With a failing index a (loss L<sub>a</sub>
 * above the bound B) and a passing index b &gt; a (loss L<sub>b</sub> below it), the next probe is
 * <pre>  &lceil;a + (L<sub>a</sub> &minus; B) / (L<sub>a</sub> &minus; L<sub>b</sub>) &middot; (b &minus; a)&rceil;</pre>
 * clamped into the open bracket, then projected towards its middle just enough that a bisection could
 * still close it within a bisection's worst-case probe count plus {@link #SPARE_PROBES} ({@link #project}):
 * never more probes than that, whatever the losses. The bracket shrinks after every probe and, run to the end
 * ({@link Resolution#EXACT}), the result is the bisection's (the lowest passing index, for a monotone
 * verdict) whatever the losses; only the number of probes differs. A coarser {@link Resolution} ends it
 * earlier, on the bracket's passing end. Where the line cannot be drawn (an end of the bracket not yet
 * probed, a loss not finite or on the wrong side of the bound: a failure below L0 &minus; &epsilon;) and
 * after two probes in a row that moved the same end (the slow case of false position on a curved loss),
 * the probe goes to the middle.
 *
 * <p>On the rank chain of a network that is not low-rank the loss falls smoothly as the rank grows: on a
 * GPT-2-small-shaped Gaussian snapshot (a chain of about 30,000 indices) the search took 7 probes below the
 * top where the bisection took 12, and each probe there rebuilds every low-rank matrix (48 products of about
 * 768&times;3072&times;500 multiply-adds).
 */
final class InterpolatedSearch {

    /**
     * Probes the search may take beyond a bisection's worst case, to follow the line (ITP's n<sub>0</sub>). With
     * one, smooth curves took 21% fewer probes than a bisection and the grokked mod-31 MLP's bound at &epsilon; =
     * 0.1 came out 7% larger (its loss is not monotone in the rank, so the path decides); with three, 37% fewer
     * and the same bounds as the bisection or tighter.
     */
    static final int SPARE_PROBES = 3;

    private InterpolatedSearch() {
    }

    /**
     * The lowest index in [lo, hi] that passes; -1 if none does (or the losses run out first).
     *
     * @param loss   the loss at an index, probing it if need be; empty when no more probes may be made
     * @param passes whether a loss passes
     * @param bound  the loss at which a probe stops passing (L0 + &epsilon;): what the line is aimed at
     * @param hiLoss hi's loss if it is known without a probe (then hi is not probed again), else empty
     * @param resolution when a bracket is narrow enough: the search then ends on its passing end
     */
    static int lowestPassing(int lo, int hi, double bound, IntFunction<OptionalDouble> loss, DoublePredicate passes,
                             OptionalDouble hiLoss, Resolution resolution) {
        int found = -1;
        int failIdx = -1;
        double failLoss = Double.NaN;
        double passLoss = Double.NaN;
        if (lo <= hi && hiLoss.isPresent() && passes.test(hiLoss.getAsDouble())) {
            // the top known to pass (probed before): the bracket's passing end from the start
            found = hi;
            passLoss = hiLoss.getAsDouble();
            hi--;
        }
        int sameEnd = 0;
        int lastEnd = 0;
        // probes left (the projection's budget): a bisection's at most, plus the spare ones
        int left = ceilLog2(hi - lo + 2) + SPARE_PROBES;
        while (lo <= hi && !(failIdx >= 0 && found >= 0 && resolution.reached(failIdx, found))) {
            int guess = sameEnd >= 2 || found < 0 || failIdx < 0
                    ? (lo + hi) >>> 1
                    : next(lo, hi, failIdx, failLoss, found, passLoss, bound);
            left--;
            int probe = project(guess, lo, hi, left);
            OptionalDouble l = loss.apply(probe);
            if (l.isEmpty()) {
                break;
            }
            int end;
            if (passes.test(l.getAsDouble())) {
                found = probe;
                passLoss = l.getAsDouble();
                hi = probe - 1;
                end = 1;
            } else {
                failIdx = probe;
                failLoss = l.getAsDouble();
                lo = probe + 1;
                end = -1;
            }
            sameEnd = end == lastEnd ? sameEnd + 1 : 1;
            lastEnd = end;
        }
        return found;
    }

    /**
     * {@code guess} moved into the probes that leave a bracket that a bisection closes in {@code left} more probes:
     * [hi + 1 &minus; 2<sup>left</sup>, lo &minus; 1 + 2<sup>left</sup>] (the open bracket is [lo, hi], its
     * ends lo &minus; 1 and hi + 1), within [lo, hi]. This is what bounds the search by a bisection's probes plus
     * {@link #SPARE_PROBES}, whatever the losses (the projection step of Oliveira and Takahashi's ITP method,
     * ACM TOMS 47(1), 2020, on integers).
     */
    static int project(int guess, int lo, int hi, int left) {
        long reach = left >= 62 ? Long.MAX_VALUE / 4 : 1L << Math.max(0, left);
        long min = Math.max(lo, hi + 1 - reach);
        long max = Math.min(hi, lo - 1 + reach);
        if (min > max) {
            return (lo + hi) >>> 1;   // not reached while the invariant holds; the middle keeps it
        }
        return (int) Math.max(min, Math.min(max, guess));
    }

    /** &lceil;log<sub>2</sub> x&rceil; for x &ge; 1. */
    static int ceilLog2(int x) {
        return x <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(x - 1);
    }

    /** When a bracket is narrow enough to end the search. */
    @FunctionalInterface
    interface Resolution {
        /** Every index: the search runs until the bracket closes. */
        Resolution EXACT = (failIdx, passIdx) -> false;

        /** Whether the bracket between a failing and a passing index is narrow enough. */
        boolean reached(int failIdx, int passIdx);
    }

    /**
     * Where the line through (failIdx, failLoss) and (passIdx, passLoss) meets {@code bound}, rounded up and
     * clamped into [lo, hi]; the middle of [lo, hi] where no such line crosses the bound between the two.
     */
    static int next(int lo, int hi, int failIdx, double failLoss, int passIdx, double passLoss, double bound) {
        if (!(failLoss > bound && bound > passLoss) || !Double.isFinite(failLoss) || !Double.isFinite(passLoss)
                || passIdx <= failIdx) {
            return (lo + hi) >>> 1;
        }
        double x = failIdx + (failLoss - bound) / (failLoss - passLoss) * (passIdx - failIdx);
        return (int) Math.max(lo, Math.min(hi, Math.ceil(x)));
    }
}
