package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link InterpolatedSearch} finds what a bisection finds (the lowest passing index of a monotone verdict)
 * on loss curves of every shape, never probes an index twice nor outside the range, never takes more than
 * {@link InterpolatedSearch#SPARE_PROBES} more than a bisection's worst case, and on smooth curves far fewer.
 */
final class InterpolatedSearchTest {

    private static final double BOUND = 1.0;

    /** Loss curves falling with the index (a rank), seeded: linear, convex, concave, steps, noisy, with NaN. */
    static Stream<Arguments> curves() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int seed = 1; seed <= 12; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 2 + r.nextInt(3000);
            double root = r.nextDouble() * n;
            double scale = 0.1 + r.nextDouble() * 5;
            b.add(Arguments.of("linear " + seed, n, (IntToDoubleFunction) i -> BOUND + scale * (root - i) / n));
            b.add(Arguments.of("convex " + seed, n, (IntToDoubleFunction) i -> BOUND * Math.exp(scale * (root - i) / n)));
            b.add(Arguments.of("concave " + seed, n,
                    (IntToDoubleFunction) i -> BOUND + Math.signum(root - i) * Math.sqrt(Math.abs(root - i) / n)));
            // steep: a line through a failing end far above the bound lands next to it, every time (false position's
            // slow case)
            double steep = 20 + 40 * r.nextDouble();
            b.add(Arguments.of("steep " + seed, n, (IntToDoubleFunction) i -> BOUND * Math.exp(steep * (root - i) / n)));
            int steps = 1 + r.nextInt(8);
            b.add(Arguments.of("steps " + seed, n,
                    (IntToDoubleFunction) i -> BOUND + Math.floor(steps * (root - i) / n) + 0.5));
            long noiseSeed = r.nextLong();
            // monotone, but with a rough surface: the line's guess is often wrong
            b.add(Arguments.of("rough " + seed, n, (IntToDoubleFunction) i -> {
                double jitter = new SplittableRandom(noiseSeed + i).nextDouble() * 0.9 / n;
                return BOUND + (root - i) / n + (i < root ? jitter : -jitter);
            }));
            // failures that give no usable loss (not finite) below the root
            b.add(Arguments.of("nan " + seed, n, (IntToDoubleFunction) i -> i < root ? Double.NaN : BOUND - 0.5));
        }
        b.add(Arguments.of("all pass", 100, (IntToDoubleFunction) i -> BOUND - 1));
        b.add(Arguments.of("none passes", 100, (IntToDoubleFunction) i -> BOUND + 1));
        b.add(Arguments.of("one index", 1, (IntToDoubleFunction) i -> BOUND - 1));
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("curves")
    void findsTheLowestPassingIndexAsABisectionWould(String name, int n, IntToDoubleFunction curve) {
        for (boolean topKnown : new boolean[] {false, true}) {
            Set<Integer> probed = new HashSet<>();
            int found = InterpolatedSearch.lowestPassing(0, n - 1, BOUND, i -> {
                assertTrue(i >= 0 && i < n, name + ": probe " + i + " outside [0, " + (n - 1) + "]");
                assertTrue(probed.add(i), name + ": index " + i + " probed twice");
                return OptionalDouble.of(curve.applyAsDouble(i));
            }, l -> l < BOUND, topKnown ? OptionalDouble.of(curve.applyAsDouble(n - 1)) : OptionalDouble.empty(),
                    InterpolatedSearch.Resolution.EXACT);
            int scan = -1;
            for (int i = n - 1; i >= 0 && curve.applyAsDouble(i) < BOUND; i--) {
                scan = i;
            }
            assertEquals(scan, found, name + (topKnown ? " (top known)" : ""));
            int unknown = n - (topKnown && curve.applyAsDouble(n - 1) < BOUND ? 1 : 0);
            int worst = InterpolatedSearch.ceilLog2(unknown + 1);
            assertTrue(probed.size() <= worst + InterpolatedSearch.SPARE_PROBES, name + ": " + probed.size()
                    + " probes where a bisection takes at most " + worst + " (here " + bisectionProbes(n, curve, topKnown) + ")");
        }
    }

    /** The probes a plain bisection makes for the lowest passing index of {@code curve} on [0, n - 1]. */
    private static int bisectionProbes(int n, IntToDoubleFunction curve, boolean topKnown) {
        int lo = 0;
        int hi = n - 1;
        if (topKnown && curve.applyAsDouble(hi) < BOUND) {
            hi--;
        }
        int probes = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            probes++;
            if (curve.applyAsDouble(mid) < BOUND) {
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return probes;
    }

    @Test
    void smoothCurvesTakeFewerProbesThanABisection() {
        int total = 0;
        int bisection = 0;
        for (int seed = 1; seed <= 50; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 500 + r.nextInt(3000);
            double root = 0.2 * n + r.nextDouble() * 0.6 * n;
            double scale = 0.5 + r.nextDouble() * 2;
            // a loss that falls smoothly as the rank grows, as truncating a spectrum does
            IntToDoubleFunction curve = i -> BOUND * Math.exp(scale * (root - i) / n);
            int[] count = {0};
            InterpolatedSearch.lowestPassing(0, n - 1, BOUND, i -> {
                count[0]++;
                return OptionalDouble.of(curve.applyAsDouble(i));
            }, l -> l < BOUND, OptionalDouble.of(curve.applyAsDouble(n - 1)), InterpolatedSearch.Resolution.EXACT);
            total += count[0];
            bisection += 32 - Integer.numberOfLeadingZeros(n - 1);
        }
        assertTrue(total < 0.7 * bisection, total + " probes against a bisection's " + bisection);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("curves")
    void aCoarserResolutionEndsOnAPassingIndexWithinIt(String name, int n, IntToDoubleFunction curve) {
        int width = 1 + n / 50;
        int[] count = {0};
        int found = InterpolatedSearch.lowestPassing(0, n - 1, BOUND, i -> {
            count[0]++;
            return OptionalDouble.of(curve.applyAsDouble(i));
        }, l -> l < BOUND, OptionalDouble.empty(), (fail, pass) -> pass - fail <= width);
        int scan = -1;
        for (int i = n - 1; i >= 0 && curve.applyAsDouble(i) < BOUND; i--) {
            scan = i;
        }
        if (scan < 0) {
            assertEquals(-1, found, name);
        } else {
            assertTrue(found >= scan && found <= scan + width && curve.applyAsDouble(found) < BOUND,
                    name + ": " + found + " for the lowest passing " + scan + ", resolution " + width);
        }
    }

    @Test
    void stopsWhenTheLossesRunOut() {
        int[] left = {3};
        int found = InterpolatedSearch.lowestPassing(0, 999, BOUND,
                i -> left[0]-- > 0 ? OptionalDouble.of(i < 400 ? 2.0 : 0.5) : OptionalDouble.empty(), l -> l < BOUND,
                OptionalDouble.empty(), InterpolatedSearch.Resolution.EXACT);
        assertTrue(found == -1 || found >= 400, "a passing index or none: " + found);
    }

    @Test
    void theProjectionKeepsABisectionsReach() {
        // open bracket [1, 99] (ends 0 and 100): with 7 probes left anything goes, with 6 only [36, 64]
        assertEquals(2, InterpolatedSearch.project(2, 1, 99, 7));
        assertEquals(36, InterpolatedSearch.project(2, 1, 99, 6));
        assertEquals(64, InterpolatedSearch.project(97, 1, 99, 6));
        assertEquals(50, InterpolatedSearch.project(50, 1, 99, 6));
        assertEquals(1, InterpolatedSearch.project(1, 1, 1, 0));
        assertEquals(0, InterpolatedSearch.ceilLog2(1));
        assertEquals(7, InterpolatedSearch.ceilLog2(100));
        assertEquals(7, InterpolatedSearch.ceilLog2(128));
    }

    @Test
    void theLineIsAimedAtTheBoundAndClampedIntoTheBracket() {
        // fail at 0 (loss 3), pass at 100 (loss 1): bound 2 is met half way
        assertEquals(50, InterpolatedSearch.next(1, 99, 0, 3, 100, 1, 2));
        // rounded up: the lowest passing index is at or above the crossing
        assertEquals(34, InterpolatedSearch.next(1, 99, 0, 3, 100, 0, 2));
        // clamped into [lo, hi]
        assertEquals(90, InterpolatedSearch.next(90, 95, 0, 3, 100, 2.9, 2.95));
        // no line across the bound (a failure below it, or not finite): the middle
        assertEquals(50, InterpolatedSearch.next(1, 99, 0, 0.5, 100, 0.2, 1));
        assertEquals(50, InterpolatedSearch.next(1, 99, 0, Double.POSITIVE_INFINITY, 100, 0.2, 1));
    }
}
