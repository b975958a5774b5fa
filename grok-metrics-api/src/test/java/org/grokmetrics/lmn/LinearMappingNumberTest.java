package org.grokmetrics.lmn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.ComplexityEstimatorContract;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.testing.Gen;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;

class LinearMappingNumberTest extends ComplexityEstimatorContract {

    /** A random tanh MLP R^d1 -> R^d2 in double precision. */
    static FunctionOracle randomMlp(Gen g, int d1, int h, int d2) {
        double[] w1 = g.gaussianMatrix(d1, h, 1.5 / Math.sqrt(d1));
        double[] w2 = g.gaussianMatrix(h, d2, 1.0 / Math.sqrt(h));
        return in -> {
            double[][] out = new double[in.length][d2];
            double[] hid = new double[h];
            for (int r = 0; r < in.length; r++) {
                java.util.Arrays.fill(hid, 0);
                for (int k = 0; k < d1; k++) {
                    for (int j = 0; j < h; j++) {
                        hid[j] += in[r][k] * w1[k * h + j];
                    }
                }
                for (int j = 0; j < h; j++) {
                    double a = Math.tanh(hid[j]);
                    for (int o = 0; o < d2; o++) {
                        out[r][o] += a * w2[j * d2 + o];
                    }
                }
            }
            return out;
        };
    }

