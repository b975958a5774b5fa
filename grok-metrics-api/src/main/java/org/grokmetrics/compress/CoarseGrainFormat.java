package org.grokmetrics.compress;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;

/**
 * The coarse-grain description format, version 3 (documented in docs/coarse-grain-format.md).
 *
 * <p>Serialises and parses the stream of {@link Coded} tensors and wraps it in the envelope: one byte
 * (version and codec tag), the codec's output, and a CRC32C of everything before it. Version 3 differs
 * from version 2 only in how low-rank codes are multiplied out (exactly, in integers: {@link CodeProduct});
 * versions 2 and 1 (no check) are still decoded with their own rule.
 */
final class CoarseGrainFormat {

    /** The format version written. */
    static final int VERSION = 3;

    /** The oldest version with the trailing CRC32C. */
    private static final int FIRST_CHECKED_VERSION = 2;

    /** The oldest version whose low-rank codes multiply out exactly ({@link CodeProduct}). */
    static final int FIRST_EXACT_PRODUCT_VERSION = 3;

    /** The envelope byte's high nibble in version 1: 0 (the byte was the codec tag alone). */
    private static final int VERSION_1_ENVELOPE = 0;

    /** The length of the trailing CRC32C. */
    static final int CHECK_BYTES = 4;

    private CoarseGrainFormat() {
    }

    /** The uncompressed stream. */
    static byte[] serialize(List<Coded> tensors) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeByte(VERSION);
            writeVarint(out, tensors.size());
            for (Coded c : tensors) {
                byte[] name = c.name().getBytes(StandardCharsets.UTF_8);
                writeVarint(out, name.length);
                out.write(name);
                writeVarint(out, c.shape().length);
                for (int d : c.shape()) {
                    writeVarint(out, d);
                }
                c.write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /**
     * A description: the envelope byte ({@code VERSION << 4 | codec tag}, the tag of {@link Codecs#tagged}),
     * the codec's compression of the stream, then the CRC32C of all bytes before it (4 bytes, big-endian).
     */
    static byte[] compress(byte[] stream, Codec codec) {
        byte[] tagged = Codecs.tagged(codec, stream);
        byte[] out = Arrays.copyOf(tagged, tagged.length + CHECK_BYTES);
        out[0] = (byte) (VERSION << 4 | tagged[0]);
        ByteBuffer.wrap(out, tagged.length, CHECK_BYTES).putInt((int) crc32c(out, tagged.length));
        return out;
    }

    /** The CRC32C (Castagnoli) of the first {@code length} bytes. */
    static long crc32c(byte[] b, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, length);
        return crc.getValue();
    }

    /** The id of the codec named by a description's first byte (any version; the check is not verified). */
    static String codecId(byte[] description) {
        return Codecs.taggedId(new byte[] {(byte) envelope(description).codecTag()});
    }

    /** The envelope byte, read: the format version (high nibble) and the codec tag (low nibble). */
    private record Envelope(int version, int codecTag) {
    }

    private static Envelope envelope(byte[] description) {
        if (description.length == 0) {
            throw corrupt("empty (0 bytes)");
        }
        int b = description[0] & 0xFF;
        int version = b >>> 4;
        int tag = b & 0x0F;
        if (version == VERSION_1_ENVELOPE) {
            version = 1;
        } else if (version < FIRST_CHECKED_VERSION || version > VERSION) {
            throw corrupt("unknown envelope byte 0x" + Integer.toHexString(b) + " (format version " + version
                    + "; this library reads versions 1 to " + VERSION + ")");
        }
        if (tag < 1 || tag > Codecs.all().size()) {
            throw corrupt("unknown codec tag " + tag);
        }
        return new Envelope(version, tag);
    }

    /**
     * Decodes a description into the coarse-grained weights. Versions 2 and 3: the CRC32C is verified before
     * anything is decompressed. Version 1 (no check) is still read, with the same validation of the stream.
     *
     * @throws IllegalArgumentException (one line, starting "corrupt coarse-grain description") if the bytes
     *                                  are not a valid description
     */
    static ParameterSnapshot decode(byte[] description) {
        List<Tensor> tensors = new ArrayList<>();
        decode(description, tensors::add);
        return ParameterSnapshot.of(tensors);
    }

