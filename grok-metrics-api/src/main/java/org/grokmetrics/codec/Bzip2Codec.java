package org.grokmetrics.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/** bzip2 with 900 kB blocks (level 9, as the paper's Python {@code bz2.compress}), Commons Compress. */
final class Bzip2Codec extends StreamCodec {

    @Override
    public String id() {
        return "bzip2";
    }

    @Override
    protected OutputStream compressor(OutputStream sink, int inputLength) throws IOException {
        return new BZip2CompressorOutputStream(sink, BZip2CompressorOutputStream.MAX_BLOCKSIZE);
    }

    @Override
    protected InputStream decompressor(InputStream source) throws IOException {
        // concatenated mode: bytes after the stream must be another stream, so appended garbage is rejected
        return new BZip2CompressorInputStream(source, true);
    }
}
