package org.grokmetrics.lmn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.testing.Gen;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LMN at the edges of double and against misbehaving oracles: r&sup2; is scale-invariant, so outputs of
 * size 1e&plusmn;200 (and up to Double.MAX_VALUE) give the LMN of the unscaled function, finite; an oracle
 * that writes into its input batch, or reuses its output buffer, changes neither the caller's points nor
 * the LMN.
 */
final class LinearMappingNumberEdgesTest {

    private static FunctionOracle scaled(FunctionOracle f, double c) {
        return in -> {
            double[][] out = f.apply(in);
            for (double[] row : out) {
                for (int k = 0; k < row.length; k++) {
                    row[k] *= c;
                }
            }
            return out;
        };
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e200, 1e-200, 1e300, 1e-300, 8e307})
    void hugeAndTinyOutputsGiveTheLmnOfTheUnscaledFunction(double c) {
        Gen g = new Seed(21).gen();
        FunctionOracle f = LinearMappingNumberTest.randomMlp(g, 3, 8, 2);
        double[][] pts = LinearMappingNumberTest.randomPoints(g, 12, 3, 1);
        double expected = LinearMappingNumber.lmn(f, pts);
        double lmn = LinearMappingNumber.lmn(scaled(f, c / 2), pts);   // tanh MLP outputs up to ~2: stay finite
        assertTrue(Double.isFinite(lmn), "lmn at scale " + c + ": " + lmn);
        assertEquals(expected, lmn, 1e-9 * expected, "scale " + c);
    }

    /** An MLP that, after answering, overwrites its input batch with garbage. */
    private static FunctionOracle vandal(FunctionOracle f) {
        return in -> {
            double[][] out = f.apply(in);
            for (double[] row : in) {
                Arrays.fill(row, 42.0);
            }
            return out;
        };
    }

    /** An MLP that returns the same row arrays on every call and overwrites them on the next. */
    private static FunctionOracle bufferReusing(FunctionOracle f) {
        double[][][] buffer = {new double[0][]};
        return in -> {
            double[][] fresh = f.apply(in);
            double[][] old = buffer[0];
            for (int r = 0; r < Math.min(old.length, fresh.length); r++) {
                System.arraycopy(fresh[r], 0, old[r], 0, fresh[r].length);
                fresh[r] = old[r];
            }
            for (double[] row : old) {
                Arrays.fill(row, -1.0);   // what the previous caller kept is scribbled over
            }
            for (int r = 0; r < Math.min(old.length, fresh.length); r++) {
                System.arraycopy(f.apply(new double[][] {in[r]})[0], 0, fresh[r], 0, fresh[r].length);
            }
            buffer[0] = fresh;
            return fresh;
        };
    }

    @PropertyTest(cases = 10)
    void anOracleThatWritesIntoItsInputChangesNeitherThePointsNorTheLmn(Seed seed) {
        Gen g = seed.gen();
        FunctionOracle f = LinearMappingNumberTest.randomMlp(g, 3, 6, 2);
        double[][] pts = LinearMappingNumberTest.randomPoints(g, g.intIn(3, 12), 3, 1);
        double[][] before = LinearConnectivity.copy(pts);
        double expected = LinearMappingNumber.lmn(f, pts);
        assertEquals(expected, LinearMappingNumber.lmn(vandal(f), pts), 0.0);
        assertEquals(expected, LinearMappingNumber.lmn(bufferReusing(f), pts), 0.0);
        assertEquals(expected, LinearMappingNumberEstimator.of(LinearMappingNumber.Options.defaults().withSampleCount(0))
                .analyze(vandal(f), pts).lmn(), 0.0);
        for (int i = 0; i < pts.length; i++) {
            assertArrayEquals(before[i], pts[i], 0.0, "point " + i);
        }
    }

    @PropertyTest(cases = 5)
    void aFactoredOracleThatWritesIntoItsInputsChangesNothing(Seed seed) {
        Gen g = seed.gen();
        FunctionOracle rest = LinearMappingNumberTest.randomMlp(g, 2, 6, 2);
        FactoredFunctionOracle vandal = new FactoredFunctionOracle() {
            @Override
            public double[][] affinePrefix(double[][] in) {
                double[][] z = new double[in.length][];
                for (int r = 0; r < in.length; r++) {
                    z[r] = new double[] {in[r][0] + in[r][1], in[r][0] - 2 * in[r][1]};
                    Arrays.fill(in[r], 7.0);
                }
                return z;
            }

            @Override
            public double[][] applyAfterPrefix(double[][] z) {
                double[][] out = rest.apply(z);
                for (double[] row : z) {
                    Arrays.fill(row, -3.0);
                }
                return out;
            }
        };
        double[][] pts = LinearMappingNumberTest.randomPoints(g, 6, 2, 1);
        double[][] before = LinearConnectivity.copy(pts);
        FunctionOracle clean = in -> {
            double[][] z = new double[in.length][];
            for (int r = 0; r < in.length; r++) {
                z[r] = new double[] {in[r][0] + in[r][1], in[r][0] - 2 * in[r][1]};
            }
            return rest.apply(z);
        };
        assertEquals(LinearMappingNumber.lmn(clean, pts), LinearMappingNumber.lmn(vandal, pts), 1e-9);
        for (int i = 0; i < pts.length; i++) {
            assertArrayEquals(before[i], pts[i], 0.0, "point " + i);
        }
    }

    @org.junit.jupiter.api.Test
    void eigenvaluesNearDoubleMaxGiveTheEntropyOfTheirRatios() {
        // four equal |eigenvalues|: 2 bits, whatever their scale (the sum of four MAX/2 overflows a double)
        for (double v : new double[] {1, Double.MAX_VALUE / 2, -Double.MAX_VALUE, Double.MIN_VALUE}) {
            assertEquals(2.0, LinearMappingNumber.entropyBitsOfEigenvalues(new double[] {v, -v, v, v}), 1e-12, "at " + v);
        }
        assertEquals(1.0, LinearMappingNumber.entropyBitsOfEigenvalues(new double[] {Double.MAX_VALUE, 0,
            -Double.MAX_VALUE}), 1e-12);
    }
}
