package org.grokmetrics.compress;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;
import org.grokmetrics.compress.Stopwatch.Phase;
import org.grokmetrics.linalg.LinearAlgebra;

/**
 * Coarse-grains a snapshot as far as the train loss allows, |L(&theta;&#770;) &minus; L(&theta;)| &lt; &epsilon;
 * nats (or one-sided), and reports the shortest decodable description found, in bits: an upper bound
 * on the network's Kolmogorov complexity (the method is in the package documentation). As a
 * {@link ComplexityEstimator} it reports that bound ({@link CoarseGrainEstimator}).
 *
 * <p>Errors: NaN/Inf parameters, or an original loss that is not finite: {@link IllegalArgumentException}
 * naming the tensor or the loss. A candidate whose loss is NaN counts as failing.
 *
 * <p>Immutable and thread-safe; the loss oracle is called from the calling thread only.
 */
public final class CoarseGrainCompressor implements ComplexityEstimator {

    /** The estimator's name and CSV column. */
    public static final String NAME = "coarse-grained";

    /** Search and encoding modes. */
    public enum Mode {
        /** per-tensor bits, integer codes, best codec, bits + rank search + refinement */
        DEFAULT,
        /** global &Delta; and &tau;, float32 payload, bzip2 (the paper's encoding) */
        PAPER,
        /** the paper's Algorithm 2: binary search on the global &Delta; only, float32 payload, bzip2 */
        QUANTIZATION_ONLY
    }

    /**
     * Options: {@link #defaults}, {@link #paper}, {@link #quantizationOnly}, or any with {@link #builder()}.
     *
     * @param epsilon    the distortion bound &epsilon; on the train loss, in nats (finite, &gt; 0; the paper's figures use 1)
     * @param mode       search and encoding mode
     * @param minBits    fewest quantization bits tried (&ge; 2)
     * @param maxBits    most quantization bits tried (&le; 16)
     * @param rankSearch whether low-rank factorisation is searched
     * @param codec      codec of the description: gzip, xz, zstd, bzip2 or best
     * @param lossBudget most loss evaluations per compression, the original's included (&ge; 2)
     * @param oneSided   accept any loss decrease (L&#770; &minus; L &lt; &epsilon;) instead of |L&#770; &minus; L| &lt; &epsilon;
     * @param refine     whether the per-tensor refinement runs (default mode only)
     */
    public record Options(double epsilon, Mode mode, int minBits, int maxBits, boolean rankSearch, Codec codec,
                          int lossBudget, boolean oneSided, boolean refine) {

        /**
         * Validates the options.
         *
         * @param epsilon    the distortion bound &epsilon; in nats, finite and &gt; 0
         * @param mode       search and encoding mode (not null)
         * @param minBits    fewest quantization bits tried, &ge; 2
         * @param maxBits    most quantization bits tried, in [minBits, 16]
         * @param rankSearch whether low-rank factorisation is searched
         * @param codec      codec of the description (not null)
         * @param lossBudget most loss evaluations per compression, &ge; 2
         * @param oneSided   whether any loss decrease is accepted
         * @param refine     whether the per-tensor refinement runs
         * @throws IllegalArgumentException if a value is out of its range (NaN &epsilon; included)
         */
        public Options {
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new IllegalArgumentException("epsilon must be finite and > 0, was " + epsilon);
            }
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(codec, "codec");
            if (minBits < 2 || maxBits > 16 || minBits > maxBits) {
                throw new IllegalArgumentException("need 2 <= minBits <= maxBits <= 16, got " + minBits + ".." + maxBits);
            }
            if (lossBudget < 2) {
                throw new IllegalArgumentException("lossBudget must be >= 2 (the original and one candidate), was "
                        + lossBudget);
            }
        }

        /**
         * Default mode: bits 2..16, rank search, best codec, 24 evaluations, two-sided, refinement on.
         *
         * @param epsilon the distortion bound &epsilon; on the train loss, in nats, finite and &gt; 0
         * @return the options
         * @throws IllegalArgumentException if &epsilon; is not finite and &gt; 0
         */
        public static Options defaults(double epsilon) {
            return builder().epsilon(epsilon).build();
        }