    /**
     * {@link #decode(byte[])} one tensor at a time: each decoded tensor goes to {@code sink} as soon as it is
     * read and validated, and none is kept here (a check of a large description against weights held elsewhere
     * then needs one tensor's memory, not the snapshot's).
     *
     * @throws IllegalArgumentException as {@link #decode(byte[])}, possibly after some tensors were passed on
     */
    static void decode(byte[] description, Consumer<Tensor> sink) {
        Envelope env = envelope(description);
        int bodyEnd = description.length;
        if (env.version() >= FIRST_CHECKED_VERSION) {
            if (description.length < 2 + CHECK_BYTES) {
                throw corrupt(description.length + " bytes, shorter than an envelope byte, a codec body and the "
                        + CHECK_BYTES + "-byte check");
            }
            bodyEnd -= CHECK_BYTES;
            long stored = ByteBuffer.wrap(description, bodyEnd, CHECK_BYTES).getInt() & 0xFFFFFFFFL;
            long actual = crc32c(description, bodyEnd);
            if (stored != actual) {
                throw corrupt(String.format(Locale.ROOT, "CRC32C check failed (stored %08x, computed %08x):"
                        + " the bytes were changed or truncated", stored, actual));
            }
        } else if (description.length < 2) {
            throw corrupt(description.length + " bytes");
        }
        byte[] tagged = Arrays.copyOfRange(description, 0, bodyEnd);
        tagged[0] = (byte) env.codecTag();
        byte[] stream;
        try {
            stream = Codecs.best().decompress(tagged, maxStreamBytes());
        } catch (IllegalArgumentException e) {
            throw corrupt(oneLine(e.getMessage()));
        }
        parse(stream, env.version(), sink);
    }

    /**
     * The longest stream a description may expand to: half the heap (a valid stream takes at most 4 bytes per
     * element, and its decoded floats take 4 more), at most what an array holds.
     */
    static int maxStreamBytes() {
        return (int) Math.min(MAX_TENSOR_ELEMENTS, Runtime.getRuntime().maxMemory() / 2);
    }

    /** The most elements one tensor may claim: what a Java array can hold. */
    static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8;

    /** The highest rank a tensor may claim (frameworks use at most 8 or so; this only stops allocation bombs). */
    static final int MAX_RANK = 1024;

    /** Parses a current-version stream. */
    static ParameterSnapshot parse(byte[] stream) {
        return parse(stream, VERSION);
    }

    /**
     * Parses a stream whose envelope says {@code version}: every size is checked against the array and heap
     * limits and, where a payload's length follows from it, against the bytes left, before anything is
     * allocated; every decoded value must be finite.
     */
    static ParameterSnapshot parse(byte[] stream, int version) {
        List<Tensor> tensors = new ArrayList<>();
        parse(stream, version, tensors::add);
        return ParameterSnapshot.of(tensors);
    }

