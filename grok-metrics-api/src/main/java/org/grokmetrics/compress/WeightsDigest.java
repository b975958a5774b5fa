package org.grokmetrics.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.grokmetrics.api.Tensor;

/**
 * The identity of a candidate's weights without keeping them: SHA-256 of each tensor's shape and float
 * bits, and of the tensors' digests in order for the whole set. Two sets of weights with equal digests
 * are taken to be equal (a collision is a 2<sup>&minus;128</sup> event), so the loss cache of
 * {@link Evaluations} holds 32 bytes per evaluated candidate, not a copy of the snapshot.
 */
final class WeightsDigest {

    private static final int CHUNK = 1 << 14;

    private WeightsDigest() {
    }

    /** SHA-256 of the tensor's name, shape and exact float bits (little-endian). */
    static byte[] of(Tensor t) {
        MessageDigest md = sha256();
        md.update(t.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.allocate(4 * Math.max(CHUNK, t.shape().length + 1)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(t.shape().length);
        for (int d : t.shape()) {
            buf.putInt(d);
        }
        md.update(buf.array(), 0, buf.position());
        int n = t.size();
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            buf.clear();
            for (int i = from; i < to; i++) {
                buf.putInt(Float.floatToRawIntBits(t.get(i)));
            }
            md.update(buf.array(), 0, buf.position());
        }
        return md.digest();
    }

    /** The digest of a whole set, from its tensors' digests in order. */
    static String of(byte[][] tensorDigests) {
        MessageDigest md = sha256();
        for (byte[] d : tensorDigests) {
            md.update(d);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
