package org.grokmetrics.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;

/**
 * The papers' naive baseline: every tensor's raw little-endian float32 bytes compressed on its own,
 * sizes summed. naiveBits(&theta;) = 8 &middot; &Sigma;<sub>t</sub> |codec(float32le(&theta;<sub>t</sub>))|.
 */
public final class NaiveCompression {

    private NaiveCompression() {
    }

    /**
     * The tensor's values as little-endian IEEE-754 float32 bytes, row-major.
     *
     * @param t the tensor
     * @return 4 &times; {@code t.size()} bytes
     */
    public static byte[] float32LittleEndian(Tensor t) {
        ByteBuffer buf = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(t.buffer());
        return buf.array();
    }

    /**
     * Compressed size of one tensor's raw bytes, in bits.
     *
     * @param t     the tensor
     * @param codec the codec
     * @return 8 &times; the compressed length of {@link #float32LittleEndian(Tensor)}
     */
    public static long bits(Tensor t, Codec codec) {
        // the library's codecs count the tensor's bytes as they compress them, without a byte copy of the tensor
        // (at GPT-2 scale 150 MB) or of the output
        StreamCodec.ByteSource bytes = out -> writeFloat32LittleEndian(t, out);
        long length = 4L * t.size();
        if (codec instanceof StreamCodec s) {
            return s.compressedBits(bytes, length);
        }
        if (codec instanceof BestCodec b) {
            java.util.OptionalLong bits = b.compressedBits(bytes, length);
            if (bits.isPresent()) {
                return bits.getAsLong();
            }
        }
        return codec.compressedBits(float32LittleEndian(t));
    }

    /** {@link #float32LittleEndian(Tensor)}'s bytes, written in chunks of {@value #CHUNK} values. */
    private static void writeFloat32LittleEndian(Tensor t, java.io.OutputStream out) throws java.io.IOException {
        FloatBuffer values = t.buffer();
        ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < t.size(); from += CHUNK) {
            int len = Math.min(CHUNK, t.size() - from);
            buf.clear();
            buf.asFloatBuffer().put(values.slice(from, len));
            out.write(buf.array(), 0, 4 * len);
        }
    }

    /** Values per chunk of {@link #writeFloat32LittleEndian}: 1 MiB of bytes. */
    private static final int CHUNK = 1 << 18;

    /**
     * Per-tensor compressed sizes in bits, in snapshot order.
     *
     * @param p     the weights
     * @param codec the codec
     * @return each tensor's name and its compressed size in bits, in snapshot order
     */
    public static Map<String, Long> bitsPerTensor(ParameterSnapshot p, Codec codec) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Tensor t : p.tensors()) {
            out.put(t.name(), bits(t, codec));
        }
        return out;
    }

    /**
     * The naive size of the whole snapshot, in bits.
     *
     * @param p     the weights
     * @param codec the codec
     * @return the sum of the tensors' compressed sizes, in bits (each tensor compressed alone, in parallel)
     */
    public static long bits(ParameterSnapshot p, Codec codec) {
        // tensors compressed in parallel, each alone; a sum of integers, so the order does not matter
        return p.tensors().parallelStream().mapToLong(t -> bits(t, codec)).sum();
    }
}
