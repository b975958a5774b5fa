package org.grokmetrics.compress;

/**
 * Adaptive order-0 arithmetic coding of integer codes in [&minus;M, M], M &le; 127 (Witten, Neal &amp;
 * Cleary 1987, 32-bit integer arithmetic with underflow handling; range &times; cumulative count stays
 * below 2^54).
 *
 * <p>Model: every symbol starts with count 1; each occurrence adds {@value #INCREMENT}; when the total
 * would exceed {@value #MAX_TOTAL} all counts are halved (kept &ge; 1). Cumulative counts live in a
 * Fenwick tree, so coding costs O(log(2M+1)) per code. Encoder and decoder update the model identically,
 * so the output is decodable without any table. Size &asymp; n&middot;H(codes) plus a learning cost of
 * a few bits per distinct symbol. Stateless; thread-safe.
 */
final class ArithmeticCoder {

    static final int INCREMENT = 24;
    static final int MAX_TOTAL = 1 << 22;

    private static final long TOP = 0xFFFFFFFFL;
    private static final long HALF = 0x80000000L;
    private static final long QUARTER = 0x40000000L;

    private ArithmeticCoder() {
    }

    /** Adaptive frequencies over {@code size} symbols. */
    private static final class Model {
        private final int size;
        private final int[] tree;
        private final int[] count;
        private int total;

        Model(int size) {
            this.size = size;
            this.tree = new int[size + 1];
            this.count = new int[size];
            java.util.Arrays.fill(count, 1);
            rebuild();
        }

        private void rebuild() {
            java.util.Arrays.fill(tree, 0);
            total = 0;
            for (int i = 0; i < size; i++) {
                add(i, count[i]);
                total += count[i];
            }
        }

        private void add(int i, int delta) {
            for (int x = i + 1; x <= size; x += x & -x) {
                tree[x] += delta;
            }
        }

        /** Sum of counts of symbols below s. */
        int cumulative(int s) {
            int sum = 0;
            for (int x = s; x > 0; x -= x & -x) {
                sum += tree[x];
            }
            return sum;
        }

        int count(int s) {
            return count[s];
        }

        /** The symbol whose cumulative range holds target (0 &le; target &lt; total). */
        int find(int target) {
            int pos = 0;
            int rem = target;
            for (int step = Integer.highestOneBit(size); step > 0; step >>= 1) {
                int next = pos + step;
                if (next <= size && tree[next] <= rem) {
                    pos = next;
                    rem -= tree[next];
                }
            }
            return pos;
        }

        void update(int s) {
            count[s] += INCREMENT;
            total += INCREMENT;
            add(s, INCREMENT);
            if (total > MAX_TOTAL) {
                for (int i = 0; i < size; i++) {
                    count[i] = Math.max(1, count[i] >>> 1);
                }
                rebuild();
            }
        }
    }

    /**
     * Encodes codes in [&minus;bound, bound].
     *
     * @throws IllegalArgumentException if a code is out of range or bound is not in [0, 127]
     */
    static byte[] encode(int[] codes, int bound) {
        // a first guess of the length (log2 of the alphabet per code); the writer grows past it if needed
        BitWriter out = new BitWriter((int) Math.min(Integer.MAX_VALUE - 16,
                (long) codes.length * (32 - Integer.numberOfLeadingZeros(2 * bound + 1)) / 8 + 16));
        code(codes, bound, out);
        return out.toByteArray();
    }

    /**
     * The length in bytes of {@link #encode}'s output, found by running the same coder and counting its bits
     * instead of keeping them.
     *
     * @throws IllegalArgumentException if a code is out of range or bound is not in [0, 127]
     */
    static long encodedLength(int[] codes, int bound) {
        BitCounter out = new BitCounter();
        code(codes, bound, out);
        return (out.bits + 7) / 8;
    }

    /** Where the coder's bits go. */
    private interface BitSink {
        void write(int bit);

        /** {@code count} copies of {@code bit}. */
        void repeat(int bit, int count);
    }