        /**
         * The paper's encoding (global &Delta; and &tau;, float32, bzip2), 62 evaluations like the authors' code.
         *
         * @param epsilon the distortion bound &epsilon; on the train loss, in nats, finite and &gt; 0
         * @return the options
         * @throws IllegalArgumentException if &epsilon; is not finite and &gt; 0
         */
        public static Options paper(double epsilon) {
            return builder().paper().epsilon(epsilon).build();
        }

        /**
         * The paper's Algorithm 2: global &Delta; only, float32, bzip2, 24 evaluations.
         *
         * @param epsilon the distortion bound &epsilon; on the train loss, in nats, finite and &gt; 0
         * @return the options
         * @throws IllegalArgumentException if &epsilon; is not finite and &gt; 0
         */
        public static Options quantizationOnly(double epsilon) {
            return builder().quantizationOnly().epsilon(epsilon).build();
        }

        /**
         * A builder holding the default mode's settings and no &epsilon; yet.
         *
         * @return the builder; {@link Builder#build()} fails until &epsilon; is set
         */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * A builder holding these options.
         *
         * @return a builder whose {@link Builder#build()} gives options equal to these
         */
        public Builder toBuilder() {
            return new Builder().epsilon(epsilon).mode(mode).bits(minBits, maxBits).rankSearch(rankSearch).codec(codec)
                    .lossBudget(lossBudget).oneSided(oneSided).refine(refine);
        }

        /**
         * These options with another loss budget.
         *
         * @param budget most loss evaluations per compression, the original's included, &ge; 2
         * @return the new options
         * @throws IllegalArgumentException if the value is out of its range
         */
        public Options withLossBudget(int budget) {
            return toBuilder().lossBudget(budget).build();
        }

        /**
         * These options with another codec.
         *
         * @param c the codec of the description (not null)
         * @return the new options
         */
        public Options withCodec(Codec c) {
            return toBuilder().codec(c).build();
        }

        /**
         * These options with low-rank search on or off.
         *
         * @param on whether low-rank factorisation is searched
         * @return the new options
         */
        public Options withRankSearch(boolean on) {
            return toBuilder().rankSearch(on).build();
        }

        /**
         * These options with the one-sided or the two-sided distortion test.
         *
         * @param on true to accept any loss decrease (L&#770; &minus; L &lt; &epsilon;), false for |L&#770; &minus; L| &lt; &epsilon;
         * @return the new options
         */
        public Options withOneSided(boolean on) {
            return toBuilder().oneSided(on).build();
        }

        /**
         * These options with the per-tensor refinement on or off.
         *
         * @param on whether the refinement runs (default mode only)
         * @return the new options
         */
        public Options withRefine(boolean on) {
            return toBuilder().refine(on).build();
        }

        /**
         * These options with another range of quantization bits.
         *
         * @param min fewest bits tried, &ge; 2
         * @param max most bits tried, in [min, 16]
         * @return the new options
         * @throws IllegalArgumentException if the range is not within [2, 16] or min &gt; max
         */
        public Options withBits(int min, int max) {
            return toBuilder().bits(min, max).build();
        }

        /**
         * Builds {@link Options} (as Hipparchus' {@code LeastSquaresBuilder} builds a problem): each setter
         * returns the builder, {@link #build()} validates. Starts with the default mode's settings.
         */
        public static final class Builder {
            private double epsilon = Double.NaN;
            private Mode mode = Mode.DEFAULT;
            private int minBits = 2;
            private int maxBits = 16;
            private boolean rankSearch = true;
            private Codec codec = Codecs.best();
            private int lossBudget = 24;
            private boolean oneSided;
            private boolean refine = true;

            private Builder() {
            }

            /**
             * The paper's preset: paper mode, rank search, bzip2, 62 evaluations, no refinement.
             *
             * @return this builder
             */
            public Builder paper() {
                return mode(Mode.PAPER).rankSearch(true).codec(Codecs.bzip2()).lossBudget(62).refine(false);
            }

            /**
             * The paper's Algorithm 2 preset: global &Delta; only, bzip2, 24 evaluations, no refinement.
             *
             * @return this builder
             */
            public Builder quantizationOnly() {
                return mode(Mode.QUANTIZATION_ONLY).rankSearch(false).codec(Codecs.bzip2()).lossBudget(24).refine(false);
            }

            /**
             * The distortion bound &epsilon;, in nats.
             *
             * @param e &epsilon;, finite and &gt; 0 (checked by {@link #build()})
             * @return this builder
             */
            public Builder epsilon(double e) {
                this.epsilon = e;
                return this;
            }

            /**
             * The search and encoding mode.
             *
             * @param m the mode (not null, checked by {@link #build()})
             * @return this builder
             */
            public Builder mode(Mode m) {
                this.mode = m;
                return this;
            }

            /**
             * Fewest and most quantization bits tried.
             *
             * @param min fewest bits, &ge; 2
             * @param max most bits, in [min, 16] (both checked by {@link #build()})
             * @return this builder
             */
            public Builder bits(int min, int max) {
                this.minBits = min;
                this.maxBits = max;
                return this;
            }

            /**
             * Whether low-rank factorisation is searched.
             *
             * @param on true to search ranks
             * @return this builder
             */
            public Builder rankSearch(boolean on) {
                this.rankSearch = on;
                return this;
            }

            /**
             * The codec of the description.
             *
             * @param c the codec (not null, checked by {@link #build()})
             * @return this builder
             */
            public Builder codec(Codec c) {
                this.codec = c;
                return this;
            }

            /**
             * Most loss evaluations per compression, the original's included.
             *
             * @param budget the budget, &ge; 2 (checked by {@link #build()})
             * @return this builder
             */
            public Builder lossBudget(int budget) {
                this.lossBudget = budget;
                return this;
            }

            /**
             * The one-sided distortion test (accept any loss decrease) or the two-sided one.
             *
             * @param on true for one-sided
             * @return this builder
             */
            public Builder oneSided(boolean on) {
                this.oneSided = on;
                return this;
            }

            /**
             * Whether the per-tensor refinement runs (default mode only).
             *
             * @param on true to refine
             * @return this builder
             */
            public Builder refine(boolean on) {
                this.refine = on;
                return this;
            }

            /**
             * Validates the settings.
             *
             * @return the options
             * @throws IllegalArgumentException if a value is out of its range, or &epsilon; was not set
             */
            public Options build() {
                return new Options(epsilon, mode, minBits, maxBits, rankSearch, codec, lossBudget, oneSided, refine);
            }
        }
    }

