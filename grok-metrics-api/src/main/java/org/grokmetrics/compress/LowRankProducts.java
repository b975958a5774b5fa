package org.grokmetrics.compress;

import org.grokmetrics.api.Tensor;

/**
 * The weights of low-rank candidates, built by moving a cached exact product instead of rebuilding it:
 * each tensor's slot keeps the exact sums S ({@link CodeProduct}) of its most recent low-rank codes, and
 * the next codes of that tensor with the same bits and steps and the same leading factor columns
 * (checked, in O((m + n)k)) move S by the columns that differ, in m&middot;n&middot;|k &minus; k&prime;|
 * multiply-adds. Because the sums are exact, the weights equal those built from scratch, and those the
 * decoder builds, bit for bit. Anything else is built by {@link Coded#tensor()}.
 *
 * <p>The mutable part of one compression's candidate building; a slot is only touched by the thread
 * building that tensor (candidates' tensors are built in parallel, each on its own).
 */
final class LowRankProducts {

    private record Slot(Coded.LowRankCodes codes, double[] sums) {
    }

    private final Slot[] slots;

    LowRankProducts(int count) {
        this.slots = new Slot[count];
    }

    /** Tensor t's weights under {@code c}. */
    Tensor tensor(int t, Coded c) {
        if (!(c instanceof Coded.LowRankCodes lr) || !lr.exact()) {
            return c.tensor();
        }
        int k = lr.k();
        int m = lr.shape()[0];
        int n = lr.codesB().length / k;
        Slot prev = slots[t];
        double[] sums;
        if (prev != null && compatible(prev.codes(), lr)) {
            sums = prev.sums();
            int kp = prev.codes().k();
            if (k > kp) {
                CodeProduct.add(sums, m, n, lr.codesA(), k, lr.codesB(), kp, k, 1);
            } else if (k < kp) {
                CodeProduct.add(sums, m, n, prev.codes().codesA(), kp, prev.codes().codesB(), k, kp, -1);
            }
        } else {
            sums = new double[m * n];
            CodeProduct.add(sums, m, n, lr.codesA(), k, lr.codesB(), 0, k, 1);
        }
        slots[t] = new Slot(lr, sums);
        return new Tensor(lr.name(), lr.shape(), CodeProduct.weights(sums, lr.deltaA(), lr.deltaB()));
    }

    /**
     * Same shape, bits and steps, and equal codes in the leading min(k, k&prime;) columns of A and rows of B:
     * whether b's product may be moved from a's.
     */
    static boolean compatible(Coded.LowRankCodes a, Coded.LowRankCodes b) {
        if (a.bitsA() != b.bitsA() || a.bitsB() != b.bitsB() || Double.compare(a.deltaA(), b.deltaA()) != 0
                || Double.compare(a.deltaB(), b.deltaB()) != 0 || !java.util.Arrays.equals(a.shape(), b.shape())) {
            return false;
        }
        int ka = a.k();
        int kb = b.k();
        int common = Math.min(ka, kb);
        int m = a.shape()[0];
        int n = a.codesB().length / ka;
        int[] ca = a.codesA();
        int[] cb = b.codesA();
        for (int i = 0; i < m; i++) {
            if (!java.util.Arrays.equals(ca, i * ka, i * ka + common, cb, i * kb, i * kb + common)) {
                return false;
            }
        }
        return java.util.Arrays.equals(a.codesB(), 0, common * n, b.codesB(), 0, common * n);
    }
}
