package org.grokmetrics.codec;

import java.util.Arrays;
import java.util.List;

/**
 * Tries every codec and keeps the smallest output, prefixed by one byte naming the codec (its index
 * in the list, plus one), so that the output can be decoded and its length is an honest size.
 */
final class BestCodec implements Codec {

    private final List<Codec> codecs;

    BestCodec(List<Codec> codecs) {
        if (codecs.isEmpty() || codecs.size() > 255) {
            throw new IllegalArgumentException("best-of needs 1..255 codecs, got " + codecs.size());
        }
        this.codecs = List.copyOf(codecs);
    }

    @Override
    public String id() {
        return "best";
    }

    @Override
    public byte[] compress(byte[] data) {
        // the codecs run in parallel (each on its own copy of nothing: they only read data); ties go to the
        // lowest tag, so the choice does not depend on the number of threads
        byte[][] out = new byte[codecs.size()][];
        java.util.stream.IntStream.range(0, codecs.size()).parallel().forEach(i -> out[i] = codecs.get(i).compress(data));
        int bestIndex = 0;
        for (int i = 1; i < out.length; i++) {
            if (out[i].length < out[bestIndex].length) {
                bestIndex = i;
            }
        }
        return tag(bestIndex, out[bestIndex]);
    }

    /**
     * {@code data} compressed by {@code codec}, behind the tag of the codec in this list with the same id
     * (so that {@link #decompress} reads it).
     *
     * @throws IllegalArgumentException if no codec in the list has that id
     */
    /**
     * {@link StreamCodec#compressedBits(StreamCodec.ByteSource, long)} of the best codec, the tag byte included;
     * each codec compresses the source on its own, in parallel. Empty where a codec is not a stream codec.
     */
    java.util.OptionalLong compressedBits(StreamCodec.ByteSource source, long inputLength) {
        if (!codecs.stream().allMatch(c -> c instanceof StreamCodec)) {
            return java.util.OptionalLong.empty();
        }
        long best = codecs.parallelStream().mapToLong(c -> ((StreamCodec) c).compressedBits(source, inputLength)).min()
                .orElseThrow();
        return java.util.OptionalLong.of(best + 8);
    }

    byte[] compressWith(Codec codec, byte[] data) {
        for (int i = 0; i < codecs.size(); i++) {
            if (codecs.get(i).id().equals(codec.id())) {
                return tag(i, codec.compress(data));
            }
        }
        throw new IllegalArgumentException("codec '" + codec.id() + "' has no tag; use " + codecs.stream()
                .map(Codec::id).collect(java.util.stream.Collectors.joining(", ")) + " or best");
    }

    private static byte[] tag(int index, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) (index + 1);
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** The id of the codec that {@link #compress} would choose for {@code data}. */
    String chosen(byte[] compressed) {
        return codecAt(compressed).id();
    }

    private Codec codecAt(byte[] compressed) {
        if (compressed.length == 0) {
            throw new IllegalArgumentException("empty input is not a best-of stream");
        }
        int index = (compressed[0] & 0xFF) - 1;
        if (index < 0 || index >= codecs.size()) {
            throw new IllegalArgumentException("best-of stream names unknown codec tag " + (compressed[0] & 0xFF));
        }
        return codecs.get(index);
    }

    @Override
    public byte[] decompress(byte[] compressed) {
        return codecAt(compressed).decompress(Arrays.copyOfRange(compressed, 1, compressed.length));
    }

    @Override
    public byte[] decompress(byte[] compressed, int maxBytes) {
        return codecAt(compressed).decompress(Arrays.copyOfRange(compressed, 1, compressed.length), maxBytes);
    }

    @Override
    public String toString() {
        return "best" + codecs;
    }
}