    private final Options options;
    private final LinearAlgebra linearAlgebra;

    private CoarseGrainCompressor(Options options, LinearAlgebra linearAlgebra) {
        this.options = Objects.requireNonNull(options, "options");
        this.linearAlgebra = linearAlgebra;
    }

    /**
     * The default mode with distortion bound &epsilon; (nats).
     *
     * @param epsilon the distortion bound &epsilon; on the train loss, in nats, finite and &gt; 0
     * @return the compressor
     * @throws IllegalArgumentException if &epsilon; is not finite and &gt; 0
     */
    public static CoarseGrainCompressor of(double epsilon) {
        return new CoarseGrainCompressor(Options.defaults(epsilon), null);
    }

    /**
     * Any options, on the default linear algebra.
     *
     * @param options the options (not null)
     * @return the compressor
     */
    public static CoarseGrainCompressor of(Options options) {
        return new CoarseGrainCompressor(options, null);
    }

    /**
     * Any options and linear algebra.
     *
     * @param options       the options (not null)
     * @param linearAlgebra the implementation of the SVDs (not null)
     * @return the compressor
     */
    public static CoarseGrainCompressor of(Options options, LinearAlgebra linearAlgebra) {
        return new CoarseGrainCompressor(options, Objects.requireNonNull(linearAlgebra, "linearAlgebra"));
    }

    /**
     * The default mode with distortion bound &epsilon;.
     *
     * @param epsilon the distortion bound in nats, finite and &gt; 0
     * @return {@link #of(double)}
     * @deprecated use {@link #of(double)}, the factory verb of every measure.
     */
    @Deprecated
    public static CoarseGrainCompressor withEpsilon(double epsilon) {
        return of(epsilon);
    }

    /**
     * Any options, on the default linear algebra.
     *
     * @param options the options (not null)
     * @return {@link #of(Options)}
     * @deprecated use {@link #of(Options)}, the factory verb of every measure.
     */
    @Deprecated
    public static CoarseGrainCompressor withOptions(Options options) {
        return of(options);
    }

    /**
     * Any options and linear algebra.
     *
     * @param options       the options (not null)
     * @param linearAlgebra the implementation of the SVDs (not null)
     * @return {@link #of(Options, LinearAlgebra)}
     * @deprecated use {@link #of(Options, LinearAlgebra)}.
     */
    @Deprecated
    public static CoarseGrainCompressor withOptions(Options options, LinearAlgebra linearAlgebra) {
        return of(options, linearAlgebra);
    }

