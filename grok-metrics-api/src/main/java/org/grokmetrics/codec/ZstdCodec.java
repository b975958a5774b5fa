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
        try {
            long size = Zstd.getFrameContentSize(compressed);
            if (size < 0 || size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("not a valid zstd frame (" + compressed.length
                        + " bytes): content size unknown or corrupt header");
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

    @Override
    public String toString() {
        return "zstd-" + level;
    }
}
