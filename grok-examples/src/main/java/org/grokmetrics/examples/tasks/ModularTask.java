package org.grokmetrics.examples.tasks;

import java.math.BigInteger;
import java.util.Locale;

/**
 * a&#8728;b mod p for a prime p, &#8728; one of +, &minus;, &times;, &divide; (b &ne; 0; a&middot;b&#8315;&sup1;)
 * and x&sup2;+y&sup2;.
 *
 * @param p  the prime modulus
 * @param op the operation
 */
public record ModularTask(int p, Op op) implements Task {

    /** The operations. */
    public enum Op {
        ADD("add", "+"), SUB("sub", "-"), MUL("mul", "*"), DIV("div", "/"), SQUARES("squares", "x^2+y^2");

        private final String id;
        private final String symbol;

        Op(String id, String symbol) {
            this.id = id;
            this.symbol = symbol;
        }

        public String id() {
            return id;
        }

        public String symbol() {
            return symbol;
        }

        /**
         * By id or symbol: add/+, sub/-, mul/x/*, div//, squares/x^2+y^2.
         *
         * @throws IllegalArgumentException naming the op and the known ones
         */
        public static Op parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            for (Op o : values()) {
                if (o.id.equals(t) || o.symbol.equals(t)) {
                    return o;
                }
            }
            if (t.equals("x") || t.equals("times")) {
                return MUL;
            }
            throw new IllegalArgumentException("unknown operation '" + s + "'; known: add (+), sub (-), mul (*), "
                    + "div (/), squares (x^2+y^2)");
        }
    }

    /**
     * @throws IllegalArgumentException if p is not a prime &ge; 2 (or too large for a one-hot MLP)
     */
    public ModularTask {
        if (p < 2 || p > 1000 || !BigInteger.valueOf(p).isProbablePrime(50)) {
            throw new IllegalArgumentException("modulus p must be a prime in [2, 1000], was " + p);
        }
        java.util.Objects.requireNonNull(op, "op");
    }

    @Override
    public String id() {
        return "mod" + p + "-" + op.id;
    }

    @Override
    public int vocab() {
        return p;
    }

    @Override
    public int classes() {
        return p;
    }

    @Override
    public int apply(int a, int b) {
        return switch (op) {
            case ADD -> (a + b) % p;
            case SUB -> Math.floorMod(a - b, p);
            case MUL -> (int) ((long) a * b % p);
            case DIV -> b == 0 ? -1 : (int) ((long) a * BigInteger.valueOf(b).modInverse(BigInteger.valueOf(p)).intValue() % p);
            case SQUARES -> (int) (((long) a * a + (long) b * b) % p);
        };
    }
}