    private static void code(int[] codes, int bound, BitSink out) {
        checkBound(bound);
        Model model = new Model(2 * bound + 1);
        long low = 0;
        long high = TOP;
        int pending = 0;
        for (int c : codes) {
            if (c < -bound || c > bound) {
                throw new IllegalArgumentException("code " + c + " outside [-" + bound + ", " + bound + "]");
            }
            int s = c + bound;
            long range = high - low + 1;
            long total = model.total;
            long cumLow = model.cumulative(s);
            long cumHigh = cumLow + model.count(s);
            high = low + range * cumHigh / total - 1;
            low = low + range * cumLow / total;
            while (true) {
                if (high < HALF) {
                    pending = emit(out, 0, pending);
                } else if (low >= HALF) {
                    pending = emit(out, 1, pending);
                    low -= HALF;
                    high -= HALF;
                } else if (low >= QUARTER && high < HALF + QUARTER) {
                    pending++;
                    low -= QUARTER;
                    high -= QUARTER;
                } else {
                    break;
                }
                low <<= 1;
                high = (high << 1) | 1;
            }
            model.update(s);
        }
        pending++;
        emit(out, low < QUARTER ? 0 : 1, pending);
    }

    private static int emit(BitSink out, int bit, int pending) {
        out.write(bit);
        out.repeat(1 - bit, pending);
        return 0;
    }

    /**
     * Decodes {@code count} codes in [&minus;bound, bound] from {@code data}.
     *
     * @throws IllegalArgumentException if the data cannot be a valid encoding (bad bound)
     */
    static int[] decode(byte[] data, int count, int bound) {
        checkBound(bound);
        Model model = new Model(2 * bound + 1);
        BitReader in = new BitReader(data);
        long low = 0;
        long high = TOP;
        long value = 0;
        for (int i = 0; i < 32; i++) {
            value = (value << 1) | in.read();
        }
        int[] out = new int[count];
        for (int n = 0; n < count; n++) {
            long range = high - low + 1;
            long total = model.total;
            int target = (int) (((value - low + 1) * total - 1) / range);
            if (target < 0 || target >= total) {
                throw new IllegalArgumentException("corrupt arithmetic-coded codes at code " + n);
            }
            int s = model.find(target);
            long cumLow = model.cumulative(s);
            long cumHigh = cumLow + model.count(s);
            high = low + range * cumHigh / total - 1;
            low = low + range * cumLow / total;
            while (true) {
                if (high < HALF) {
                    // nothing to subtract
                } else if (low >= HALF) {
                    low -= HALF;
                    high -= HALF;
                    value -= HALF;
                } else if (low >= QUARTER && high < HALF + QUARTER) {
                    low -= QUARTER;
                    high -= QUARTER;
                    value -= QUARTER;
                } else {
                    break;
                }
                low <<= 1;
                high = (high << 1) | 1;
                value = (value << 1) | in.read();
            }
            out[n] = s - bound;
            model.update(s);
        }
        return out;
    }

    /** Largest supported bound: codes of at most 8 bits. */
    static final int MAX_BOUND = 127;

    private static void checkBound(int bound) {
        if (bound < 0 || bound > MAX_BOUND) {
            throw new IllegalArgumentException("code bound must be in [0, " + MAX_BOUND + "], was " + bound);
        }
    }

    /** Counts bits. */
    private static final class BitCounter implements BitSink {
        private long bits;

        @Override
        public void write(int bit) {
            bits++;
        }

        @Override
        public void repeat(int bit, int count) {
            bits += count;
        }
    }

    /** MSB-first bit writer into a growing array (no per-byte synchronisation or capacity checks of a stream). */
    private static final class BitWriter implements BitSink {
        private byte[] bytes;
        private int size;
        private int current;
        private int filled;

        BitWriter(int expectedBytes) {
            bytes = new byte[Math.max(16, expectedBytes)];
        }

        @Override
        public void write(int bit) {
            current = (current << 1) | bit;
            if (++filled == 8) {
                put(current);
                current = 0;
                filled = 0;
            }
        }

        @Override
        public void repeat(int bit, int count) {
            for (int i = 0; i < count; i++) {
                write(bit);
            }
        }

        private void put(int b) {
            if (size == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(16, bytes.length + (bytes.length >> 1)));
            }
            bytes[size++] = (byte) b;
        }

        byte[] toByteArray() {
            if (filled > 0) {
                put(current << (8 - filled));
                current = 0;
                filled = 0;
            }
            return java.util.Arrays.copyOf(bytes, size);
        }
    }

    /** MSB-first bit reader; reads zeros past the end. */
    private static final class BitReader {
        private final byte[] data;
        private int pos;
        private int bit = 8;
        private int current;

        BitReader(byte[] data) {
            this.data = data;
        }

        int read() {
            if (bit == 8) {
                current = pos < data.length ? data[pos] & 0xFF : 0;
                pos++;
                bit = 0;
            }
            return (current >>> (7 - bit++)) & 1;
        }
    }
}
