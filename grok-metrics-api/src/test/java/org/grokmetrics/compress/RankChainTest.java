package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import org.grokmetrics.api.Tensor;
import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.grokmetrics.testing.Gen;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rank chain's factors against an independent reference: multiplied back, rank-k factors must leave exactly
 * the energy of the dropped singular values (Eckart&ndash;Young), with the singular values from EJML's full SVD.
 * Shapes on both paths (short side below and above the Gram path's 32) and weights at GPT-2's scale (0.02, so the
 * chain's power-of-two scaling is not the identity).
 */
class RankChainTest {

    @ParameterizedTest(name = "{0}x{1} rank {2}")
    @CsvSource({"40, 90, 5", "90, 40, 5", "64, 64, 20", "300, 33, 1", "20, 50, 4", "50, 20, 9", "300, 160, 60",
        "160, 420, 100"})
    void factorsMultiplyBackToTheBestRankKApproximation(int m, int n, int k) {
        Gen g = new Gen(new SplittableRandom(31L * m + n));
        float[] v = g.gaussianFloats(m * n, 0.02);
        Tensor t = Tensor.matrix("w", m, n, v);
        double[] absMax = {QuantizationLadder.maxAbs(QuantizationLadder.Values.of(t.buffer()))};
        EjmlLinearAlgebra ejml = new EjmlLinearAlgebra();
        RankChain chain = RankChain.of(List.of(t), absMax, ejml);
        RankChain.Factor[] f = chain.factors(0, k);
        double[] left = new double[m * k];
        double[] right = new double[k * n];
        for (int from = 0; from < left.length; from += QuantizationLadder.Values.CHUNK) {
            double[] chunk = new double[QuantizationLadder.Values.CHUNK];
            int len = Math.min(chunk.length, left.length - from);
            f[0].read(from, chunk, len);
            System.arraycopy(chunk, 0, left, from, len);
        }
        for (int from = 0; from < right.length; from += QuantizationLadder.Values.CHUNK) {
            double[] chunk = new double[QuantizationLadder.Values.CHUNK];
            int len = Math.min(chunk.length, right.length - from);
            f[1].read(from, chunk, len);
            System.arraycopy(chunk, 0, right, from, len);
        }
        double err2 = 0;
        double norm2 = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double p = 0;
                for (int l = 0; l < k; l++) {
                    p += left[i * k + l] * right[l * n + j];
                }
                double a = v[i * n + j];
                err2 += (a - p) * (a - p);
                norm2 += a * a;
            }
        }
        double[] sigma = ejml.svd(m, n, t.toDoubleArray(), false).singularValues();
        double tail2 = 0;
        for (int i = k; i < sigma.length; i++) {
            tail2 += sigma[i] * sigma[i];
        }
        // float factors: rounding of order 1e-7 of the matrix's energy
        assertEquals(tail2, err2, 1e-5 * norm2, "|A - L R|_F^2 = sum of the dropped sigma^2");
    }
}