    /** {@link #parse(byte[], int)}, each tensor passed to {@code sink} once validated. */
    static void parse(byte[] stream, int version, Consumer<Tensor> sink) {
        Reader in = new Reader(stream);
        int streamVersion = in.u8("format version");
        if (streamVersion != version) {
            throw corrupt("the stream has format version " + streamVersion + " inside a version-" + version
                    + " envelope");
        }
        int count = in.varint("tensor count");
        // every tensor takes at least 4 bytes (name length, a name byte, rank, kind)
        in.require(4L * count, count + " tensors");
        Set<String> names = new HashSet<>();
        long claimed = 0;
        long heap = Runtime.getRuntime().maxMemory();
        for (int t = 0; t < count; t++) {
            String nm = in.name(t);
            if (!names.add(nm)) {
                throw corrupt("tensor name '" + nm + "' occurs twice");
            }
            int rank = in.varint("rank of tensor '" + nm + "'");
            if (rank > MAX_RANK) {
                throw corrupt("tensor '" + nm + "' claims rank " + rank + " (at most " + MAX_RANK + ")");
            }
            in.require(rank, "the shape of tensor '" + nm + "'");
            int[] shape = new int[rank];
            long numel = 1;
            for (int i = 0; i < rank; i++) {
                shape[i] = in.varint("dimension " + i + " of tensor '" + nm + "'");
                numel = Math.min(numel * shape[i], MAX_TENSOR_ELEMENTS + 1);   // saturate: no overflow
            }
            if (numel > MAX_TENSOR_ELEMENTS) {
                throw corrupt("tensor '" + nm + "' claims more than " + MAX_TENSOR_ELEMENTS + " elements");
            }
            claimed += numel;
            // the decoded floats of all tensors so far, plus this tensor's transient codes and copy
            if (claimed * Float.BYTES + numel * 2L * Float.BYTES > heap) {
                // The stream's length is no bound here: an all-zero or low-rank tensor of any size takes a few bytes.
                throw corrupt("tensor '" + nm + "' claims " + numel + " elements, " + claimed + " in all, more than"
                        + " this JVM's heap of " + heap + " bytes decodes");
            }
            int size = (int) numel;
            int kind = in.u8("kind of tensor '" + nm + "'");
            Coded c = switch (kind) {
                case 0 -> new Coded.Zero(nm, shape);
                case 1 -> {
                    int bits = in.u8("bits of tensor '" + nm + "'");
                    double delta = in.step("step of tensor '" + nm + "'");
                    yield new Coded.DenseCodes(nm, shape, bits, delta, readCodes(in, size, bits, nm));
                }
                case 2 -> {
                    int k = rankOf(in, nm, shape, size);
                    int bitsA = in.u8("bits of tensor '" + nm + "'");
                    double deltaA = in.step("step of tensor '" + nm + "'");
                    int bitsB = in.u8("bits of tensor '" + nm + "'");
                    double deltaB = in.step("step of tensor '" + nm + "'");
                    int m = shape[0];
                    int n = size / m;
                    int[] a = readCodes(in, m * k, bitsA, nm);
                    int[] b = readCodes(in, k * n, bitsB, nm);
                    yield new Coded.LowRankCodes(nm, shape, k, bitsA, deltaA, a, bitsB, deltaB, b,
                            version >= FIRST_EXACT_PRODUCT_VERSION);
                }
                case 3 -> new Coded.DenseF32(nm, shape, in.floats(size, nm));
                case 4 -> {
                    int k = rankOf(in, nm, shape, size);
                    int m = shape[0];
                    int n = size / m;
                    yield new Coded.LowRankF32(nm, shape, k, in.floats(m * k, nm), in.floats(k * n, nm));
                }
                default -> throw corrupt("tensor '" + nm + "' has unknown kind " + kind);
            };
            Tensor tensor = c.tensor();
            int bad = tensor.firstNonFinite();
            if (bad >= 0) {
                throw corrupt("tensor '" + nm + "' decodes to the non-finite value " + tensor.get(bad) + " at index "
                        + bad);
            }
            sink.accept(tensor);
        }
        if (in.remaining() != 0) {
            throw corrupt(in.remaining() + " trailing bytes after " + count + " tensors");
        }
    }

    /** The rank k of a low-rank tensor: a matrix with 1 &le; k &le; min(m, n). */
    private static int rankOf(Reader in, String name, int[] shape, int size) {
        if (shape.length < 2) {
            throw corrupt("low-rank tensor '" + name + "' is not a matrix");
        }
        int k = in.varint("rank of the factors of tensor '" + name + "'");
        int m = shape[0];
        int n = m == 0 ? 0 : size / m;
        if (k < 1 || k > Math.min(m, n)) {
            throw corrupt("low-rank tensor '" + name + "' of " + m + "x" + n + " claims factors of rank " + k);
        }
        return k;
    }

    /** An exception for a corrupt or invalid description, with a one-line message. */
    static IllegalArgumentException corrupt(String what) {
        return new IllegalArgumentException("corrupt coarse-grain description: " + oneLine(what));
    }

