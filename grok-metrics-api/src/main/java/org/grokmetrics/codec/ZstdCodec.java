package org.grokmetrics.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;

/** Zstandard (zstd-jni) single-frame compression with the content size in the frame header. */
final class ZstdCodec implements Codec {

    private final int level;

    ZstdCodec(int level) {
        if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
            throw new IllegalArgumentException("zstd level must be in [" + Zstd.minCompressionLevel() + ", "
                    + Zstd.maxCompressionLevel() + "], was " + level);
        }
        this.level = level;
    }

    @Override
    public String id() {
        return "zstd";
    }

    @Override
    public byte[] compress(byte[] data) {
        return Zstd.compress(data, level);
    }

    @Override
    public byte[] decompress(byte[] compressed) {
        return decompress(compressed, Integer.MAX_VALUE - 8);
    }

    /** The frame header's content size is checked against the limit before the output is allocated. */
    @Override
    public byte[] decompress(byte[] compressed, int maxBytes) {
        try {
            long size = Zstd.getFrameContentSize(compressed);
            if (size < 0 || size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("not a valid zstd frame (" + compressed.length
                        + " bytes): content size unknown or corrupt header");
            }
            if (size > maxContent(compressed.length)) {
                // checked before the output is allocated: a corrupt header must not claim gigabytes
                throw new IllegalArgumentException("not a valid zstd frame (" + compressed.length
                        + " bytes): its header claims " + size + " bytes, more than that many bytes of blocks can hold");
            }
            if (size > maxBytes) {
                throw Codec.tooLarge(id(), maxBytes);
            }
            byte[] out = Zstd.decompress(compressed, (int) size);
            if (out.length != size) {
                throw new IllegalArgumentException("zstd frame truncated: " + out.length + " of " + size + " bytes");
            }
            return out;
        } catch (ZstdException e) {
            throw new IllegalArgumentException("not a valid zstd frame (" + compressed.length + " bytes): "
                    + e.getMessage(), e);
        }
    }

    /**
     * The most a frame of {@code length} bytes can decompress to: every block has a 3-byte header and at
     * least one byte of content (an RLE block) and yields at most 128 KiB (RFC 8878, 3.1.1.2).
     */
    static long maxContent(int length) {
        return ((long) length / 4 + 1) * (128 * 1024);
    }

    @Override
    public String toString() {
        return "zstd-" + level;
    }
}
