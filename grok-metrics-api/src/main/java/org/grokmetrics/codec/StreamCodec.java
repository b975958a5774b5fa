package org.grokmetrics.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** A codec built from a pair of stream wrappers; the common shape of gzip, XZ and bzip2. */
abstract class StreamCodec implements Codec {

    protected abstract OutputStream compressor(OutputStream sink, int inputLength) throws IOException;

    protected abstract InputStream decompressor(InputStream source) throws IOException;

    @Override
    public final byte[] compress(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (OutputStream out = compressor(bos, data.length)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(id() + " compression failed", e);
        }
        return bos.toByteArray();
    }

    /**
     * 8 &times; the compressed length of the {@code inputLength} bytes {@code source} writes, counted as they are
     * compressed: neither the input nor the output is held. Equal to {@code compressedBits} of those bytes in one
     * array (the stream codecs' output does not depend on how their input is split into writes).
     */
    final long compressedBits(ByteSource source, long inputLength) {
        long[] count = {0};
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        try (OutputStream out = compressor(counter, (int) Math.min(Integer.MAX_VALUE, inputLength))) {
            source.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(id() + " compression failed", e);
        }
        return 8 * count[0];
    }

    /** Writes bytes to a stream. */
    @FunctionalInterface
    interface ByteSource {
        void writeTo(OutputStream out) throws IOException;
    }

    @Override
    public final byte[] decompress(byte[] compressed) {
        try (InputStream in = decompressor(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid " + id() + " stream (" + compressed.length + " bytes): "
                    + e.getMessage(), e);
        }
    }

    /** Reads at most {@code maxBytes + 1} bytes of output: memory stays bounded by the limit. */
    @Override
    public final byte[] decompress(byte[] compressed, int maxBytes) {
        byte[] out;
        try (InputStream in = decompressor(new ByteArrayInputStream(compressed))) {
            out = in.readNBytes(maxBytes == Integer.MAX_VALUE ? maxBytes : maxBytes + 1);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid " + id() + " stream (" + compressed.length + " bytes): "
                    + e.getMessage(), e);
        }
        if (out.length > maxBytes) {
            throw Codec.tooLarge(id(), maxBytes);
        }
        return out;
    }

    @Override
    public String toString() {
        return id();
    }
}
