package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.grokmetrics.testing.Gen;
import org.junit.jupiter.api.Test;

/**
 * What the search spends its loss evaluations on ({@link CoarseGrainSearch}): on weights that are not low-rank,
 * the rank search must stop after its gates instead of bisecting ranks whose candidates can never beat the dense
 * description (each such candidate costs a loss evaluation and an m&middot;k&middot;n product).
 */
class CoarseGrainSearchTest {

    /** Gaussian matrices, wide and tall, whose chain top (k just below mn/(m+n)) drops only a few small values. */
    private static ParameterSnapshot gaussian(long seed) {
        Gen g = new Gen(new SplittableRandom(seed));
        return ParameterSnapshot.of(List.of(Tensor.matrix("wide", 32, 256, g.gaussianFloats(32 * 256, 1)),
                Tensor.matrix("tall", 256, 32, g.gaussianFloats(256 * 32, 1)),
                Tensor.matrix("block", 40, 200, g.gaussianFloats(40 * 200, 1)),
                Tensor.vector("bias", g.gaussianFloats(32, 0.1))));
    }

    /** Whether some matrix of {@code w} has numerical rank below its short side (a low-rank candidate). */
    private static boolean anyLowRank(ParameterSnapshot w) {
        for (Tensor t : w.tensors()) {
            if (t.isMatrix()) {
                double[] s = new EjmlLinearAlgebra().singularValues(t.rows(), t.cols(), t.toDoubleArray());
                if (s[s.length - 1] < 1e-4 * s[0]) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void weightsThatAreNotLowRankCostAtMostThreeLowRankEvaluations() {
        for (long seed = 1; seed <= 3; seed++) {
            ParameterSnapshot p = gaussian(seed);
            // the loss allows losing half the weights' energy: the chain's top passes at 8 bits (seed 1; without the
            // gates the search then bisected the ranks at 8 bits, 11 low-rank evaluations), the dense quantization
            // at two or three bits, and no rank configuration comes near the dense description's size
            LossOracle quadratic = QuadraticLoss.around(p, 1, 1);
            int[] lowRank = {0};
            LossOracle counted = w -> {
                if (anyLowRank(w)) {
                    lowRank[0]++;
                }
                return quadratic.loss(w);
            };
            CoarseGraining g = CoarseGrainCompressor.of(0.5).compress(p, counted);
            assertTrue(lowRank[0] >= 1 && lowRank[0] <= 3, "seed " + seed + ": " + lowRank[0]
                    + " low-rank candidates evaluated (the gates take one to three)");
            assertTrue(g.settings().stream().noneMatch(s -> s.kind() == TensorSetting.Kind.LOW_RANK), g.toString());
            assertEquals(g.coarse(), CoarseGrainCompressor.decode(g.encoded()));
        }
    }
}
