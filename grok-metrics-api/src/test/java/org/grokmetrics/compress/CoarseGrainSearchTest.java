package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The search's size-only steps against a plain scan: {@link CoarseGrainSearch#breakEvenLevel} (where the rank
 * search decides whether a passing rank can lead anywhere) and {@link CoarseGrainSearch#usefulTop} give, for
 * every chain index and level, what scanning every estimate gives; neither evaluates a loss.
 */
final class CoarseGrainSearchTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void sizeOnlyStepsAgreeWithAScanOfEveryEstimate(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        // a low-rank matrix plus noise, a Gaussian one (not low-rank) and a bias: shapes not square, one side > 128
        int m = 40 + r.nextInt(60);
        int n = 130 + r.nextInt(40);
        float[] lowRank = new float[m * n];
        double[] u = r.doubles(m * 3L, -1, 1).toArray();
        double[] v = r.doubles(3L * n, -1, 1).toArray();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = 1e-3 * r.nextGaussian();
                for (int p = 0; p < 3; p++) {
                    x += u[i * 3 + p] * v[p * n + j];
                }
                lowRank[i * n + j] = (float) x;
            }
        }
        float[] gauss = new float[n * m];
        for (int i = 0; i < gauss.length; i++) {
            gauss[i] = (float) (0.02 * r.nextGaussian());
        }
        ParameterSnapshot p = ParameterSnapshot.of(List.of(new Tensor("a", new int[] {m, n}, lowRank),
                new Tensor("b", new int[] {n, m}, gauss), Tensor.vector("c", new float[] {0.5f, -0.25f, 0.125f})));
        CoarseGrainCompressor.Options o = CoarseGrainCompressor.Options.defaults(0.5);
        Evaluations ev = Evaluations.start(p, QuadraticLoss.around(p, 1, 1e3), o, false, new Stopwatch());
        CompressionProblem dense = CompressionProblem.of(o, p);
        CompressionProblem problem = dense.withChain(RankChain.of(dense.tensors(), dense.absMax(), new EjmlLinearAlgebra()));
        int levels = problem.encoding().levelCount();
        int top = problem.chain().length() - 1;
        // a best to beat: a dense quantization in the middle of the ladder
        ev.probe(problem, problem.at(levels / 2, problem.chain().length()));
        assertNotNull(ev.best(), "the dense candidate passes");
        long best = ev.best().proxyBytes();
        for (int i = 0; i <= top; i++) {
            for (int lo = 0; lo < levels; lo += 3) {
                int scan = levels;
                for (int q = lo; q < levels && scan == levels; q++) {
                    if (ev.estimate(problem, problem.at(q, i)).getAsLong() < best) {
                        scan = q;
                    }
                }
                assertEquals(scan, CoarseGrainSearch.breakEvenLevel(problem, ev, i, lo, levels - 1),
                        "finest level from " + lo + " where index " + i + " beats " + best + " bytes");
            }
        }
        for (int q = 0; q < levels; q++) {
            int scan = -1;
            for (int i = 0; i <= top; i++) {
                if (ev.estimate(problem, problem.at(q, i)).getAsLong() < best) {
                    scan = i;
                }
            }
            assertEquals(scan, CoarseGrainSearch.usefulTop(problem, ev, q, top), "highest useful index at level " + q);
        }
        assertEquals(2, ev.count(), "size-only steps evaluate no loss (the original and the one dense probe only)");
        assertTrue(top >= 1, "the chain has ranks to search");
    }
}
