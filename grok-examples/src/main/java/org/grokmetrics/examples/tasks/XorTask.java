package org.grokmetrics.examples.tasks;

/**
 * n-bit bitwise XOR: operands 0..2^n&minus;1, label a XOR b.
 *
 * @param bits n (the LMN paper: 5)
 */
public record XorTask(int bits) implements Task {

    /**
     * @throws IllegalArgumentException if bits is not in [1, 10]
     */
    public XorTask {
        if (bits < 1 || bits > 10) {
            throw new IllegalArgumentException("XOR width must be in [1, 10] bits, was " + bits);
        }
    }

    @Override
    public String id() {
        return "xor" + bits;
    }

    @Override
    public int vocab() {
        return 1 << bits;
    }

    @Override
    public int classes() {
        return 1 << bits;
    }

    @Override
    public int apply(int a, int b) {
        return a ^ b;
    }
}
