package org.grokmetrics.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Deflate at level 9 in a gzip container (java.util.zip). */
final class GzipCodec extends StreamCodec {

    @Override
    public String id() {
        return "gzip";
    }

    @Override
    protected OutputStream compressor(OutputStream sink, int inputLength) throws IOException {
        return new GZIPOutputStream(sink, 8192) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        };
    }

    /**
     * Commons Compress's reader, which (unlike java.util.zip's, which ignores them) rejects bytes after the
     * last member: a stream with garbage appended is not a valid gzip stream.
     */
    @Override
    protected InputStream decompressor(InputStream source) throws IOException {
        return new GzipCompressorInputStream(source, true);
    }
}
