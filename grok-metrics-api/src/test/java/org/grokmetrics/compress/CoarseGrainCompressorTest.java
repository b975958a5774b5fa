package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.ComplexityEstimatorContract;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.testing.Gen;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;

class CoarseGrainCompressorTest extends ComplexityEstimatorContract {

    /** L(q) = base + scale * mean((q - p)^2): an independent, smooth, monotone distortion. */
    static LossOracle quadratic(ParameterSnapshot p, double base, double scale) {
        return QuadraticLoss.around(p, base, scale);
    }

    /** Counts calls, so the reported evaluation count can be checked. */
    static final class Counting implements LossOracle {
        final LossOracle inner;
        final AtomicInteger calls = new AtomicInteger();

        Counting(LossOracle inner) {
            this.inner = inner;
        }

        @Override
        public double loss(ParameterSnapshot p) {
            calls.incrementAndGet();
            return inner.loss(p);
        }
    }

    /** Low-rank-plus-noise matrices, a 3-D tensor and a bias. */
    static ParameterSnapshot model(Gen g) {
        List<Tensor> ts = new ArrayList<>();
        int layers = g.intIn(1, 3);
        for (int l = 0; l < layers; l++) {
            int m = g.intIn(4, 40);
            int n = g.intIn(4, 40);
            int r = g.intIn(1, Math.min(m, n));
            double[] s = new double[r];
            for (int i = 0; i < r; i++) {
                s[i] = g.logUniform(0.01, 5);
            }
            double[] a = g.withSingularValues(m, n, s);
            float[] f = new float[a.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) (a[i] + 1e-3 * g.gaussian());
            }
            ts.add(Tensor.matrix("layer" + l + ".weight", m, n, f));
            ts.add(Tensor.vector("layer" + l + ".bias", g.gaussianFloats(n, 0.1)));
        }
        ts.add(new Tensor("conv", new int[] {3, 2, 2}, g.gaussianFloats(12, 0.3)));
        return ParameterSnapshot.of(ts);
    }

    static void assertInvariants(CoarseGraining g, ParameterSnapshot p, Counting oracle, CoarseGrainCompressor.Options o) {
        assertEquals(g.coarse(), CoarseGrainCompressor.decode(g.encoded()), "decode(encoded) == coarse");
        assertEquals(Double.doubleToLongBits(oracle.inner.loss(g.coarse())), Double.doubleToLongBits(g.coarseLoss()),
                "coarseLoss is the oracle's loss of coarse()");
        double d = g.coarseLoss() - g.originalLoss();
        assertTrue(o.oneSided() ? d < o.epsilon() : Math.abs(d) < o.epsilon(), "distortion " + d + " vs eps " + o.epsilon());
        assertEquals(8L * g.encoded().length, g.bits());
        assertTrue(g.bits() <= g.naiveBits(), g.bits() + " > naive " + g.naiveBits());
        assertTrue(g.lossEvaluations() <= o.lossBudget(), g.lossEvaluations() + " evaluations");
        assertEquals(oracle.calls.get(), g.lossEvaluations(), "reported evaluations = oracle calls");
        assertEquals(p.names(), g.coarse().names());
        assertEquals(p.names().size(), g.settings().size());
    }

    @PropertyTest(cases = 30)
    void defaultModeInvariants(Seed seed) {
        Gen g = seed.gen();
        ParameterSnapshot p = model(g);
        Counting oracle = new Counting(quadratic(p, g.doubleIn(0, 3), g.logUniform(1, 1e4)));
        var o = CoarseGrainCompressor.Options.defaults(g.logUniform(1e-4, 1)).withOneSided(g.random().nextBoolean())
                .withLossBudget(g.intIn(2, 30));
        CoarseGraining r = CoarseGrainCompressor.of(o).compress(p, oracle);
        assertInvariants(r, p, oracle, o);
    }

    @PropertyTest(cases = 15)
    void paperAndQuantizationOnlyInvariants(Seed seed) {
        Gen g = seed.gen();
        ParameterSnapshot p = model(g);
        double eps = g.logUniform(1e-3, 1);
        for (var o : List.of(CoarseGrainCompressor.Options.paper(eps), CoarseGrainCompressor.Options.quantizationOnly(eps))) {
            Counting oracle = new Counting(quadratic(p, 1, g.logUniform(1, 1e3)));
            CoarseGraining r = CoarseGrainCompressor.of(o).compress(p, oracle);
            assertInvariants(r, p, oracle, o);
            assertEquals(o.mode(), r.mode());
        }
    }

    @Test
    void tinyEpsilonFallsBackToLosslessAndStaysHonest() {
        Gen g = new Gen(new java.util.SplittableRandom(9));
        ParameterSnapshot p = model(g);
        Counting oracle = new Counting(quadratic(p, 1, 1e12));
        var o = CoarseGrainCompressor.Options.defaults(1e-12);
        CoarseGraining r = CoarseGrainCompressor.of(o).compress(p, oracle);
        assertInvariants(r, p, oracle, o);
        assertEquals(p, r.coarse());
        assertEquals(TensorSetting.Kind.DENSE_FLOAT32, r.settings().get(0).kind());
    }

    @Test
    void zeroAndConstantSnapshotsCostAFewHundredBits() {
        ParameterSnapshot zeros = ParameterSnapshot.of(List.of(Tensor.matrix("w", 64, 64, new float[4096]),
                Tensor.vector("b", new float[64])));
        CoarseGraining z = CoarseGrainCompressor.of(1).compress(zeros, quadratic(zeros, 1, 1));
        assertTrue(z.bits() < 400, z.bits() + " bits for zeros");
        assertEquals(TensorSetting.Kind.ZERO, z.settings().get(0).kind());
        float[] c = new float[4096];
        java.util.Arrays.fill(c, 0.37f);
        ParameterSnapshot constant = ParameterSnapshot.of(Tensor.matrix("w", 64, 64, c));
        CoarseGraining k = CoarseGrainCompressor.of(1e-3).compress(constant, quadratic(constant, 1, 1));
        assertTrue(k.bits() < 400, k.bits() + " bits for a constant");
        assertEquals(1, z.lossEvaluations(), "candidates equal to the original weights reuse its loss");
    }

    @Test
    void permissiveOracleCollapsesToTheCoarsestSetting() {
        Gen g = new Gen(new java.util.SplittableRandom(3));
        // singular values 3, 2, 1 -> normalised cumulative 0.5, 0.833, 1: tau = 0.5 keeps rank 1
        double[] a = g.withSingularValues(30, 40, new double[] {3, 2, 1});
        ParameterSnapshot p = ParameterSnapshot.of(List.of(Tensor.ofDoubles("w", new int[] {30, 40}, a),
                Tensor.vector("b", g.gaussianFloats(40, 1))));
        CoarseGraining r = CoarseGrainCompressor.of(1).compress(p, q -> 0.5);
        assertEquals(2, r.globalBits());
        TensorSetting w = r.settings().get(0);
        assertEquals(TensorSetting.Kind.LOW_RANK, w.kind());
        assertEquals(1, w.rank());
        assertEquals(0.5, r.tau(), 1e-6);
        assertEquals(2, r.settings().get(1).bits());
    }

    @Test
    void oneSidedAcceptsLowerLossTwoSidedDoesNot() {
        Gen g = new Gen(new java.util.SplittableRandom(4));
        ParameterSnapshot p = model(g);
        LossOracle better = quadratic(p, 5, -1e6); // coarser = much lower loss
        var two = CoarseGrainCompressor.of(CoarseGrainCompressor.Options.defaults(0.1)).compress(p, better);
        var one = CoarseGrainCompressor.of(CoarseGrainCompressor.Options.defaults(0.1).withOneSided(true))
                .compress(p, better);
        assertTrue(one.bits() < two.bits(), one.bits() + " vs " + two.bits());
        assertTrue(one.coarseLoss() < one.originalLoss() - 0.1);
    }

    @Test
    void badInputIsAClearError() {
        ParameterSnapshot nan = ParameterSnapshot.of(Tensor.matrix("attn.out", 2, 2, new float[] {1, Float.NaN, 0, 1}));
        var e = assertThrows(IllegalArgumentException.class,
                () -> CoarseGrainCompressor.of(1).compress(nan, q -> 1));
        assertTrue(e.getMessage().contains("attn.out"), e.getMessage());
        ParameterSnapshot ok = ParameterSnapshot.of(Tensor.matrix("w", 2, 2, new float[] {1, 0, 0, 1}));
        var l = assertThrows(IllegalArgumentException.class,
                () -> CoarseGrainCompressor.of(1).compress(ok, q -> Double.NaN));
        assertTrue(l.getMessage().contains("train loss is NaN"), l.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CoarseGrainCompressor.of(0));
        assertThrows(IllegalArgumentException.class, () -> CoarseGrainCompressor.Options.defaults(1).withBits(1, 8));
        assertThrows(IllegalArgumentException.class, () -> CoarseGrainCompressor.Options.defaults(1).withLossBudget(1));
        var missing = assertThrows(IllegalStateException.class,
                () -> CoarseGrainCompressor.of(1).estimate(EstimationContext.of(ok)));
        assertTrue(missing.getMessage().contains("train-loss oracle"), missing.getMessage());
    }

    @Test
    void corruptDescriptionsAreRejected() {
        ParameterSnapshot p = model(new Gen(new java.util.SplittableRandom(5)));
        byte[] enc = CoarseGrainCompressor.of(0.1).compress(p, quadratic(p, 1, 10)).encoded();
        assertThrows(IllegalArgumentException.class, () -> CoarseGrainCompressor.decode(new byte[] {9, 1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> CoarseGrainCompressor.decode(java.util.Arrays.copyOf(enc, enc.length / 2)));
        assertThrows(IllegalArgumentException.class, () -> CoarseGrainCompressor.decode(new byte[0]));
    }

    @Test
    void quantizationCodesFollowTheFormula() {
        // 3 bits = 3 levels per side, delta = r / 3; r = 1: -1 -> -3, -0.5 -> -1.5 rounds half up to -1, 0.2 -> 0.6 -> 1
        assertArrayEquals(new int[] {-3, -1, 1, 3}, QuantizationLadder.codes(new double[] {-1, -0.5, 0.2, 1}, 1.0 / 3, 3));
        assertEquals(127, QuantizationLadder.levels(8));
        assertEquals(1, QuantizationLadder.levels(2));
        // the half-bit ladder holds every 2^(b-1) - 1 and codes of L levels fit in ceil(log2(2L + 1)) bits
        for (int b = 2; b <= 16; b++) {
            assertEquals(QuantizationLadder.levels(b), QuantizationLadder.LADDER[QuantizationLadder.ladderIndexOfBits(b)]);
            assertEquals(b, QuantizationLadder.bitsFor(QuantizationLadder.levels(b)));
        }
        assertEquals(3, QuantizationLadder.bitsFor(2));
        assertEquals(4, QuantizationLadder.bitsFor(5));
    }

    @Test
    void descriptionLengthAndBoundFormulas() {
        ParameterSnapshot p = model(new Gen(new java.util.SplittableRandom(6)));
        CoarseGraining g = CoarseGrainCompressor.of(0.5).compress(p, quadratic(p, 2, 10));
        long n = 1000;
        assertEquals(n * g.coarseLoss() / Math.log(2) + g.bits(), g.totalDescriptionLengthBits(n), 1e-9);
        double k = g.bits();
        assertEquals(0.1 + Math.sqrt((k + 2 * Math.log(k) + Math.log(20)) / 2000.0), g.generalizationBound(0.1, n, 0.05),
                1e-12);
    }

    @Override
    protected ComplexityEstimator estimator() {
        return CoarseGrainCompressor.of(0.05);
    }

    @Override
    protected EstimationContext context(ParameterSnapshot parameters) {
        return EstimationContext.of(parameters).withTrainLoss(quadratic(parameters, 1, 100), 500);
    }

    @Test
    void estimateReportsBitsAndDetails() {
        ParameterSnapshot p = model(new Gen(new java.util.SplittableRandom(8)));
        ComplexityEstimate e = estimator().estimate(context(p));
        assertTrue(e.value() > 0);
        assertTrue(e.detail("naive_bits").orElseThrow() >= e.value());
        assertTrue(e.detail("total_description_length_bits").isPresent());
        assertEquals(p.tensorCount(), e.perTensor().size());
        assertTrue(e.cost().lossEvaluations() >= 2);
    }

    @Test
    void rateDistortionSessionEvaluatesAnyPointAndDescribesIt() {
        Gen g = new Gen(new java.util.SplittableRandom(12));
        ParameterSnapshot p = model(g);
        Counting oracle = new Counting(quadratic(p, 1, 1e3));
        CoarseGrainCompressor c = CoarseGrainCompressor.of(0.01);
        RateDistortion rd = c.rateDistortion(p, oracle);
        List<Double> taus = rd.tauBreakpoints();
        assertTrue(!taus.isEmpty());
        for (int i = 1; i < taus.size(); i++) {
            assertTrue(taus.get(i) > taus.get(i - 1), "ascending");
        }
        var coarse = rd.point(3, taus.get(0));
        var fine = rd.point(12, 1.0);
        assertTrue(coarse.distortion() > fine.distortion(), coarse + " vs " + fine);
        assertTrue(coarse.estimatedBits() < fine.estimatedBits());
        CoarseGraining d = rd.describe(coarse);
        assertEquals(d.coarse(), CoarseGrainCompressor.decode(d.encoded()));
        assertEquals(coarse.loss(), d.coarseLoss());
        assertEquals(oracle.calls.get(), rd.lossEvaluations());
        assertThrows(IllegalStateException.class, () -> rd.describe(new RateDistortion.Point(
                5, 0.7, 0, 0, 0, true)));
        assertThrows(IllegalArgumentException.class, () -> rd.point(1, 0.5));
    }
}
