package org.grokmetrics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.spectral.SpectralEntropy;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the spectral-entropy loss covers a convolution kernel [out, in, kh, kw] as the matrix
 * [out, in&middot;kh&middot;kw] (SPEC &sect;2), not batch-norm parameters or biases; value and gradient against an
 * independent evaluation of H and &part;H/&part;W.
 */
class PenaltyOnConvKernelsTest {

    @Test
    void theConvKernelIsPenalisedAsOutByInTimesKernel() {
        DjlArchitectures a = DjlArchitectures.CONV_BN;
        Pair<Model, Trainer> p = a.trainer(5, a::loss);
        try (Trainer t = p.getValue(); Model model = p.getKey(); NDManager m = NDManager.newBaseManager()) {
            SpectralEntropyLoss loss = SpectralEntropyLoss.of(model.getBlock(), 0.1);
            assertEquals(List.of("01Conv2d_weight", "06Linear_weight"), loss.matrixNames(),
                    "the kernel and the dense weight; no batch-norm parameter, no bias");
            Parameter kernel = model.getBlock().getParameters().get("01Conv2d_weight");
            float[] k = kernel.getArray().toFloatArray();
            double[] kd = new double[k.length];
            for (int i = 0; i < k.length; i++) {
                kd[i] = k[i];
            }
            assertEquals(36, k.length);
            SpectralEntropy.Result r = SpectralEntropy.analyze(4, 9, kd, true, LinearAlgebra.getDefault());
            Parameter dense = model.getBlock().getParameters().get("06Linear_weight");
            long rows = dense.getArray().getShape().get(0);
            float[] dv = dense.getArray().toFloatArray();
            double[] dd = new double[dv.length];
            for (int i = 0; i < dv.length; i++) {
                dd[i] = dv[i];
            }
            double hDense = SpectralEntropy.analyze((int) rows, (int) (dv.length / rows), dd, false,
                    LinearAlgebra.getDefault()).entropy();
            assertEquals(0.1 * (r.entropy() + hDense) / 2, loss.penalty(), 1e-6);
            try (GradientCollector gc = t.newGradientCollector()) {
                NDArray value = loss.evaluate(new NDList(), new NDList(m.create(0f)));
                gc.backward(value);
            }
            float[] g = kernel.getArray().getGradient().toFloatArray();
            double[] want = r.gradient().orElseThrow();
            double[] got = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                got[i] = g[i];
                want[i] *= 0.1 / 2;
            }
            assertArrayEquals(want, got, 1e-5, "beta/k * dH/dW in the kernel's own layout");
        }
    }
}
