package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.testing.Gen;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;

/**
 * Every description the compressor writes decodes to the weights it reports, in every mode, for
 * snapshots mixing large all-zero tensors, large matrices of tiny rank (which coarse-grain to a few
 * bytes: the case that once tripped the decoder's size limit), matrices above the Gram path's threshold
 * and small dense ones, at distortion bounds from strict (near lossless) to so loose that everything
 * collapses.
 */
class CoarseGrainDecodesPropertyTest {

    static ParameterSnapshot snapshot(Gen g) {
        List<Tensor> ts = new ArrayList<>();
        int count = g.intIn(1, 5);
        for (int t = 0; t < count; t++) {
            String name = "t" + t;
            switch (g.intIn(0, 3)) {
                case 0 -> ts.add(Tensor.vector(name, new float[g.intIn(1, 400_000)]));
                case 1 -> {
                    // tiny rank, large: rank 1-2 of up to 160 x 480
                    int m = g.intIn(40, 160);
                    int n = g.intIn(40, 480);
                    int r = g.intIn(1, 2);
                    double[] s = new double[r];
                    for (int i = 0; i < r; i++) {
                        s[i] = g.logUniform(0.1, 10);
                    }
                    ts.add(Tensor.matrix(name, m, n, floats(g.withSingularValues(m, n, s))));
                }
                case 2 -> {
                    int m = g.intIn(2, 48);
                    int n = g.intIn(2, 48);
                    ts.add(Tensor.matrix(name, m, n, floats(g.gaussianMatrix(m, n, g.logUniform(1e-3, 1)))));
                }
                default -> ts.add(Tensor.vector(name, g.gaussianFloats(g.intIn(1, 300), 0.1)));
            }
        }
        return ParameterSnapshot.of(ts);
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @PropertyTest(cases = 24)
    void everyDescriptionDecodes(Seed seed) {
        Gen g = seed.gen();
        ParameterSnapshot p = snapshot(g);
        double eps = g.logUniform(1e-6, 1e3);
        var options = switch (g.intIn(0, 2)) {
            case 0 -> CoarseGrainCompressor.Options.defaults(eps).withLossBudget(g.intIn(2, 24));
            case 1 -> CoarseGrainCompressor.Options.paper(eps);
            default -> CoarseGrainCompressor.Options.quantizationOnly(eps);
        };
        var loss = QuadraticLoss.around(p, 1, g.logUniform(1, 1e4));
        CoarseGraining c = CoarseGrainCompressor.of(options).compress(p, loss);
        ParameterSnapshot decoded = CoarseGrainCompressor.decode(c.encoded());
        assertEquals(c.coarse(), decoded, "decode(encoded) == coarse");
        assertEquals(p.names(), decoded.names());
        assertTrue(c.lossEvaluations() <= options.lossBudget());
        assertEquals(loss.loss(decoded), c.coarseLoss(), 0.0, "the reported loss is the decoded weights' loss");
    }
}
