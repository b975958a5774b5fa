package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Version 3's low-rank reconstruction ({@link CodeProduct}) against an independent evaluation in long
 * integer arithmetic, the incremental path of {@link LowRankProducts} against building from scratch, and
 * the counted and estimated payload lengths against the bytes actually written.
 */
final class CodeProductTest {

    /** Seeded shapes, ranks and code bounds, up to 16-bit codes and past the parallel threshold. */
    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        int[][] mkn = {{1, 1, 1}, {3, 1, 5}, {7, 3, 2}, {9, 4, 17}, {33, 8, 40}, {64, 31, 300}, {300, 64, 257},
            {2, 2, 1000}, {1000, 5, 3}};
        int[] bounds = {1, 7, 127, 2047, 32767};
        long seed = 1;
        for (int[] s : mkn) {
            for (int b : bounds) {
                out.add(Arguments.of(s[0], s[1], s[2], b, seed++));
            }
        }
        return out.stream();
    }

    private static int[] codes(SplittableRandom r, int n, int bound) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            // extremes are common: the exactness argument is about the largest products
            c[i] = r.nextInt(4) == 0 ? (r.nextBoolean() ? bound : -bound) : r.nextInt(2 * bound + 1) - bound;
        }
        return c;
    }

    /** float(S · (dA·dB)) with S summed in long: independent of any floating-point order. */
    private static float[] reference(int[] a, int[] b, int m, int k, int n, double da, double db) {
        float[] out = new float[m * n];
        double scale = da * db;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long s = 0;
                for (int l = 0; l < k; l++) {
                    s += (long) a[i * k + l] * b[l * n + j];
                }
                out[i * n + j] = (float) ((double) s * scale);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}x{1}x{2}, codes to {3}")
    @MethodSource("shapes")
    void theProductIsTheExactIntegerProductTimesTheSteps(int m, int k, int n, int bound, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] a = codes(r, m * k, bound);
        int[] b = codes(r, k * n, bound);
        double da = 0.013 * (1 + r.nextDouble());
        double db = 0.7 * (1 + r.nextDouble());
        float[] expected = reference(a, b, m, k, n, da, db);
        assertArrayEquals(expected, CodeProduct.weights(a, b, m, k, n, da, db));
        // the same through S built in two halves, and one column added and removed again
        double[] s = new double[m * n];
        CodeProduct.add(s, m, n, a, k, b, 0, k / 2, 1);
        CodeProduct.add(s, m, n, a, k, b, k / 2, k, 1);
        CodeProduct.add(s, m, n, a, k, b, k - 1, k, -1);
        CodeProduct.add(s, m, n, a, k, b, k - 1, k, 1);
        assertArrayEquals(expected, CodeProduct.weights(s, da, db));
    }

    @Test
    void theLargestExactRankIsEnforced() {
        int[] one = {1};
        assertThrows(IllegalArgumentException.class,
                () -> CodeProduct.add(new double[1], 1, 1, one, CodeProduct.MAX_RANK + 1, one, 0, 1, 1));
        assertTrue((double) CodeProduct.MAX_RANK * 32767 * 32767 < 0x1p53, "sums of codes stay exact in double");
    }

    /** Low-rank codes of a fixed random matrix's factors at rank k and a level (the encoder's way). */
    private static Coded.LowRankCodes lowRank(double[] left, double[] right, int m, int kmax, int n, int k, int levels,
                                              boolean maxOverAll) {
        double[] a = new double[m * k];
        for (int i = 0; i < m; i++) {
            System.arraycopy(left, i * kmax, a, i * k, k);
        }
        double[] b = java.util.Arrays.copyOf(right, k * n);
        double da = (maxOverAll ? QuantizationLadder.maxAbs(left) : QuantizationLadder.maxAbs(a)) / levels;
        double db = (maxOverAll ? QuantizationLadder.maxAbs(right) : QuantizationLadder.maxAbs(b)) / levels;
        int bits = QuantizationLadder.bitsFor(levels);
        return new Coded.LowRankCodes("w", new int[] {m, n}, k, bits, da, QuantizationLadder.codes(a, da, levels), bits,
                db, QuantizationLadder.codes(b, db, levels), true);
    }

    /** Random factors m&times;kmax (columns of decreasing scale) and kmax&times;n. */
    private static double[][] factors(SplittableRandom r, int m, int kmax, int n) {
        double[] left = new double[m * kmax];
        double[] right = new double[kmax * n];
        for (int i = 0; i < left.length; i++) {
            left[i] = r.nextGaussian() / (1 + (i % kmax));
        }
        for (int i = 0; i < right.length; i++) {
            right[i] = r.nextGaussian();
        }
        return new double[][] {left, right};
    }

    @Test
    void movingACachedProductBetweenRanksAndLevelsGivesTheWeightsBuiltFromScratch() {
        int m = 70;
        int n = 45;
        int kmax = 30;
        double[][] f = factors(new SplittableRandom(7), m, kmax, n);
        double[] left = f[0];
        double[] right = f[1];
        LowRankProducts products = new LowRankProducts(2);
        int moved = 0;
        int rebuilt = 0;
        Coded.LowRankCodes previous = null;
        int[] levels = {127, 127, 63, 127, 2047, 7};
        int[] ranks = {30, 12, 20, 19, 19, 25, 1, 30, 29, 3};
        for (int step = 0; step < 60; step++) {
            int k = ranks[step % ranks.length];
            int level = levels[(step / 7) % levels.length];
            Coded.LowRankCodes c = lowRank(left, right, m, kmax, n, k, level, step % 3 == 0);
            Tensor built = products.tensor(1, c);
            assertArrayEquals(c.reconstruct(), built.data(), "step " + step + ": rank " + k + ", level " + level);
            if (previous != null && LowRankProducts.compatible(previous, c)) {
                moved++;
            } else {
                rebuilt++;
            }
            previous = c;
        }
        // both paths were taken: products moved between ranks, and rebuilt where the level or a step changed
        assertTrue(moved >= 20, moved + " moves");
        assertTrue(rebuilt >= 5, rebuilt + " rebuilds");
        // codes of another kind, or of the old rule, are built directly
        Coded.DenseCodes dense = new Coded.DenseCodes("v", new int[] {3}, 4, 0.5, new int[] {1, -2, 7});
        assertArrayEquals(dense.reconstruct(), products.tensor(0, dense).data());
    }

    /**
     * The same sequence of codes with no room for cached sums, room for one tensor's, and the default: sums held
     * as int (8 to 12 bits), as double (16 bits at rank 3 or more, where int would overflow), switching between
     * the two, or not kept at all, every weight equals the one built from scratch.
     */
    @ParameterizedTest
    @ValueSource(longs = {0, 70 * 45 * 4, Long.MAX_VALUE})
    void cachedSumsOfEitherWidthAndNoneGiveTheWeightsBuiltFromScratch(long budget) {
        int m = 70;
        int n = 45;
        int kmax = 30;
        double[][] f = factors(new SplittableRandom(8), m, kmax, n);
        double[] left = f[0];
        double[] right = f[1];
        LowRankProducts products = new LowRankProducts(3, budget);
        int[] levels = {127, 32767, 32767, 7, 2047, 32767};
        int[] ranks = {30, 2, 12, 3, 20, 1, 30, 29};
        for (int step = 0; step < 48; step++) {
            int k = ranks[step % ranks.length];
            int level = levels[(step / 5) % levels.length];
            Coded.LowRankCodes c = lowRank(left, right, m, kmax, n, k, level, step % 2 == 0);
            int t = 1 + step % 2;   // two tensors compete for the budget
            assertArrayEquals(c.reconstruct(), products.tensor(t, c).data(),
                    "budget " + budget + ", step " + step + ": rank " + k + ", level " + level);
        }
    }

    @Test
    void intSumsAreUsedExactlyWhereEverySumFits() {
        assertTrue(CodeProduct.fitsInt(2, 32767, 32767), "2 * 32767^2 < 2^31");
        assertFalse(CodeProduct.fitsInt(3, 32767, 32767));
        assertTrue(CodeProduct.fitsInt(133_144, 127, 127), "133,144 * 127^2 < 2^31");
        assertFalse(CodeProduct.fitsInt(133_145, 127, 127));
        // the int and double sums of the same columns agree
        SplittableRandom r = new SplittableRandom(12);
        int m = 13;
        int k = 7;
        int n = 11;
        int[] a = codes(r, m * k, 127);
        int[] b = codes(r, k * n, 127);
        int[] si = new int[m * n];
        double[] sd = new double[m * n];
        CodeProduct.add(si, m, n, a, k, b, 0, k, 1);
        CodeProduct.add(sd, m, n, a, k, b, 0, k, 1);
        CodeProduct.add(si, m, n, a, k, b, 2, 5, -1);
        CodeProduct.add(sd, m, n, a, k, b, 2, 5, -1);
        for (int i = 0; i < si.length; i++) {
            assertEquals(sd[i], si[i], "entry " + i);
        }
        assertArrayEquals(CodeProduct.weights(sd, 0.01, 0.3), CodeProduct.weights(si, 0.01, 0.3));
    }

    @Test
    void versionTwoLowRankCodesStillDecodeByTheirOwnRule() {
        // the same codes under both rules: version 2 sums the dequantized factors in ascending order
        SplittableRandom r = new SplittableRandom(11);
        int m = 40;
        int k = 9;
        int n = 33;
        int[] a = codes(r, m * k, 127);
        int[] b = codes(r, k * n, 127);
        double da = 0.0123456789;
        double db = 0.987654321;
        Coded.LowRankCodes v2 = new Coded.LowRankCodes("w", new int[] {m, n}, k, 8, da, a, 8, db, b, false);
        Coded.LowRankCodes v3 = new Coded.LowRankCodes("w", new int[] {m, n}, k, 8, da, a, 8, db, b, true);
        double[] ad = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            ad[i] = a[i] * da;
        }
        double[] bd = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            bd[i] = b[i] * db;
        }
        assertArrayEquals(Coded.product(ad, bd, m, k, n), v2.reconstruct());
        assertArrayEquals(reference(a, b, m, k, n, da, db), v3.reconstruct());
        // (the two rules agree but for rare float-rounding ties: the double sums differ by a few ulps of double)
        // a version-2 stream holding these codes decodes by version 2's rule, the same stream as version 3 by 3's
        byte[] v2Stream = streamOf(2, v2);
        byte[] v3Stream = streamOf(3, v3);
        assertArrayEquals(v2.reconstruct(), CoarseGrainFormat.parse(v2Stream, 2).get("w").data());
        assertArrayEquals(v3.reconstruct(), CoarseGrainFormat.parse(v3Stream, 3).get("w").data());
    }

    private static byte[] streamOf(int version, Coded c) {
        byte[] current = CoarseGrainFormat.serialize(List.of(c));
        current[0] = (byte) version;
        return current;
    }

    @Test
    void payloadLengthsAreTheBytesWritten() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        List<Coded> all = new ArrayList<>();
        all.add(new Coded.Zero("z", new int[] {4, 4}));
        for (int bits : new int[] {2, 4, 8, 9, 16}) {
            int lim = QuantizationLadder.levels(bits);
            for (int n : new int[] {1, 100, 70_000}) {
                int[] c = new int[n];
                for (int i = 0; i < n; i++) {
                    c[i] = (int) Math.max(-lim, Math.min(lim, Math.round(r.nextGaussian() * lim / 3)));
                }
                all.add(new Coded.DenseCodes("d", new int[] {n}, bits, 0.1, c));
            }
            int m = 300;
            int k = 7;
            int n = 250;
            all.add(new Coded.LowRankCodes("l", new int[] {m, n}, k, bits, 0.1, codes(r, m * k, lim), bits, 0.2,
                    codes(r, k * n, lim), true));
        }
        all.add(new Coded.DenseF32("f", new int[] {3}, new float[] {1, 2, 3}));
        all.add(new Coded.LowRankF32("g", new int[] {2, 3}, 1, new float[] {1, 2}, new float[] {3, 4, 5}));
        for (Coded c : all) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                c.write(out);
            }
            assertEquals(bytes.size(), c.payloadLength(), c.name() + " " + c.setting(-1));
            long search = c.payloadSearchLength();
            assertTrue(Math.abs(search - bytes.size()) <= Math.max(8, 0.001 * bytes.size()),
                    c.setting(-1) + ": search length " + search + " against " + bytes.size() + " written");
        }
    }

    @Test
    void theGoldenDefaultDescriptionHoldsALowRankTensor() {
        ParameterSnapshot p = CoarseGrainGoldenTest.snapshot();
        CoarseGraining g = CoarseGrainCompressor.of(CoarseGrainGoldenTest.EPSILON).compress(p, CoarseGrainGoldenTest.loss(p));
        assertTrue(g.settings().stream().anyMatch(s -> s.kind() == TensorSetting.Kind.LOW_RANK), g.settings().toString());
        assertEquals(g.coarse(), CoarseGrainCompressor.decode(g.encoded()));
        assertEquals(CoarseGrainFormat.VERSION, (g.encoded()[0] & 0xFF) >>> 4);
        assertEquals(3, CoarseGrainFormat.VERSION);
        assertTrue(Codecs.all().size() >= 4);
    }
}
