package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.grokmetrics.testing.Gen;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;

class ArithmeticCoderTest {

    static int[] randomCodes(Gen g, int n, int bound) {
        int[] c = new int[n];
        double sd = g.logUniform(0.1, Math.max(0.2, bound));
        for (int i = 0; i < n; i++) {
            c[i] = (int) Math.max(-bound, Math.min(bound, Math.round(sd * g.gaussian())));
        }
        return c;
    }

    static double entropyBits(int[] codes) {
        Map<Integer, Integer> f = new HashMap<>();
        for (int c : codes) {
            f.merge(c, 1, Integer::sum);
        }
        double h = 0;
        for (int v : f.values()) {
            double p = (double) v / codes.length;
            h -= v * Math.log(p) / Math.log(2);
        }
        return h;
    }

    @PropertyTest(cases = 200)
    void roundTripsAndStaysNearTheEntropy(Seed seed) {
        Gen g = seed.gen();
        int bound = g.random().nextBoolean() ? g.intIn(0, 10) : g.intIn(0, 127);
        int n = g.intIn(0, 20_000);
        int[] codes = randomCodes(g, n, bound);
        byte[] enc = ArithmeticCoder.encode(codes, bound);
        assertArrayEquals(codes, ArithmeticCoder.decode(enc, n, bound));
        // cost: n H (empirical order-0 entropy) + a learning cost of about log2(n) + 8 bits per symbol used
        // (the KT bound is (A-1)/2 log2 n), + the prior mass of all 2M+1 symbols, about (2M+1)/INCREMENT
        // log2(n) bits, + 1% for the finite-precision arithmetic, + the final bytes
        double h = entropyBits(codes);
        long distinct = java.util.Arrays.stream(codes).distinct().count();
        double log2n = Math.log(n + 2) / Math.log(2);
        double allowance = 40 + distinct * (8 + log2n) + (2.0 * bound + 1) / ArithmeticCoder.INCREMENT * (log2n + 1)
                + 0.01 * h;
        assertTrue(8.0 * enc.length <= h + allowance, 8 * enc.length + " bits vs entropy " + h + " + " + allowance);
    }

    @Test
    void extremesRoundTrip() {
        int[] constant = new int[5000];
        java.util.Arrays.fill(constant, 3);
        byte[] enc = ArithmeticCoder.encode(constant, 3);
        assertArrayEquals(constant, ArithmeticCoder.decode(enc, 5000, 3));
        assertTrue(enc.length < 40, enc.length + " bytes for a constant");
        assertArrayEquals(new int[0], ArithmeticCoder.decode(ArithmeticCoder.encode(new int[0], 0), 0, 0));
        int[] ends = {-127, 127, 0, -127};
        assertArrayEquals(ends, ArithmeticCoder.decode(ArithmeticCoder.encode(ends, 127), 4, 127));
        assertThrows(IllegalArgumentException.class, () -> ArithmeticCoder.encode(new int[] {5}, 4));
        assertThrows(IllegalArgumentException.class, () -> ArithmeticCoder.encode(new int[] {0}, 128));
    }
}