    private static String oneLine(String s) {
        return s == null ? "(no detail)" : s.replaceAll("[\\p{Cntrl}]+", " ").strip();
    }

    /** The bytes {@link #writeVarint} takes for v. */
    static int varintLength(int v) {
        int x = v;
        int n = 1;
        while ((x & ~0x7F) != 0) {
            x >>>= 7;
            n++;
        }
        return n;
    }

    /** The bytes {@link #writeCodes} takes for these codes, counted without coding them into memory. */
    static long codesLength(int[] codes, int bits) {
        if (bits > 8) {
            return 2L * codes.length;
        }
        int bound = bound(codes);
        long len = ArithmeticCoder.encodedLength(codes, bound);
        return varintLength(bound) + varintLength((int) len) + len;
    }

    /** Codes up to this many are length-counted exactly during the search; longer ones are estimated. */
    static final int EXACT_LENGTH_LIMIT = 1 << 16;

    /**
     * The search's size of these codes: {@link #codesLength} up to {@link #EXACT_LENGTH_LIMIT} codes (cheap,
     * and where the estimate's few bytes of error would matter), {@link #codesLengthEstimate} beyond.
     */
    static long codesSearchLength(int[] codes, int bits) {
        return codes.length <= EXACT_LENGTH_LIMIT ? codesLength(codes, bits) : codesLengthEstimate(codes, bits);
    }

    /**
     * An estimate of {@link #codesLength} from the codes' histogram, O(n) without coding: the empirical
     * order-0 entropy n&middot;H plus the adaptive model's learning cost, about &frac12; log<sub>2</sub> n bits per
     * symbol in use, plus the coder's final bits. Within a fraction of a percent of the coded length on
     * codes of more than a few thousand elements; it ranks candidates during the search, and the final
     * description is coded exactly.
     */
    static long codesLengthEstimate(int[] codes, int bits) {
        if (bits > 8) {
            return 2L * codes.length;
        }
        int[] hist = new int[2 * ArithmeticCoder.MAX_BOUND + 1];
        int bound = 0;
        for (int c : codes) {
            int a = Math.abs(c);
            if (a > ArithmeticCoder.MAX_BOUND) {
                throw new IllegalArgumentException("code " + c + " outside [-" + ArithmeticCoder.MAX_BOUND + ", "
                        + ArithmeticCoder.MAX_BOUND + "]");
            }
            bound = Math.max(bound, a);
            hist[c + ArithmeticCoder.MAX_BOUND]++;
        }
        double n = codes.length;
        double bitsTotal = 32;
        int used = 0;
        for (int h : hist) {
            if (h > 0) {
                used++;
                bitsTotal += h * (Math.log(n / h) / Math.log(2));
            }
        }
        if (n > 1) {
            bitsTotal += 0.5 * used * (Math.log(n) / Math.log(2));
        }
        long len = (long) Math.ceil(bitsTotal / 8);
        return varintLength(bound) + varintLength((int) Math.min(Integer.MAX_VALUE, len)) + len;
    }

    private static int bound(int[] codes) {
        int bound = 0;
        for (int c : codes) {
            bound = Math.max(bound, Math.abs(c));
        }
        return bound;
    }

    static void writeVarint(DataOutputStream out, int v) throws IOException {
        int x = v;
        while ((x & ~0x7F) != 0) {
            out.writeByte((x & 0x7F) | 0x80);
            x >>>= 7;
        }
        out.writeByte(x);
    }

