package org.grokmetrics.compress;

import java.util.concurrent.atomic.AtomicLong;

import org.grokmetrics.api.Tensor;

/**
 * The weights of low-rank candidates, built by moving a cached exact product instead of rebuilding it:
 * each tensor's slot keeps the exact sums S ({@link CodeProduct}) of its most recent low-rank codes, and
 * the next codes of that tensor with the same bits and steps and the same leading factor columns
 * (checked, in O((m + n)k)) move S by the columns that differ, in m&middot;n&middot;|k &minus; k&prime;|
 * multiply-adds. Because the sums are exact, the weights equal those built from scratch, and those the
 * decoder builds, bit for bit. Anything else is built by {@link Coded#tensor()}. Sums are held as int
 * where every sum fits ({@link CodeProduct#fitsInt}: 8-bit codes up to rank 133,144), and all slots together
 * take at most a budget (a thirty-second of the heap by default); a tensor that does not fit is built from its
 * codes without a slot.
 *
 * <p>The mutable part of one compression's candidate building; a slot is only touched by the thread
 * building that tensor (candidates' tensors are built in parallel, each on its own).
 */
final class LowRankProducts {

    /** A tensor's most recent low-rank codes and their exact sums: int where they fit ({@link CodeProduct#fitsInt}), else double. */
    private record Slot(Coded.LowRankCodes codes, int[] intSums, double[] sums) {
    }

    private final Slot[] slots;
    /** Bytes the slots' sums may take in all; beyond it a tensor's weights are built without keeping sums. */
    private final long budget;
    private final AtomicLong used = new AtomicLong();

    /** Slots for {@code count} tensors, their sums taking at most a thirty-second of the heap. */
    LowRankProducts(int count) {
        this(count, Runtime.getRuntime().maxMemory() / 32);
    }

    /** Slots for {@code count} tensors whose sums take at most {@code budgetBytes} in all. */
    LowRankProducts(int count, long budgetBytes) {
        this.slots = new Slot[count];
        this.budget = budgetBytes;
    }

    /** Tensor t's weights under {@code c}. */
    Tensor tensor(int t, Coded c) {
        if (!(c instanceof Coded.LowRankCodes lr) || !lr.exact()) {
            return c.tensor();
        }
        int k = lr.k();
        int m = lr.shape()[0];
        int n = lr.codesB().length / k;
        // the largest rank the sums will have held, and whether int holds every sum up to it
        Slot prev = slots[t];
        boolean move = prev != null && compatible(prev.codes(), lr);
        int widest = move ? Math.max(k, prev.codes().k()) : k;
        boolean asInt = CodeProduct.fitsInt(widest, QuantizationLadder.levels(lr.bitsA()),
                QuantizationLadder.levels(lr.bitsB()));
        if (move && (prev.intSums() != null) != asInt) {
            move = false;
        }
        slots[t] = null;   // the previous sums are moved or dropped: never two m×n arrays of one tensor at once
        if (prev != null && !move) {
            used.addAndGet(-bytes(prev));
        }
        if (!move && !reserve((long) m * n * (asInt ? Integer.BYTES : Double.BYTES))) {
            // no room to keep sums: the weights straight from the codes
            return Tensor.adopting(lr.name(), lr.shape(), CodeProduct.weights(lr.codesA(), lr.codesB(), m, k, n,
                    lr.deltaA(), lr.deltaB()));
        }
        Slot next;
        if (move) {
            int kp = prev.codes().k();
            if (k > kp) {
                add(prev, m, n, lr.codesA(), k, lr.codesB(), kp, k, 1);
            } else if (k < kp) {
                add(prev, m, n, prev.codes().codesA(), kp, prev.codes().codesB(), k, kp, -1);
            }
            next = new Slot(lr, prev.intSums(), prev.sums());
        } else {
            next = asInt ? new Slot(lr, new int[m * n], null) : new Slot(lr, null, new double[m * n]);
            add(next, m, n, lr.codesA(), k, lr.codesB(), 0, k, 1);
        }
        slots[t] = next;
        float[] w = next.intSums() != null ? CodeProduct.weights(next.intSums(), lr.deltaA(), lr.deltaB())
                : CodeProduct.weights(next.sums(), lr.deltaA(), lr.deltaB());
        return Tensor.adopting(lr.name(), lr.shape(), w);
    }

    /** Takes {@code bytes} of the budget if they fit. */
    private boolean reserve(long bytes) {
        long now = used.addAndGet(bytes);
        if (now <= budget) {
            return true;
        }
        used.addAndGet(-bytes);
        return false;
    }

    private static long bytes(Slot slot) {
        return slot.intSums() != null ? (long) Integer.BYTES * slot.intSums().length
                : (long) Double.BYTES * slot.sums().length;
    }

    private static void add(Slot slot, int m, int n, int[] codesA, int strideA, int[] codesB, int from, int to,
                            int sign) {
        if (slot.intSums() != null) {
            CodeProduct.add(slot.intSums(), m, n, codesA, strideA, codesB, from, to, sign);
        } else {
            CodeProduct.add(slot.sums(), m, n, codesA, strideA, codesB, from, to, sign);
        }
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
