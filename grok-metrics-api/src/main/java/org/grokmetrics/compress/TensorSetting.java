package org.grokmetrics.compress;

/**
 * How one tensor was coarse-grained.
 *
 * @param tensor   the tensor's name
 * @param kind     {@link Kind}
 * @param bits     quantization bits b (codes in [&minus;(2^(b&minus;1)&minus;1), 2^(b&minus;1)&minus;1]); 0 for
 *                 zero and float32 kinds
 * @param delta    bin size &Delta; of the dense codes, or of the left factor for low rank; 0 if none
 * @param rank     kept rank k for low rank; &minus;1 otherwise
 * @param fullRank min(m, n) for matrices; &minus;1 for vectors
 */
public record TensorSetting(String tensor, Kind kind, int bits, double delta, int rank, int fullRank) {

    /** Encodings of a tensor. */
    public enum Kind {
        /** every value is zero: nothing but the shape is stored */
        ZERO,
        /** integer codes of b bits times &Delta; */
        DENSE,
        /** a rank-k product Q(U&middot;diag(S)) &middot; Q(V&#7488;) of integer-coded factors */
        LOW_RANK,
        /** float32 values (paper and quantization-only modes, and the lossless fallback) */
        DENSE_FLOAT32,
        /** a rank-k product of float32 factors (paper mode) */
        LOW_RANK_FLOAT32
    }
}
