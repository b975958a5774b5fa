package org.grokmetrics.compress;

import java.util.function.Supplier;

/** The compressor's own time per phase, in nanoseconds (the loss oracle's is {@link CountingLoss}'s). Not thread-safe. */
final class Stopwatch {

    /** The phases of {@link CoarseGraining.Timings}, loss aside. */
    enum Phase {
        /** singular value decompositions */
        SVD,
        /** building candidates: truncation, quantization, reconstruction, and sizing each tensor as it is coded */
        QUANTIZE,
        /** size estimates that build no weights, and serialising candidates where the estimate is not a sum */
        ENCODE
    }

    private final long[] nanos = new long[Phase.values().length];

    /** Runs {@code work}, adding its time to {@code phase}. */
    <T> T time(Phase phase, Supplier<T> work) {
        long s = System.nanoTime();
        T result = work.get();
        nanos[phase.ordinal()] += System.nanoTime() - s;
        return result;
    }

    /** The timings with the final compression's {@code compressNanos} and the oracle's {@code lossNanos}. */
    CoarseGraining.Timings timings(long compressNanos, long lossNanos) {
        return new CoarseGraining.Timings(nanos[Phase.SVD.ordinal()], nanos[Phase.QUANTIZE.ordinal()],
                nanos[Phase.ENCODE.ordinal()], compressNanos, lossNanos);
    }
}