    /**
     * Codes of b &le; 8 bits: varint M = max|code|, varint n, then n bytes of adaptive arithmetic coding
     * over [&minus;M, M] ({@link ArithmeticCoder}). Codes of 9..16 bits: zig-zag u16 as a low-byte plane
     * then a high-byte plane.
     */
    static void writeCodes(DataOutputStream out, int[] codes, int bits) throws IOException {
        if (bits <= 8) {
            int bound = bound(codes);
            byte[] coded = ArithmeticCoder.encode(codes, bound);
            writeVarint(out, bound);
            writeVarint(out, coded.length);
            out.write(coded);
        } else {
            byte[] lo = new byte[codes.length];
            byte[] hi = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                int z = (codes[i] << 1) ^ (codes[i] >> 31);
                lo[i] = (byte) z;
                hi[i] = (byte) (z >>> 8);
            }
            out.write(lo);
            out.write(hi);
        }
    }

    static int[] readCodes(Reader in, int count, int bits, String name) {
        if (bits < 2 || bits > 16) {
            throw corrupt("tensor '" + name + "' has " + bits + "-bit codes (2 to 16 are valid)");
        }
        int limit = (1 << (bits - 1)) - 1;
        if (bits <= 8) {
            int bound = in.varint("code bound of tensor '" + name + "'");
            if (bound > limit) {
                throw corrupt("tensor '" + name + "' has code bound " + bound + ", more than " + bits + " bits hold");
            }
            int len = in.varint("coded length of tensor '" + name + "'");
            byte[] b = in.bytes(len, "the codes of tensor '" + name + "'");
            try {
                return ArithmeticCoder.decode(b, count, bound);
            } catch (IllegalArgumentException e) {
                throw corrupt("tensor '" + name + "': " + e.getMessage());
            }
        }
        in.require(2L * count, "the " + count + " 16-bit codes of tensor '" + name + "'");
        byte[] lo = in.bytes(count, "codes");
        byte[] hi = in.bytes(count, "codes");
        int[] codes = new int[count];
        for (int i = 0; i < count; i++) {
            int z = (lo[i] & 0xFF) | ((hi[i] & 0xFF) << 8);
            codes[i] = (z >>> 1) ^ -(z & 1);
            if (Math.abs(codes[i]) > limit) {
                throw corrupt("tensor '" + name + "' has code " + codes[i] + ", more than " + bits + " bits hold");
            }
        }
        return codes;
    }

    static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
    }

    /** A bounds-checked reader of the stream: every read names what it reads, and fails before allocating. */
    static final class Reader {
        private final ByteBuffer buf;

        Reader(byte[] stream) {
            this.buf = ByteBuffer.wrap(stream);
        }

        int remaining() {
            return buf.remaining();
        }

        /** Fails unless at least {@code bytes} bytes are left. */
        void require(long bytes, String what) {
            if (bytes > buf.remaining()) {
                throw corrupt("the stream ends early: " + what + " need" + (bytes == 1 ? "s " : " ") + bytes
                        + " bytes, " + buf.remaining() + " left");
            }
        }

        int u8(String what) {
            require(1, what);
            return buf.get() & 0xFF;
        }

        /** An unsigned LEB128 varint in [0, 2^31 - 1], in its shortest form. */
        int varint(String what) {
            long result = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = u8(what);
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (result > Integer.MAX_VALUE || (b == 0 && shift > 0)) {
                        break;
                    }
                    return (int) result;
                }
            }
            throw corrupt("bad varint for " + what);
        }

        /** A quantization step: a finite, positive big-endian f64. */
        double step(String what) {
            require(Double.BYTES, what);
            double d = buf.getDouble();
            if (!(d > 0 && d < Double.POSITIVE_INFINITY)) {
                throw corrupt(what + " is " + d + " (a step must be finite and positive)");
            }
            return d;
        }

        byte[] bytes(int n, String what) {
            require(n, what);
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }

        /** A tensor name: valid UTF-8 of well-formed UTF-16, not blank. */
        String name(int index) {
            int len = varint("name length of tensor " + index);
            byte[] b = bytes(len, "the name of tensor " + index);
            try {
                String name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
                if (name.isBlank()) {
                    throw corrupt("tensor " + index + " has a blank name");
                }
                return name;
            } catch (CharacterCodingException e) {
                throw corrupt("the name of tensor " + index + " is not valid UTF-8");
            }
        }

        /** {@code count} little-endian float32 values (each must be finite: checked on the decoded tensor). */
        float[] floats(int count, String name) {
            require(4L * count, "the " + count + " float32 values of tensor '" + name + "'");
            float[] v = new float[count];
            buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            buf.position(buf.position() + 4 * count);
            return v;
        }
    }
}