    /**
     * The options of this compressor.
     *
     * @return the options
     */
    public Options options() {
        return options;
    }

    /**
     * Decodes a description made by {@link #compress}.
     *
     * @param encoded the description's bytes (not null)
     * @return the coarse-grained parameters it describes
     * @throws IllegalArgumentException if the bytes are not a valid description
     */
    public static ParameterSnapshot decode(byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        return CoarseGrainFormat.decode(encoded);
    }

    /**
     * Coarse-grains {@code parameters} as far as the train loss allows.
     *
     * @param parameters the weights (not empty, finite)
     * @param trainLoss  the model's mean train loss for given weights, in nats for the &epsilon; test
     * @return the smallest description found within the distortion bound, with its search record
     * @throws IllegalArgumentException if the snapshot is empty, or a parameter or the original loss is not finite
     */
    public CoarseGraining compress(ParameterSnapshot parameters, LossOracle trainLoss) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(trainLoss, "trainLoss");
        parameters.requireNonEmpty(NAME).requireFinite();
        LinearAlgebra la = linearAlgebra();
        Stopwatch stopwatch = new Stopwatch();
        // the naive baseline (bzip2 of every raw tensor: at GPT-2 scale a third of the own cost) depends on the
        // original weights alone, so it is computed beside the search, not after it, and joined by the description
        CompletableFuture<Long> naive = CompletableFuture.supplyAsync(() -> Description.naiveBits(parameters));
        try {
            Evaluations ev = Evaluations.start(parameters, trainLoss, options, false, stopwatch);
            CompressionProblem dense = CompressionProblem.of(options, parameters);
            // the SVDs only once the dense baseline is known, and only if the rank search runs
            CompressionProblem searched = CoarseGrainSearch.run(dense, ev, d -> withChain(d, la, stopwatch));
            return Description.describe(searched, ev, ev.best(), true, () -> joined(naive));
        } finally {
            naive.cancel(false);   // if the search failed: not started yet, never started
        }
    }

    /** The future's value, or the exception it failed with (unwrapped). */
    private static long joined(CompletableFuture<Long> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * A session for exploring the rate&ndash;distortion trade-off of one snapshot: evaluates any
     * (bits, &tau;) point with this compressor's options, computing the SVDs once. Not thread-safe.
     *
     * @param parameters the weights (not empty, finite)
     * @param trainLoss  the model's mean train loss for given weights
     * @return the session, which has evaluated the original loss
     * @throws IllegalArgumentException if a parameter or the original loss is not finite
     */
    public RateDistortion rateDistortion(ParameterSnapshot parameters, LossOracle trainLoss) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(trainLoss, "trainLoss");
        parameters.requireNonEmpty(NAME).requireFinite();
        LinearAlgebra la = linearAlgebra();
        Stopwatch stopwatch = new Stopwatch();
        Evaluations ev = Evaluations.start(parameters, trainLoss, options, true, stopwatch);
        return new RateDistortion(problem(parameters, la, stopwatch), ev);
    }

    private LinearAlgebra linearAlgebra() {
        return linearAlgebra != null ? linearAlgebra : LinearAlgebra.getDefault();
    }

    /** The snapshot's values and, with rank search, its rank chain (timed as SVD). */
    private CompressionProblem problem(ParameterSnapshot p, LinearAlgebra la, Stopwatch stopwatch) {
        CompressionProblem base = CompressionProblem.of(options, p);
        return options.rankSearch() ? withChain(base, la, stopwatch) : base;
    }

    /** {@code base} with its rank chain (timed as SVD). */
    private static CompressionProblem withChain(CompressionProblem base, LinearAlgebra la, Stopwatch stopwatch) {
        return base.withChain(stopwatch.time(Phase.SVD, () -> RankChain.of(base.tensors(), base.absMax(), la)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MeasureUnit unit() {
        return MeasureUnit.BITS;
    }

    /** The bound and per-tensor settings of {@link #compress}, as {@link CoarseGrainEstimator} reports them. */
    @Override
    public ComplexityEstimate estimate(EstimationContext context) {
        return new CoarseGrainEstimator(this).estimate(context);
    }
}
