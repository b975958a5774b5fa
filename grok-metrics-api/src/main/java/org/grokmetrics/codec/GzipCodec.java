package org.grokmetrics.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

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

    @Override
    protected InputStream decompressor(InputStream source) throws IOException {
        return new GZIPInputStream(source);
    }
}