    static double[][] randomPoints(Gen g, int n, int d, double scale) {
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = g.gaussianMatrix(1, d, scale);
        }
        return p;
    }

    @Override
    protected ComplexityEstimator estimator() {
        return LinearMappingNumber.withOptions(LinearMappingNumber.Options.defaults().withSampleCount(12));
    }

    @Override
    protected EstimationContext context(ParameterSnapshot parameters) {
        Gen g = new Gen(new java.util.SplittableRandom(parameters.size()));
        FunctionOracle f = randomMlp(g, 3, 8, 2);
        double[][] pts = randomPoints(g, 20, 3, 1.0);
        return EstimationContext.of(parameters).withSubNetwork(f, () -> pts);
    }

    @PropertyTest(cases = 40)
    void affineFunctionsHaveLmnOne(Seed seed) {
        Gen g = seed.gen();
        int d1 = g.intIn(1, 6);
        int d2 = g.intIn(1, 5);
        double[] a = g.gaussianMatrix(d1, d2, g.logUniform(1e-3, 1e3));
        double[] b = g.gaussianMatrix(1, d2, 10);
        FunctionOracle affine = in -> {
            double[][] out = new double[in.length][d2];
            for (int r = 0; r < in.length; r++) {
                for (int o = 0; o < d2; o++) {
                    double s = b[o];
                    for (int k = 0; k < d1; k++) {
                        s += in[r][k] * a[k * d2 + o];
                    }
                    out[r][o] = s;
                }
            }
            return out;
        };
        double[][] pts = randomPoints(g, g.intIn(2, 30), d1, g.logUniform(0.01, 100));
        assertEquals(1.0, LinearMappingNumber.lmn(affine, pts), 1e-9);
        assertEquals(0.0, LinearMappingNumber.entropyBits(LinearMappingNumber.connectivity(affine, pts)), 1e-9);
    }

    /**
     * c blocks of points near R e_a (a = 1..c) and f(x) = sum_k |x_k - R/2|: affine on each block (no
     * coordinate crosses R/2 inside a block), a symmetric V along any segment between blocks (r^2 near
     * 0). So L is nearly c all-one blocks and LMN is nearly c.
     */
    @PropertyTest(cases = 30)
    void separatedEqualBlocksGiveLmnC(Seed seed) {
        Gen g = seed.gen();
        int c = g.intIn(1, 6);
        int per = g.intIn(2, 6);
        int d = c + g.intIn(0, 2);
        double big = 10;
        double[][] pts = new double[c * per][];
        for (int a = 0; a < c; a++) {
            for (int p = 0; p < per; p++) {
                double[] x = g.gaussianMatrix(1, d, 1e-3 * big);
                x[a] += big;
                pts[a * per + p] = x;
            }
        }
        FunctionOracle f = in -> {
            double[][] out = new double[in.length][1];
            for (int r = 0; r < in.length; r++) {
                double s = 0;
                for (double v : in[r]) {
                    s += Math.abs(v - big / 2);
                }
                out[r][0] = s;
            }
            return out;
        };
        double[][] l = LinearMappingNumber.connectivity(f, pts);
        for (int i = 0; i < pts.length; i++) {
            for (int j = 0; j < pts.length; j++) {
                boolean same = i / per == j / per;
                assertTrue(same ? l[i][j] > 1 - 1e-9 : l[i][j] < 1e-3, "L[" + i + "][" + j + "] = " + l[i][j]);
            }
        }
        assertEquals(c, LinearMappingNumber.lmn(f, pts), 0.01 * c);
    }

    @PropertyTest(cases = 30)
    void boundedSymmetricAndPermutationInvariant(Seed seed) {
        Gen g = seed.gen();
        int n = g.intIn(2, 25);
        int d1 = g.intIn(1, 5);
        FunctionOracle f = randomMlp(g, d1, g.intIn(2, 10), g.intIn(1, 4));
        double[][] pts = randomPoints(g, n, d1, g.logUniform(0.1, 5));
        double[][] l = LinearMappingNumber.connectivity(f, pts);
        for (int i = 0; i < n; i++) {
            assertEquals(1.0, l[i][i]);
            for (int j = 0; j < n; j++) {
                assertEquals(l[i][j], l[j][i]);
                assertTrue(l[i][j] >= 0 && l[i][j] <= 1, "L in [0,1]: " + l[i][j]);
            }
        }
        double lmn = LinearMappingNumber.lmn(f, pts);
        assertTrue(lmn >= 1 - 1e-12 && lmn <= n + 1e-9, "LMN " + lmn + " for N=" + n);
        double[][] shuffled = pts.clone();
        java.util.Collections.shuffle(java.util.Arrays.asList(shuffled), new java.util.Random(seed.value()));
        assertEquals(lmn, LinearMappingNumber.lmn(f, shuffled), 1e-9 * lmn);
    }

    @PropertyTest(cases = 30)
    void entropyAgreesWithCommonsMathEigenvalues(Seed seed) {
        Gen g = seed.gen();
        int n = g.intIn(2, 20);
        FunctionOracle f = randomMlp(g, 2, 6, 3);
        double[][] l = LinearMappingNumber.connectivity(f, randomPoints(g, n, 2, 2));
        double[] ev = new EigenDecomposition(new Array2DRowRealMatrix(l)).getRealEigenvalues();
        double sum = 0;
        for (double v : ev) {
            sum += Math.abs(v);
        }
        double s = 0;
        for (double v : ev) {
            double p = Math.abs(v) / sum;
            if (p > 0) {
                s -= p * Math.log(p) / Math.log(2);
            }
        }
        assertEquals(s, LinearMappingNumber.entropyBits(l), 1e-9);
    }

    @Test
    void blockMatrixClosedForms() {
        // two equal all-one blocks: eigenvalues (2, 2, 0, 0) -> S = 1 bit, LMN = 2
        double[][] l = {{1, 1, 0, 0}, {1, 1, 0, 0}, {0, 0, 1, 1}, {0, 0, 1, 1}};
        assertEquals(1.0, LinearMappingNumber.entropyBits(l), 1e-12);
        // identity of size N: LMN = N
        double[][] id = new double[5][5];
        for (int i = 0; i < 5; i++) {
            id[i][i] = 1;
        }
        assertEquals(Math.log(5) / Math.log(2), LinearMappingNumber.entropyBits(id), 1e-12);
        // a negative eigenvalue counts by magnitude: [[1, 2], [2, 1]] has eigenvalues 3, -1
        double p = 0.75;
        double q = 0.25;
        assertEquals(-(p * Math.log(p) + q * Math.log(q)) / Math.log(2),
                LinearMappingNumber.entropyBits(new double[][] {{1, 2}, {2, 1}}), 1e-12);
    }

    /** f = tanh-MLP after an affine map, given plainly and factored: same LMN, fewer prefix rows. */
    @PropertyTest(cases = 20)
    void factoredOracleGivesTheSameLmn(Seed seed) {
        Gen g = seed.gen();
        int d0 = g.intIn(1, 6);
        int d1 = g.intIn(1, 6);
        double[] a = g.gaussianMatrix(d0, d1, 1);
        double[] b = g.gaussianMatrix(1, d1, 1);
        FunctionOracle rest = randomMlp(g, d1, 6, 3);
        FactoredFunctionOracle factored = new FactoredFunctionOracle() {
            @Override
            public double[][] affinePrefix(double[][] in) {
                double[][] z = new double[in.length][d1];
                for (int r = 0; r < in.length; r++) {
                    for (int j = 0; j < d1; j++) {
                        double s = b[j];
                        for (int k = 0; k < d0; k++) {
                            s += in[r][k] * a[k * d1 + j];
                        }
                        z[r][j] = s;
                    }
                }
                return z;
            }

            @Override
            public double[][] applyAfterPrefix(double[][] z) {
                return rest.apply(z);
            }
        };
        FunctionOracle plain = factored::apply;
        double[][] pts = randomPoints(g, g.intIn(2, 20), d0, 1);
        double expected = LinearMappingNumber.lmn(plain, pts);
        assertEquals(expected, LinearMappingNumber.lmn(factored, pts), 1e-9 * expected);
    }

    @Test
    void constantOutputsAreLinear() {
        FunctionOracle constant = in -> {
            double[][] out = new double[in.length][2];
            for (double[] row : out) {
                row[0] = 3;
                row[1] = -1;
            }
            return out;
        };
        assertEquals(1.0, LinearMappingNumber.lmn(constant, new double[][] {{0}, {1}, {5}}), 1e-12);
    }

    @Test
    void parabolaHasZeroConnectivity() {
        // y = (x - 0.5)^2 on [0, 1]: symmetric about the midpoint, r^2 = 0, L = I
        FunctionOracle f = in -> {
            double[][] out = new double[in.length][1];
            for (int r = 0; r < in.length; r++) {
                out[r][0] = (in[r][0] - 0.5) * (in[r][0] - 0.5);
            }
            return out;
        };
        double[][] l = LinearMappingNumber.connectivity(f, new double[][] {{0}, {1}});
        assertEquals(0.0, l[0][1], 1e-15);
        assertEquals(2.0, LinearMappingNumber.lmn(f, new double[][] {{0}, {1}}), 1e-12);
    }

    @Test
    void batchingDoesNotChangeTheResult() {
        Gen g = new Gen(new java.util.SplittableRandom(11));
        FunctionOracle f = randomMlp(g, 3, 7, 2);
        double[][] pts = randomPoints(g, 15, 3, 1);
        var base = LinearMappingNumber.Options.defaults().withSampleCount(0);
        double a = LinearMappingNumber.withOptions(base.withBatchRows(1)).analyze(f, pts).lmn();
        double b = LinearMappingNumber.withOptions(base.withBatchRows(100_000)).analyze(f, pts).lmn();
        assertEquals(a, b, 0.0);
        assertEquals(15 + 105 * 19, LinearMappingNumber.withOptions(base).analyze(f, pts).rowsEvaluated());
    }

    @Test
    void estimateSubsamplesAndReportsL2() {
        Gen g = new Gen(new java.util.SplittableRandom(5));
        FunctionOracle f = randomMlp(g, 2, 5, 2);
        double[][] pts = randomPoints(g, 50, 2, 1);
        ParameterSnapshot p = ParameterSnapshot.of(Tensor.matrix("w", 1, 2, new float[] {3, 4}));
        var est = LinearMappingNumber.withOptions(LinearMappingNumber.Options.defaults().withSampleCount(10));
        ComplexityEstimate e = est.estimate(EstimationContext.of(p).withSubNetwork(f, () -> pts));
        assertEquals(10.0, e.detail("points").orElseThrow());
        assertEquals(5.0, e.detail("l2_norm").orElseThrow(), 1e-12);
        assertEquals(10 + 45 * 19, e.cost().functionEvaluations());
        assertEquals(e.value(), est.estimate(EstimationContext.of(p).withSubNetwork(f, () -> pts)).value(), 0.0);
        assertEquals(List.of(), e.perTensor());
    }

    @Test
    void badInputNamesTheProblem() {
        FunctionOracle id = in -> in;
        var one = assertThrows(IllegalArgumentException.class, () -> LinearMappingNumber.lmn(id, new double[][] {{1}}));
        assertTrue(one.getMessage().contains("at least 2 points"), one.getMessage());
        var ragged = assertThrows(IllegalArgumentException.class,
                () -> LinearMappingNumber.lmn(id, new double[][] {{1, 2}, {1}}));
        assertTrue(ragged.getMessage().contains("point 1"), ragged.getMessage());
        FunctionOracle nanAtMiddle = in -> {
            double[][] out = new double[in.length][1];
            for (int r = 0; r < in.length; r++) {
                out[r][0] = Math.abs(in[r][0] - 0.5) < 1e-9 ? Double.NaN : in[r][0];
            }
            return out;
        };
        var nan = assertThrows(IllegalArgumentException.class,
                () -> LinearMappingNumber.lmn(nanAtMiddle, new double[][] {{0}, {1}}));
        assertTrue(nan.getMessage().contains("pair (0, 1) at lambda 0.5"), nan.getMessage());
        FunctionOracle dropsRows = in -> new double[1][1];
        var rows = assertThrows(IllegalArgumentException.class,
                () -> LinearMappingNumber.lmn(dropsRows, new double[][] {{0}, {1}}));
        assertTrue(rows.getMessage().contains("returned 1 rows for 2 inputs"), rows.getMessage());
        var missing = assertThrows(IllegalStateException.class,
                () -> LinearMappingNumber.create().estimate(EstimationContext.of(ParameterSnapshot.of(List.of()))));
        assertTrue(missing.getMessage().contains("sub-network"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LinearMappingNumber.Options(2, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> LinearMappingNumber.entropyBits(new double[][] {{1, 0.5}, {0.2, 1}}));
    }
}
