package org.grokmetrics.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * XZ (LZMA2) at preset 6 with the dictionary clamped to the input size (same output ratio for inputs
 * below 8 MiB, far less memory), no integrity check (the check would only add bytes to a bound).
 */
final class XzCodec extends StreamCodec {

    private final int preset;

    XzCodec(int preset) {
        this.preset = preset;
    }

    @Override
    public String id() {
        return "xz";
    }

    @Override
    protected OutputStream compressor(OutputStream sink, int inputLength) throws IOException {
        LZMA2Options options;
        try {
            options = new LZMA2Options(preset);
        } catch (UnsupportedOptionsException e) {
            throw new IllegalArgumentException("bad XZ preset " + preset, e);
        }
        int dict = Math.max(LZMA2Options.DICT_SIZE_MIN, Integer.highestOneBit(Math.max(1, inputLength - 1)) << 1);
        options.setDictSize(Math.min(options.getDictSize(), dict));
        return new XZOutputStream(sink, options, XZ.CHECK_NONE);
    }

    @Override
    protected InputStream decompressor(InputStream source) throws IOException {
        return new XZInputStream(source);
    }
}
