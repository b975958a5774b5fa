package org.grokmetrics.compress;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;

/**
 * The coarse-grain description format, version 1 (documented in docs/coarse-grain-format.md).
 *
 * <p>Serialises and parses the stream of {@link Coded} tensors and wraps it in the codec envelope.
 */
final class CoarseGrainFormat {

    static final int VERSION = 1;

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

    /** A description: one codec-tag byte ({@link Codecs#tagged}), then the codec's compression of the stream. */
    static byte[] compress(byte[] stream, Codec codec) {
        return Codecs.tagged(codec, stream);
    }

    /** The id of the codec named by a description's first byte. */
    static String codecId(byte[] description) {
        if (description.length < 2) {
            throw new IllegalArgumentException("corrupt coarse-grain description: " + description.length + " bytes");
        }
        try {
            return Codecs.taggedId(description);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("corrupt coarse-grain description: " + e.getMessage(), e);
        }
    }

    /** Decodes a description into the coarse-grained weights. */
    static ParameterSnapshot decode(byte[] description) {
        codecId(description);
        return parse(Codecs.best().decompress(description));
    }

    /** The most elements one tensor may claim: what a Java array can hold. */
    static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8;

    /** The highest rank a tensor may claim (frameworks use at most 8 or so; this only stops allocation bombs). */
    static final int MAX_RANK = 1024;

    static ParameterSnapshot parse(byte[] stream) {
        List<Tensor> tensors = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stream))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("coarse-grain description has format version " + version
                        + "; this library reads version " + VERSION);
            }
            int count = readVarint(in);
            long claimed = 0;
            for (int t = 0; t < count; t++) {
                int nameLen = readVarint(in);
                byte[] name = in.readNBytes(nameLen);
                if (name.length != nameLen) {
                    throw new EOFException();
                }
                String nm = new String(name, StandardCharsets.UTF_8);
                int rank = readVarint(in);
                if (rank > MAX_RANK) {
                    throw new IllegalArgumentException("corrupt coarse-grain description: tensor '" + nm + "' claims rank "
                            + rank);
                }
                int[] shape = new int[rank];
                long numel = 1;
                for (int i = 0; i < rank; i++) {
                    shape[i] = readVarint(in);
                    numel = Math.min(numel * shape[i], MAX_TENSOR_ELEMENTS + 1);   // saturate: no overflow
                }
                claimed += numel;
                if (numel > MAX_TENSOR_ELEMENTS || claimed * Float.BYTES > Runtime.getRuntime().maxMemory()) {
                    // a size no float[] (or no heap) can hold: reject before allocating. The stream's length is no
                    // bound: an all-zero or low-rank tensor of any size takes a few bytes.
                    throw new IllegalArgumentException("corrupt coarse-grain description: tensor '" + nm + "' claims "
                            + (numel > MAX_TENSOR_ELEMENTS ? "more than " + MAX_TENSOR_ELEMENTS + " elements"
                            : numel + " elements, " + claimed + " in all, more than this JVM's heap of "
                                    + Runtime.getRuntime().maxMemory() + " bytes holds"));
                }
                int size = (int) numel;
                int kind = in.readUnsignedByte();
                Coded c = switch (kind) {
                    case 0 -> new Coded.Zero(nm, shape);
                    case 1 -> {
                        int bits = in.readUnsignedByte();
                        double delta = in.readDouble();
                        yield new Coded.DenseCodes(nm, shape, bits, delta, readCodes(in, size, bits));
                    }
                    case 2 -> {
                        requireMatrix(nm, shape);
                        int k = readVarint(in);
                        int bitsA = in.readUnsignedByte();
                        double deltaA = in.readDouble();
                        int bitsB = in.readUnsignedByte();
                        double deltaB = in.readDouble();
                        int m = shape[0];
                        int n = m == 0 ? 0 : size / m;
                        int[] a = readCodes(in, m * k, bitsA);
                        int[] b = readCodes(in, k * n, bitsB);
                        yield new Coded.LowRankCodes(nm, shape, k, bitsA, deltaA, a, bitsB, deltaB, b);
                    }
                    case 3 -> new Coded.DenseF32(nm, shape, readFloats(in, size));
                    case 4 -> {
                        requireMatrix(nm, shape);
                        int k = readVarint(in);
                        int m = shape[0];
                        int n = m == 0 ? 0 : size / m;
                        yield new Coded.LowRankF32(nm, shape, k, readFloats(in, m * k), readFloats(in, k * n));
                    }
                    default -> throw new IllegalArgumentException("corrupt coarse-grain description: tensor '" + nm
                            + "' has unknown kind " + kind);
                };
                tensors.add(c.tensor());
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("corrupt coarse-grain description: trailing bytes after "
                        + count + " tensors");
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException("corrupt coarse-grain description: stream ends early", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ParameterSnapshot.of(tensors);
    }

    private static void requireMatrix(String name, int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("corrupt coarse-grain description: low-rank tensor '" + name
                    + "' is not a matrix");
        }
    }

    static void writeVarint(DataOutputStream out, int v) throws IOException {
        int x = v;
        while ((x & ~0x7F) != 0) {
            out.writeByte((x & 0x7F) | 0x80);
            x >>>= 7;
        }
        out.writeByte(x);
    }

    static int readVarint(DataInputStream in) throws IOException {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (result < 0) {
                    break;
                }
                return result;
            }
        }
        throw new IllegalArgumentException("corrupt coarse-grain description: bad varint");
    }

    /**
     * Codes of b &le; 8 bits: varint M = max|code|, varint n, then n bytes of adaptive arithmetic coding
     * over [&minus;M, M] ({@link ArithmeticCoder}). Codes of 9..16 bits: zig-zag u16 as a low-byte plane
     * then a high-byte plane.
     */
    static void writeCodes(DataOutputStream out, int[] codes, int bits) throws IOException {
        if (bits <= 8) {
            int bound = 0;
            for (int c : codes) {
                bound = Math.max(bound, Math.abs(c));
            }
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

    static int[] readCodes(DataInputStream in, int count, int bits) throws IOException {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("corrupt coarse-grain description: " + bits + "-bit codes");
        }
        int[] codes = new int[count];
        if (bits <= 8) {
            int bound = readVarint(in);
            if (bound > (1 << (bits - 1)) - 1) {
                throw new IllegalArgumentException("corrupt coarse-grain description: code bound " + bound + " exceeds "
                        + bits + " bits");
            }
            int len = readVarint(in);
            byte[] b = in.readNBytes(len);
            if (b.length != len) {
                throw new EOFException();
            }
            return ArithmeticCoder.decode(b, count, bound);
        } else {
            byte[] lo = in.readNBytes(count);
            byte[] hi = in.readNBytes(count);
            if (lo.length != count || hi.length != count) {
                throw new EOFException();
            }
            for (int i = 0; i < count; i++) {
                int z = (lo[i] & 0xFF) | ((hi[i] & 0xFF) << 8);
                codes[i] = (z >>> 1) ^ -(z & 1);
            }
        }
        return codes;
    }

    static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
    }

    static float[] readFloats(DataInputStream in, int count) throws IOException {
        byte[] b = in.readNBytes(4 * count);
        if (b.length != 4 * count) {
            throw new EOFException();
        }
        float[] v = new float[count];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
