/**
 * Lossless byte codecs used to turn descriptions into bit counts: deflate (gzip container), XZ
 * (LZMA2), Zstandard, bzip2, and "best of all", which tries each and prefixes a one-byte codec id (the id
 * is counted in the size, so the bound stays honest).
 *
 * <p>{@link org.grokmetrics.codec.NaiveCompression} gives the papers' naive baseline: each tensor's raw
 * little-endian float32 bytes compressed separately, sizes summed.
 */
package org.grokmetrics.codec;
