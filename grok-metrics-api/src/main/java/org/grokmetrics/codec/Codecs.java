package org.grokmetrics.codec;

import java.util.List;
import java.util.Locale;

/**
 * Factories for the shipped codecs.
 *
 * <table>
 *   <caption>Codecs</caption>
 *   <tr><th>id</th><th>library</th><th>settings</th></tr>
 *   <tr><td>gzip</td><td>java.util.zip</td><td>deflate level 9, gzip container</td></tr>
 *   <tr><td>xz</td><td>XZ for Java</td><td>LZMA2 preset 6, dictionary clamped to input, no check</td></tr>
 *   <tr><td>zstd</td><td>zstd-jni</td><td>level 19 by default</td></tr>
 *   <tr><td>bzip2</td><td>Commons Compress</td><td>900 kB blocks (level 9)</td></tr>
 *   <tr><td>best</td><td>&mdash;</td><td>smallest of the four, plus a 1-byte id</td></tr>
 * </table>
 */
public final class Codecs {

    /** The default Zstandard level. */
    public static final int DEFAULT_ZSTD_LEVEL = 19;

    private static final Codec GZIP = new GzipCodec();
    private static final Codec XZ = new XzCodec(6);
    private static final Codec ZSTD = new ZstdCodec(DEFAULT_ZSTD_LEVEL);
    private static final Codec BZIP2 = new Bzip2Codec();
    private static final List<Codec> SINGLE = List.of(GZIP, XZ, ZSTD, BZIP2);
    private static final BestCodec BEST = new BestCodec(SINGLE);

    private Codecs() {
    }

    /**
     * Deflate level 9 in a gzip container.
     *
     * @return the shared gzip codec
     */
    public static Codec gzip() {
        return GZIP;
    }

    /**
     * XZ / LZMA2, preset 6.
     *
     * @return the shared xz codec
     */
    public static Codec xz() {
        return XZ;
    }

    /**
     * Zstandard at level {@value #DEFAULT_ZSTD_LEVEL}.
     *
     * @return the shared zstd codec
     */
    public static Codec zstd() {
        return ZSTD;
    }

    /**
     * Zstandard at another level.
     *
     * @param level the compression level, within zstd's range
     * @return a zstd codec at that level (id {@code zstd})
     * @throws IllegalArgumentException if the level is outside zstd's range
     */
    public static Codec zstd(int level) {
        return new ZstdCodec(level);
    }

    /**
     * bzip2, 900 kB blocks: the paper's compressor.
     *
     * @return the shared bzip2 codec
     */
    public static Codec bzip2() {
        return BZIP2;
    }

    /**
     * The smallest of gzip, xz, zstd and bzip2, with a one-byte codec id in front.
     *
     * @return the shared best codec
     */
    public static Codec best() {
        return BEST;
    }

    /**
     * {@code data} compressed by {@code codec} behind the one-byte tag of {@link #best()} (1 gzip, 2 xz,
     * 3 zstd at any level, 4 bzip2), so that {@code best().decompress} reads it; {@code best()} itself
     * picks the smallest.
     *
     * @param codec one of the single codecs (zstd at any level) or best
     * @param data  the bytes to compress
     * @return the tag byte followed by the compressed stream
     * @throws IllegalArgumentException if the codec is not one of those or best
     */
    public static byte[] tagged(Codec codec, byte[] data) {
        return codec.id().equals(BEST.id()) ? BEST.compress(data) : BEST.compressWith(codec, data);
    }

    /**
     * The id of the codec named by the tag of a {@link #best()} or {@link #tagged} stream.
     *
     * @param tagged a stream that starts with the tag byte
     * @return the id of the codec the tag names, e.g. {@code bzip2}
     * @throws IllegalArgumentException if the stream is empty or its tag unknown
     */
    public static String taggedId(byte[] tagged) {
        return BEST.chosen(tagged);
    }

    /**
     * The four single codecs, in tag order: gzip, xz, zstd, bzip2.
     *
     * @return the codecs (unmodifiable)
     */
    public static List<Codec> all() {
        return SINGLE;
    }

    /**
     * A codec by id ({@code gzip}, {@code deflate}, {@code xz}, {@code zstd}, {@code bzip2}, {@code best}).
     *
     * @param id the id, in any case; also {@code lzma}, {@code zstandard} and {@code bz2}
     * @return the shared codec
     * @throws IllegalArgumentException naming the id and the ones known
     */
    public static Codec byId(String id) {
        return switch (id.toLowerCase(Locale.ROOT)) {
            case "gzip", "deflate" -> GZIP;
            case "xz", "lzma" -> XZ;
            case "zstd", "zstandard" -> ZSTD;
            case "bzip2", "bz2" -> BZIP2;
            case "best" -> BEST;
            default -> throw new IllegalArgumentException("unknown codec '" + id
                    + "'; known: gzip, xz, zstd, bzip2, best");
        };
    }
}
