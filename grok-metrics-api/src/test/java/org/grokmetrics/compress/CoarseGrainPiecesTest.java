package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.testing.Gen;
import org.junit.jupiter.api.Test;

/** The compressor's pieces on small cases: quantization formula, rank chain, search budget per mode. */
class CoarseGrainPiecesTest {

    @Test
    void codesRoundHalfUpAndClampToTheLevels() {
        // delta 0.5, 2 levels per side: 0.25 -> 0.5 rounds to 1, -0.25 -> -0.5 rounds (half up) to 0, 3 clamps to 2
        assertArrayEquals(new int[] {1, 0, 2, -2, 0}, QuantizationLadder.codes(new double[] {0.25, -0.25, 3, -7, 0}, 0.5, 2));
    }

    @Test
    void defaultQuantizationReconstructsWithinHalfABin() {
        double[] v = {-0.9, -0.31, 0, 0.05, 0.5, 1.2};
        double r = 1.2;
        for (int bits = 2; bits <= 16; bits++) {
            int levels = QuantizationLadder.levels(bits);
            double delta = r / levels;
            int[] c = QuantizationLadder.codes(v, delta, levels);
            for (int i = 0; i < v.length; i++) {
                assertTrue(Math.abs(c[i]) <= levels);
                assertTrue(Math.abs(c[i] * delta - v[i]) <= delta / 2 + 1e-12, bits + " bits, value " + v[i]);
            }
            assertEquals(levels, c[v.length - 1], "the largest |value| gets the top code");
        }
    }

    @Test
    void paperQuantizationRoundsHalfEvenToFloat() {
        // rint: 0.25 / 0.5 = 0.5 -> 0, 0.75 / 0.5 = 1.5 -> 2; the product is rounded to float
        float[] q = QuantizationLadder.quantizeFloats(new double[] {0.25, 0.75, -0.75, 0.1}, 0.5);
        assertArrayEquals(new float[] {0f, 1f, -1f, 0f}, q);
        float[] f = QuantizationLadder.quantizeFloats(new double[] {0.333}, 0.1);
        assertEquals((float) (3 * 0.1), f[0]);
    }

    /** A 30&times;40 matrix with singular values 3, 2, 1: normalised cumulative 0.5, 0.833, 1. */
    private static ParameterSnapshot rankThree() {
        Gen g = new Gen(new java.util.SplittableRandom(3));
        double[] a = g.withSingularValues(30, 40, new double[] {3, 2, 1});
        return ParameterSnapshot.of(List.of(Tensor.ofDoubles("w", new int[] {30, 40}, a),
                Tensor.vector("b", g.gaussianFloats(40, 1))));
    }

    @Test
    void rankChainHoldsTheBreakpointsOfTheNormalisedCumulativeSpectrum() {
        ParameterSnapshot p = rankThree();
        var rd = CoarseGrainCompressor.of(1).rateDistortion(p, QuadraticLoss.around(p, 1, 1));
        List<Double> taus = rd.tauBreakpoints();
        assertEquals(0.5, taus.get(0), 1e-6);
        assertEquals(5.0 / 6, taus.get(1), 1e-6);
        for (int i = 1; i < taus.size(); i++) {
            assertTrue(taus.get(i) > taus.get(i - 1), "ascending");
            assertTrue(taus.get(i) <= 1 + 1e-12);
        }
        // k(tau) = min{k : cumulative_k >= tau}
        assertEquals(1, rankOfW(rd, taus.get(0)));
        assertEquals(2, rankOfW(rd, taus.get(0) + 1e-9));
        assertEquals(2, rankOfW(rd, taus.get(1)));
        assertEquals(3, rankOfW(rd, taus.get(1) + 1e-9));
        assertEquals(3, rankOfW(rd, 0.9));
        assertEquals(-1, rankOfW(rd, 1.0), "tau = 1 is dense");
    }

    private static int rankOfW(RateDistortion rd, double tau) {
        var pt = rd.point(8, tau);
        return rd.describe(pt).settings().get(0).rank();
    }

    /** Every loss the search evaluated, so the budget and the bound can be checked per mode. */
    private static final class Recording implements LossOracle {
        final LossOracle inner;
        final List<Double> losses = new ArrayList<>();

        Recording(LossOracle inner) {
            this.inner = inner;
        }

        @Override
        public double loss(ParameterSnapshot p) {
            double l = inner.loss(p);
            losses.add(l);
            return l;
        }
    }

    @Test
    void searchNeverExceedsTheBudgetNorTheBoundInAnyMode() {
        ParameterSnapshot p = CoarseGrainGoldenTest.snapshot();
        for (double eps : new double[] {1e-4, 1e-2, 0.5}) {
            for (int budget : new int[] {2, 3, 7, 24, 62}) {
                for (var base : List.of(CoarseGrainCompressor.Options.defaults(eps), CoarseGrainCompressor.Options.paper(eps),
                        CoarseGrainCompressor.Options.quantizationOnly(eps))) {
                    for (boolean oneSided : new boolean[] {false, true}) {
                        var o = base.withLossBudget(budget).withOneSided(oneSided);
                        Recording oracle = new Recording(QuadraticLoss.around(p, 1, 1e3));
                        CoarseGraining g = CoarseGrainCompressor.of(o).compress(p, oracle);
                        String what = o.mode() + " eps " + eps + " budget " + budget + " oneSided " + oneSided;
                        assertTrue(oracle.losses.size() <= budget, what + ": " + oracle.losses.size() + " evaluations");
                        assertEquals(oracle.losses.size(), g.lossEvaluations(), what);
                        double d = g.coarseLoss() - g.originalLoss();
                        assertTrue(oneSided ? d < eps : Math.abs(d) < eps, what + ": distortion " + d);
                        assertEquals(g.coarse(), CoarseGrainCompressor.decode(g.encoded()), what);
                        assertEquals(o.mode(), g.mode());
                    }
                }
            }
        }
    }

    @Test
    void aLooserBoundNeverGivesALongerDescription() {
        ParameterSnapshot p = CoarseGrainGoldenTest.snapshot();
        for (var mode : CoarseGrainCompressor.Mode.values()) {
            long previous = Long.MAX_VALUE;
            for (double eps : new double[] {1e-6, 1e-3, 1e-1, 10}) {
                var o = switch (mode) {
                    case DEFAULT -> CoarseGrainCompressor.Options.defaults(eps);
                    case PAPER -> CoarseGrainCompressor.Options.paper(eps);
                    case QUANTIZATION_ONLY -> CoarseGrainCompressor.Options.quantizationOnly(eps);
                };
                long bits = CoarseGrainCompressor.of(o).compress(p, QuadraticLoss.around(p, 1, 1e3)).bits();
                assertTrue(bits <= previous, mode + " eps " + eps + ": " + bits + " > " + previous);
                previous = bits;
            }
        }
    }
}
