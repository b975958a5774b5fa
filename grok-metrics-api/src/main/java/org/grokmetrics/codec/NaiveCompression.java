package org.grokmetrics.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
        return codec.compressedBits(float32LittleEndian(t));
    }

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
