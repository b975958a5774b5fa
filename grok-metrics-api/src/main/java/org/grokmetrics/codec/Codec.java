package org.grokmetrics.codec;

/**
 * A lossless byte codec: {@code decompress(compress(x))} equals {@code x} for every input.
 *
 * <p>Implementations are stateless and thread-safe. Compressed sizes are deterministic for a given
 * input and library version.
 */
public interface Codec {

    /**
     * A stable lower-case identifier: {@code gzip}, {@code xz}, {@code zstd}, {@code bzip2}, {@code best}.
     *
     * @return the identifier, as {@link Codecs#byId(String)} accepts it
     */
    String id();

    /**
     * Compresses {@code data} (not modified).
     *
     * @param data the bytes to compress
     * @return the compressed stream
     */
    byte[] compress(byte[] data);

    /**
     * Restores bytes made by {@link #compress(byte[])} of the same codec.
     *
     * @param compressed a stream made by this codec
     * @return the original bytes
     * @throws IllegalArgumentException if the input is not a valid stream of this codec (truncated or
     *                                  corrupt)
     */
    byte[] decompress(byte[] compressed);

    /**
     * {@link #decompress(byte[])}, failing as soon as the output would exceed {@code maxBytes} (a corrupt or
     * hostile stream that expands without bound must not exhaust the heap). The shipped codecs stop before
     * allocating more than about {@code maxBytes}; this default decompresses in full, then checks.
     *
     * @param compressed a stream made by this codec
     * @param maxBytes   the largest output accepted, in bytes
     * @return the original bytes, at most {@code maxBytes} of them
     * @throws IllegalArgumentException if the input is not a valid stream or expands beyond {@code maxBytes}
     */
    default byte[] decompress(byte[] compressed, int maxBytes) {
        byte[] out = decompress(compressed);
        if (out.length > maxBytes) {
            throw tooLarge(id(), maxBytes);
        }
        return out;
    }

    /**
     * The exception of {@link #decompress(byte[], int)} for an output beyond its limit.
     *
     * @param codec    the codec's id, for the message
     * @param maxBytes the limit exceeded, for the message
     * @return the exception (not thrown)
     */
    static IllegalArgumentException tooLarge(String codec, int maxBytes) {
        return new IllegalArgumentException("the " + codec + " stream expands beyond " + maxBytes + " bytes");
    }

    /**
     * 8 &times; the compressed length of {@code data}, in bits.
     *
     * @param data the bytes to compress
     * @return the compressed size in bits, a multiple of 8
     */
    default long compressedBits(byte[] data) {
        return 8L * compress(data).length;
    }
}
