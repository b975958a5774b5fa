package org.grokmetrics.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.EstimationCost;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.api.TensorValue;
import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;
import org.grokmetrics.codec.NaiveCompression;
import org.grokmetrics.compress.CoarseGrainFormat.Coded;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.Svd;

/**
 * Rate&ndash;distortion coarse-grained complexity (DeMoss et al., SPEC &sect;1): the shortest decodable
 * description found of weights &theta;&#770; with |L(&theta;&#770;) &minus; L(&theta;)| &lt; &epsilon; (or,
 * one-sided, L(&theta;&#770;) &minus; L(&theta;) &lt; &epsilon;), in bits. An upper bound on the network's
 * Kolmogorov complexity.
 *
 * <h2>Coarse-graining (default mode)</h2>
 * <ul>
 *   <li><b>Quantization</b> with L levels per side for tensor t: &Delta;<sub>t</sub> = r<sub>t</sub> / L,
 *       r<sub>t</sub> = max|&theta;<sub>t</sub>|, integer codes round(&theta;/&Delta;<sub>t</sub>) &isin; [&minus;L, L],
 *       values code &middot; &Delta;<sub>t</sub> rounded to float. L runs over a half-bit ladder (1, 2, 3, 5, 7,
 *       10, 15, &hellip;) that contains every 2^(b&minus;1) &minus; 1 (b bits, the SPEC's Δ = r/(2^(b−1) − 1)),
 *       so b = ceil(log2(2L + 1)) bits hold a code.</li>
 *   <li><b>Low rank</b> per matrix M (m&times;n, singular values &sigma;, &sigma;&#772; = &sigma;/&Sigma;&sigma;):
 *       for a global &tau; &isin; (0, 1], k(&tau;) = min{k : &Sigma;<sub>i&le;k</sub> &sigma;&#772;<sub>i</sub> &ge; &tau;};
 *       only if k(&tau;) &lt; mn/(m+n) the matrix is stored as the factors Q(U<sub>k</sub>diag(S<sub>k</sub>)) and
 *       Q(V<sub>k</sub>&#7488;) (each with its own &Delta; at b bits), and its coarse value is their product.</li>
 *   <li><b>Description</b>: a byte stream of shapes, bits, &Delta;s, ranks and integer codes, the codes
 *       adaptively arithmetic-coded (format in docs/coarse-grain-format.md), compressed by
 *       {@link Options#codec()} (default: the best of gzip, xz, zstd and bzip2), with a one-byte codec tag.
 *       {@link #decode(byte[])} gives back &theta;&#770; exactly.</li>
 * </ul>
 *
 * <h2>Search</h2>
 * Loss grows roughly monotonically as bits or &tau; shrink. The rank configurations form a chain
 * ordered by &tau; (the breakpoints where some matrix's k(&tau;) changes, so no evaluation is spent on a
 * configuration already seen). (0) Binary-search the fewest uniform bits for dense quantization: the
 * baseline, and the best answer for networks that are not low-rank. Then rank first, because low rank is
 * what shrinks a generalising network's description most: (1) at a fine level (8 bits, or the dense
 * baseline's bits if more) binary-search the chain for the lowest passing rank configuration; (2)
 * binary-search the fewest bits that still pass with it; (3) walk to fewer bits, raising the rank only as
 * needed (a galloping search up the chain), while the description keeps shrinking; (4) while the budget lasts, per-tensor
 * refinement: one bit fewer for one tensor at a time, largest first, kept where it passes and shrinks
 * the description. Without rank search, (1)&ndash;(3) reduce to a binary search on the bits. Only
 * candidates whose loss was evaluated and passed are ever kept; the smallest (by a fast size estimate:
 * the arithmetic-coded stream's length, or zstd level 3 for float32 payloads) wins, and is finally
 * compressed with the configured codec. Candidates that decode to
 * weights already evaluated reuse that loss. If nothing passes, or the original weights stored
 * losslessly (float32) would be smaller, the lossless description is reported. The evaluations, the
 * original's included, never exceed {@link Options#lossBudget()}.
 *
 * <h2>Comparison modes</h2>
 * {@link Mode#PAPER}: one global &Delta; for every tensor (31 log-spaced levels in [1e-3, 1] play the
 * role of the bits), global &tau;, float32 payload, bzip2: the paper's encoding, with this class's search
 * instead of Bayesian optimisation. {@link Mode#QUANTIZATION_ONLY}: the paper's Algorithm 2, a binary search on
 * the global &Delta; alone, float32 payload, bzip2.
 *
 * <h2>Errors</h2>
 * NaN/Inf parameters, or an original loss that is not finite: {@link IllegalArgumentException} naming
 * the tensor or the loss. A candidate whose loss is NaN counts as failing.
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
     * Options.
     *
     * @param epsilon    the distortion bound &epsilon; on the train loss, in nats (&gt; 0; the paper's figures use 1)
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

        /** Default mode: bits 2..16, rank search, best codec, 24 evaluations, two-sided, refinement on. */
        public static Options defaults(double epsilon) {
            return new Options(epsilon, Mode.DEFAULT, 2, 16, true, Codecs.best(), 24, false, true);
        }

        /** The paper's encoding (global &Delta; and &tau;, float32, bzip2), 62 evaluations like the authors' code. */
        public static Options paper(double epsilon) {
            return new Options(epsilon, Mode.PAPER, 2, 16, true, Codecs.bzip2(), 62, false, false);
        }

        /** The paper's Algorithm 2: global &Delta; only, float32, bzip2. */
        public static Options quantizationOnly(double epsilon) {
            return new Options(epsilon, Mode.QUANTIZATION_ONLY, 2, 16, false, Codecs.bzip2(), 24, false, false);
        }

        public Options withLossBudget(int budget) {
            return new Options(epsilon, mode, minBits, maxBits, rankSearch, codec, budget, oneSided, refine);
        }

        public Options withCodec(Codec c) {
            return new Options(epsilon, mode, minBits, maxBits, rankSearch, c, lossBudget, oneSided, refine);
        }

        public Options withRankSearch(boolean on) {
            return new Options(epsilon, mode, minBits, maxBits, on, codec, lossBudget, oneSided, refine);
        }

        public Options withOneSided(boolean on) {
            return new Options(epsilon, mode, minBits, maxBits, rankSearch, codec, lossBudget, on, refine);
        }

        public Options withRefine(boolean on) {
            return new Options(epsilon, mode, minBits, maxBits, rankSearch, codec, lossBudget, oneSided, on);
        }

        public Options withBits(int min, int max) {
            return new Options(epsilon, mode, min, max, rankSearch, codec, lossBudget, oneSided, refine);
        }
    }

    private static final double PAPER_DELTA_MIN = 1e-3;
    /** Paper modes search &Delta; on 31 log-spaced levels in [1e-3, 1] (ratio 10^0.1 between levels). */
    private static final int PAPER_DELTA_LEVELS = 31;
    private static final double PAPER_DELTA_MAX = 1.0;
    private static final Codec PROXY = Codecs.zstd(3);

    /**
     * Quantization levels per side L (codes in [&minus;L, L], &Delta; = r/L), in half-bit steps: every
     * 2^(b&minus;1) &minus; 1 for b = 2..16, and about &radic;2 times it in between.
     */
    static final int[] LADDER = {1, 2, 3, 5, 7, 10, 15, 21, 31, 44, 63, 89, 127, 180, 255, 361, 511, 723, 1023, 1447,
        2047, 2895, 4095, 5791, 8191, 11585, 16383, 23170, 32767};

    /** Ladder index of 2^(bits-1) - 1. */
    static int ladderIndexOfBits(int bits) {
        int l = levels(bits);
        for (int i = 0; i < LADDER.length; i++) {
            if (LADDER[i] == l) {
                return i;
            }
        }
        throw new IllegalArgumentException("no ladder level for " + bits + " bits");
    }

    /** Bits needed for codes in [-L, L]: ceil(log2(2L + 1)). */
    static int bitsFor(int levelsPerSide) {
        return 32 - Integer.numberOfLeadingZeros(2 * levelsPerSide);
    }

    private final Options options;
    private final LinearAlgebra linearAlgebra;

    private CoarseGrainCompressor(Options options, LinearAlgebra linearAlgebra) {
        this.options = Objects.requireNonNull(options, "options");
        this.linearAlgebra = linearAlgebra;
    }

    /** The default mode with distortion bound &epsilon; (nats). */
    public static CoarseGrainCompressor withEpsilon(double epsilon) {
        return new CoarseGrainCompressor(Options.defaults(epsilon), null);
    }

    /** Any options, on the default linear algebra. */
    public static CoarseGrainCompressor withOptions(Options options) {
        return new CoarseGrainCompressor(options, null);
    }

    /** Any options and linear algebra. */
    public static CoarseGrainCompressor withOptions(Options options, LinearAlgebra linearAlgebra) {
        return new CoarseGrainCompressor(options, Objects.requireNonNull(linearAlgebra, "linearAlgebra"));
    }

    public Options options() {
        return options;
    }

    /**
     * Decodes a description made by {@link #compress}.
     *
     * @throws IllegalArgumentException if the bytes are not a valid description
     */
    public static ParameterSnapshot decode(byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        return CoarseGrainFormat.decode(encoded);
    }

    /**
     * Coarse-grains {@code parameters} as far as the train loss allows.
     *
     * @throws IllegalArgumentException if a parameter or the original loss is not finite
     */
    public CoarseGraining compress(ParameterSnapshot parameters, LossOracle trainLoss) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(trainLoss, "trainLoss");
        parameters.requireFinite();
        return new Search(parameters, trainLoss).run();
    }

    /**
     * A session for exploring the rate&ndash;distortion trade-off of one snapshot: evaluates any
     * (bits, &tau;) point with this compressor's options, computing the SVDs once. Not thread-safe.
     *
     * @throws IllegalArgumentException if a parameter or the original loss is not finite
     */
    public RateDistortion rateDistortion(ParameterSnapshot parameters, LossOracle trainLoss) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(trainLoss, "trainLoss");
        parameters.requireFinite();
        Search search = new Search(parameters, trainLoss);
        search.unlimited = true;
        search.init();
        return new RateDistortion(search);
    }

    /**
     * Rate&ndash;distortion points of one snapshot in the default encoding (uniform bits, global &tau;).
     * Each {@link #point} costs one loss evaluation (none if its weights were seen before).
     */
    public final class RateDistortion {

        /**
         * One evaluated setting.
         *
         * @param bits          uniform quantization bits
         * @param tau           rank threshold (1 = every matrix dense)
         * @param estimatedBits description size estimate (the arithmetic-coded stream's length), in bits
         * @param loss          train loss of the coarse weights (nats)
         * @param distortion    loss &minus; original loss
         * @param withinBound   whether the distortion meets the compressor's &epsilon; bound
         */
        public record Point(int bits, double tau, long estimatedBits, double loss, double distortion,
                            boolean withinBound) {
        }

        private final Search search;
        private final Map<String, Candidate> candidates = new HashMap<>();

        private RateDistortion(Search search) {
            this.search = search;
        }

        /** The original weights' train loss. */
        public double originalLoss() {
            return search.l0;
        }

        /** Loss evaluations so far, the original's included. */
        public int lossEvaluations() {
            return search.evaluations;
        }

        /**
         * The &tau; values at which some matrix's rank k(&tau;) changes, ascending (where low rank pays;
         * empty without rank search). Any &tau; between two breakpoints gives the configuration of the upper one.
         */
        public List<Double> tauBreakpoints() {
            return java.util.Arrays.stream(search.chain).boxed().toList();
        }

        /**
         * Evaluates uniform {@code bits} with rank threshold {@code tau}.
         *
         * @throws IllegalArgumentException if bits is outside [2, 16] or tau outside (0, 1]
         */
        public Point point(int bits, double tau) {
            if (bits < 2 || bits > 16) {
                throw new IllegalArgumentException("bits must be in [2, 16], was " + bits);
            }
            if (!(tau > 0 && tau <= 1)) {
                throw new IllegalArgumentException("tau must be in (0, 1], was " + tau);
            }
            Config base = new Config(search.uniformSteps(ladderIndexOfBits(bits)), Double.NaN, search.dense(), 1.0);
            Config c = tau >= 1 || !options.rankSearch() ? base : search.withTau(base, tau);
            Probe pr = search.probe(c);
            candidates.put(key(bits, tau), pr.candidate());
            Candidate cand = pr.candidate();
            return new Point(bits, tau, 8 * cand.proxyBytes(), cand.loss(), cand.loss() - search.l0, pr.accepted());
        }

        /**
         * The full, decodable description of an evaluated point, compressed with the compressor's codec
         * (whether or not the point meets the bound).
         *
         * @throws IllegalStateException if the point was not evaluated in this session
         */
        public CoarseGraining describe(Point point) {
            Candidate c = candidates.get(key(point.bits(), point.tau()));
            if (c == null) {
                throw new IllegalStateException("point (" + point.bits() + " bits, tau " + point.tau()
                        + ") was not evaluated in this session");
            }
            return search.describe(c, false);
        }

        private String key(int bits, double tau) {
            return bits + "/" + tau;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MeasureUnit unit() {
        return MeasureUnit.BITS;
    }

    @Override
    public ComplexityEstimate estimate(EstimationContext context) {
        long start = System.nanoTime();
        LossOracle oracle = context.requireTrainLoss(NAME);
        CoarseGraining g = compress(context.parameters(), oracle);
        List<TensorValue> per = new ArrayList<>();
        for (int i = 0; i < g.settings().size(); i++) {
            TensorSetting s = g.settings().get(i);
            Map<String, Double> d = new LinkedHashMap<>();
            d.put("bits", (double) s.bits());
            d.put("rank", (double) s.rank());
            d.put("full_rank", (double) s.fullRank());
            d.put("delta", s.delta());
            d.put("kind", (double) s.kind().ordinal());
            per.add(new TensorValue(s.tensor(), storedCodeBits(context.parameters().tensors().get(i), s), d));
        }
        Map<String, Double> details = new LinkedHashMap<>();
        details.put("original_loss", g.originalLoss());
        details.put("coarse_loss", g.coarseLoss());
        details.put("naive_bits", (double) g.naiveBits());
        details.put("compression_gain", g.compressionGain());
        details.put("global_bits", (double) g.globalBits());
        details.put("tau", g.tau());
        if (context.trainingExamples() > 0) {
            details.put("total_description_length_bits", g.totalDescriptionLengthBits(context.trainingExamples()));
        }
        long wall = System.nanoTime() - start;
        return ComplexityEstimate.of(NAME, g.bits(), unit(), per, details,
                new EstimationCost(wall, g.lossEvaluations(), 0, g.timings().lossNanos()));
    }

    /** Per-tensor value: the number of stored code bits before entropy coding (codes &times; bits). */
    private static double storedCodeBits(Tensor t, TensorSetting s) {
        return switch (s.kind()) {
            case ZERO -> 0;
            case DENSE -> (double) t.size() * s.bits();
            case LOW_RANK -> (double) s.rank() * (t.rows() + t.cols()) * s.bits();
            case DENSE_FLOAT32 -> 32.0 * t.size();
            case LOW_RANK_FLOAT32 -> 32.0 * s.rank() * (t.rows() + t.cols());
        };
    }

    /**
     * A coarse-graining configuration: per-tensor {@link #LADDER} indices in {@code bits} (or a global
     * &Delta;) and per-matrix rank (-1 dense).
     */
    private record Config(int[] bits, double delta, int[] rank, double tau) {
        String key() {
            return Arrays.toString(bits) + "|" + delta + "|" + Arrays.toString(rank);
        }

        Config withBits(int[] b) {
            return new Config(b, delta, rank, tau);
        }
    }

    /** An evaluated candidate and whether it met the bound. */
    private record Probe(Candidate candidate, boolean accepted) {
    }

    /** An evaluated candidate (verified when it is the search's best). */
    private record Candidate(Config config, List<Coded> coded, ParameterSnapshot snapshot, double loss, long proxyBytes) {
    }

    /** One compression: state of the search. */
    private final class Search {
        private final ParameterSnapshot p;
        private final LossOracle oracle;
        private final List<Tensor> tensors;
        private final int count;
        private final double[] absMax;
        private final double[][] values;
        private final Svd[] svd;
        private final double[][] cumulative;
        private final int[] maxLowRank;
        private final Map<String, Boolean> verdicts = new HashMap<>();
        /** &tau; breakpoints, ascending: the rank configurations from lowest rank to (almost) dense. */
        private double[] chain = new double[0];
        /** Loss of every distinct set of weights evaluated: settings that decode to equal weights share it. */
        private final Map<ParameterSnapshot, Double> losses = new HashMap<>();
        private final LinearAlgebra la;
        private double l0;
        private int evaluations;
        private Candidate best;
        private long svdNanos;
        private long quantizeNanos;
        private long encodeNanos;
        private long lossNanos;

        Search(ParameterSnapshot p, LossOracle oracle) {
            this.p = p;
            this.oracle = oracle;
            this.tensors = p.tensors();
            this.count = tensors.size();
            this.absMax = new double[count];
            this.values = new double[count][];
            this.svd = new Svd[count];
            this.cumulative = new double[count][];
            this.maxLowRank = new int[count];
            this.la = linearAlgebra != null ? linearAlgebra : LinearAlgebra.getDefault();
            for (int t = 0; t < count; t++) {
                Tensor x = tensors.get(t);
                double m = 0;
                for (int i = 0, n = x.size(); i < n; i++) {
                    m = Math.max(m, Math.abs(x.get(i)));
                }
                absMax[t] = m;
            }
        }

        private boolean budgetLeft() {
            return unlimited || evaluations < options.lossBudget();
        }

        private boolean accepts(double loss) {
            if (!Double.isFinite(loss)) {
                return false;
            }
            double d = loss - l0;
            return options.oneSided() ? d < options.epsilon() : Math.abs(d) < options.epsilon();
        }

        /** No budget: used by {@link RateDistortion} sessions. */
        private boolean unlimited;

        CoarseGraining run() {
            init();
            // dense baseline first: cheap, and best for networks that are not low-rank (memorizing ones)
            int dense = coarsestDenseLevel(0, levelCount() - 1);
            if (options.rankSearch() && options.mode() != Mode.QUANTIZATION_ONLY && chain.length > 0) {
                frontierSearch(dense);
            }
            if (best != null && options.mode() == Mode.DEFAULT && options.refine()) {
                refine();
            }
            return finish();
        }

        /** Quantization levels, finest (0) to coarsest: bits maxBits..minBits, or the &Delta; grid. */
        int levelCount() {
            return options.mode() == Mode.DEFAULT
                    ? ladderIndexOfBits(options.maxBits()) - ladderIndexOfBits(options.minBits()) + 1 : PAPER_DELTA_LEVELS;
        }

        /** The configuration at quantization level q and rank-chain index i (i == chain.length: dense). */
        Config at(int q, int i) {
            Config base = options.mode() == Mode.DEFAULT
                    ? new Config(uniformSteps(ladderIndexOfBits(options.maxBits()) - q), Double.NaN, dense(), 1.0)
                    : new Config(null, PAPER_DELTA_MIN * Math.pow(PAPER_DELTA_MAX / PAPER_DELTA_MIN,
                            (double) q / (PAPER_DELTA_LEVELS - 1)), dense(), 1.0);
            return i >= chain.length ? base : withTau(base, chain[i]);
        }

        /** The coarsest level in [lo, hi] whose dense quantization passes (binary search); -1 if none. */
        int coarsestDenseLevel(int lo, int hi) {
            int found = -1;
            while (lo <= hi && budgetLeft()) {
                int mid = (lo + hi) >>> 1;
                if (tryConfig(at(mid, chain.length))) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found;
        }

        /** The lowest chain index in [from, chain.length] that passes at level q (binary search); -1 if none. */
        int lowestRankIndex(int q, int from) {
            int lo = from;
            int hi = chain.length;
            int found = -1;
            while (lo <= hi && budgetLeft()) {
                int mid = (lo + hi) >>> 1;
                if (tryConfig(at(q, mid))) {
                    found = mid;
                    hi = mid - 1;
                } else {
                    lo = mid + 1;
                }
            }
            return found;
        }

        /**
         * The lowest passing chain index at level q, searching upward from {@code from} with doubling
         * steps, then bisecting the last gap: cheap when the answer is near {@code from}. -1 if none.
         */
        int gallopRankIndex(int q, int from) {
            int lastFail = from - 1;
            int step = 1;
            int probe = from;
            while (budgetLeft()) {
                int idx = Math.min(probe, chain.length);
                if (tryConfig(at(q, idx))) {
                    int lo = lastFail + 1;
                    int hi = idx;
                    while (lo < hi && budgetLeft()) {
                        int mid = (lo + hi) >>> 1;
                        if (tryConfig(at(q, mid))) {
                            hi = mid;
                        } else {
                            lo = mid + 1;
                        }
                    }
                    return hi;
                }
                if (idx == chain.length) {
                    return -1;
                }
                lastFail = idx;
                probe = idx + step;
                step *= 2;
            }
            return -1;
        }

        /**
         * Rank first: at a fine level find the lowest passing rank configuration, then the coarsest level
         * that still passes with it, then walk to coarser levels, raising the rank only as needed, while
         * the description keeps shrinking. {@code coarsestDense} is the coarsest level whose dense
         * quantization passed (-1: none did, nothing to search).
         */
        void frontierSearch(int coarsestDense) {
            if (coarsestDense < 0) {
                return;
            }
            int levels = levelCount();
            int fine = options.mode() == Mode.DEFAULT ? Math.max(0, Math.min(levels - 1,
                    ladderIndexOfBits(options.maxBits()) - ladderIndexOfBits(8))) : 0;
            // a level whose dense quantization is known to pass
            fine = Math.min(fine, coarsestDense);
            int idx = lowestRankIndex(fine, 0);
            if (idx < 0) {
                idx = chain.length;
            }
            // coarsest level passing with this rank configuration
            int lo = fine + 1;
            int hi = levels - 1;
            int q = fine;
            while (lo <= hi && budgetLeft()) {
                int mid = (lo + hi) >>> 1;
                if (tryConfig(at(mid, idx))) {
                    q = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            // walk to coarser levels while it pays
            long bestSize = best == null ? Long.MAX_VALUE : best.proxyBytes();
            for (int next = q + 1; next < levels && budgetLeft(); next++) {
                int found = gallopRankIndex(next, idx);
                if (found < 0) {
                    break;
                }
                idx = found;
                long size = best.proxyBytes();
                if (size >= bestSize) {
                    break;
                }
                bestSize = size;
            }
        }

        void init() {
            long t0 = System.nanoTime();
            l0 = oracle.loss(p);
            lossNanos += System.nanoTime() - t0;
            evaluations = 1;
            if (!Double.isFinite(l0)) {
                throw new IllegalArgumentException("the original weights' train loss is " + l0
                        + "; a coarse-graining bound needs a finite loss");
            }
            losses.put(p, l0);
            if (options.rankSearch()) {
                prepareSvd();
                TreeSet<Double> taus = new TreeSet<>();
                for (int t = 0; t < count; t++) {
                    if (cumulative[t] != null) {
                        for (int k = 1; k <= maxLowRank[t]; k++) {
                            taus.add(cumulative[t][k - 1]);
                        }
                    }
                }
                chain = taus.stream().mapToDouble(Double::doubleValue).toArray();
            }
        }

        private void prepareSvd() {
            long s = System.nanoTime();
            for (int t = 0; t < count; t++) {
                Tensor x = tensors.get(t);
                if (!x.isMatrix() || absMax[t] == 0) {
                    continue;
                }
                int m = x.rows();
                int n = x.cols();
                // low rank pays only if k < mn/(m+n)
                int kmax = (int) Math.ceil((double) m * n / (m + n)) - 1;
                if (kmax < 1) {
                    continue;
                }
                Svd d = la.svd(m, n, values(t), true);
                double total = 0;
                for (double v : d.singularValues()) {
                    total += v;
                }
                double[] cum = new double[d.rank()];
                double acc = 0;
                for (int i = 0; i < cum.length; i++) {
                    acc += d.singularValues()[i];
                    cum[i] = acc / total;
                }
                svd[t] = d;
                cumulative[t] = cum;
                maxLowRank[t] = Math.min(kmax, d.rank());
            }
            svdNanos += System.nanoTime() - s;
        }

        private int[] dense() {
            int[] r = new int[count];
            Arrays.fill(r, -1);
            return r;
        }

        /** Every tensor at ladder index {@code step}. */
        private int[] uniformSteps(int step) {
            int[] steps = new int[count];
            Arrays.fill(steps, step);
            return steps;
        }

        /** Evaluates a configuration (cached); returns whether it passed. */
        private boolean tryConfig(Config c) {
            Boolean known = verdicts.get(c.key());
            if (known != null) {
                return known;
            }
            if (!budgetLeft()) {
                return false;
            }
            return probe(c).accepted();
        }

        /** Builds, evaluates (unless the same weights were seen) and records one configuration. */
        Probe probe(Config c) {
            long s = System.nanoTime();
            List<Coded> coded = build(c);
            List<Tensor> ts = new ArrayList<>(count);
            for (Coded cd : coded) {
                ts.add(cd.tensor());
            }
            ParameterSnapshot snap = ParameterSnapshot.of(ts);
            quantizeNanos += System.nanoTime() - s;
            Double seen = losses.get(snap);
            double loss;
            if (seen != null) {
                loss = seen;
            } else {
                s = System.nanoTime();
                loss = oracle.loss(snap);
                lossNanos += System.nanoTime() - s;
                evaluations++;
                losses.put(snap, loss);
            }
            boolean ok = accepts(loss);
            verdicts.put(c.key(), ok);
            s = System.nanoTime();
            long size = sizeEstimate(coded);
            encodeNanos += System.nanoTime() - s;
            Candidate cand = new Candidate(c, coded, snap, loss, size);
            if (ok && (best == null || size < best.proxyBytes())) {
                best = cand;
            }
            return new Probe(cand, ok);
        }

        private Config withTau(Config base, double tau) {
            int[] rank = dense();
            for (int t = 0; t < count; t++) {
                if (cumulative[t] == null) {
                    continue;
                }
                double[] cum = cumulative[t];
                int k = 0;
                while (k < cum.length && cum[k] < tau) {
                    k++;
                }
                k++; // k(tau) = min{k : cum[k-1] >= tau}
                if (k <= maxLowRank[t]) {
                    rank[t] = k;
                }
            }
            return new Config(base.bits(), base.delta(), rank, tau);
        }

        /** Refinement: one ladder step (half a bit) coarser for one tensor at a time, biggest stored share first. */
        private void refine() {
            boolean[] frozen = new boolean[count];
            while (budgetLeft()) {
                Config cur = best.config();
                int pick = -1;
                double share = -1;
                int minStep = ladderIndexOfBits(options.minBits());
                for (int t = 0; t < count; t++) {
                    if (frozen[t] || cur.bits()[t] <= minStep || absMax[t] == 0) {
                        continue;
                    }
                    Tensor x = tensors.get(t);
                    int k = cur.rank()[t];
                    double stored = (k > 0 ? (double) k * (x.rows() + x.cols()) : x.size()) * bitsFor(LADDER[cur.bits()[t]]);
                    if (stored > share) {
                        share = stored;
                        pick = t;
                    }
                }
                if (pick < 0) {
                    return;
                }
                int[] bits = cur.bits().clone();
                bits[pick]--;
                Candidate before = best;
                boolean ok = tryConfig(cur.withBits(bits));
                if (!ok || best == before) {
                    frozen[pick] = true;
                }
            }
        }

        private List<Coded> build(Config c) {
            List<Coded> out = new ArrayList<>(count);
            for (int t = 0; t < count; t++) {
                out.add(options.mode() == Mode.DEFAULT ? codeDefault(t, c) : codePaper(t, c));
            }
            return out;
        }

        private Coded codeDefault(int t, Config c) {
            Tensor x = tensors.get(t);
            if (absMax[t] == 0) {
                return new CoarseGrainFormat.Zero(x.name(), x.shape());
            }
            int levels = LADDER[c.bits()[t]];
            int b = bitsFor(levels);
            int k = c.rank()[t];
            if (k < 1) {
                double delta = absMax[t] / levels;
                return new CoarseGrainFormat.DenseCodes(x.name(), x.shape(), b, delta, codes(values(t), delta, levels));
            }
            double[][] f = factors(t, k);
            double da = maxAbs(f[0]) / levels;
            double db = maxAbs(f[1]) / levels;
            if (da == 0 || db == 0) {
                return new CoarseGrainFormat.Zero(x.name(), x.shape());
            }
            return new CoarseGrainFormat.LowRankCodes(x.name(), x.shape(), k, b, da, codes(f[0], da, levels), b, db,
                    codes(f[1], db, levels));
        }

        private Coded codePaper(int t, Config c) {
            Tensor x = tensors.get(t);
            double delta = c.delta();
            int k = c.rank()[t];
            if (k < 1) {
                float[] v = quantizeFloats(values(t), delta);
                return allZero(v) ? new CoarseGrainFormat.Zero(x.name(), x.shape())
                        : new CoarseGrainFormat.DenseF32(x.name(), x.shape(), v);
            }
            double[][] f = factors(t, k);
            float[] a = quantizeFloats(f[0], delta);
            float[] b = quantizeFloats(f[1], delta);
            return allZero(a) || allZero(b) ? new CoarseGrainFormat.Zero(x.name(), x.shape())
                    : new CoarseGrainFormat.LowRankF32(x.name(), x.shape(), k, a, b);
        }

        /** The tensor's values in double, computed once. */
        private double[] values(int t) {
            if (values[t] == null) {
                values[t] = tensors.get(t).toDoubleArray();
            }
            return values[t];
        }

        /** U_k diag(S_k) (m&times;k) and V_k&#7488; (k&times;n). */
        private double[][] factors(int t, int k) {
            Svd d = svd[t];
            int m = d.rows();
            int n = d.cols();
            int r = d.rank();
            double[] a = new double[m * k];
            for (int i = 0; i < m; i++) {
                for (int l = 0; l < k; l++) {
                    a[i * k + l] = d.u()[i * r + l] * d.singularValues()[l];
                }
            }
            double[] b = Arrays.copyOf(d.vt(), k * n);
            return new double[][] {a, b};
        }

        private CoarseGraining finish() {
            return describe(best, true);
        }

        /**
         * The final, decodable description of a candidate (or of the original weights, if null); with
         * {@code orLossless}, the lossless original instead when that is smaller.
         */
        CoarseGraining describe(Candidate best, boolean orLossless) {
            long s = System.nanoTime();
            List<Coded> coded;
            ParameterSnapshot coarse;
            double coarseLoss;
            Config cfg;
            if (best == null) {
                coded = lossless();
                coarse = p;
                coarseLoss = l0;
                cfg = null;
            } else {
                coded = best.coded();
                coarse = best.snapshot();
                coarseLoss = best.loss();
                cfg = best.config();
            }
            byte[] encoded = CoarseGrainFormat.compress(CoarseGrainFormat.serialize(coded), options.codec());
            if (best != null && orLossless && losslessMayBeSmaller(best)) {
                // the original weights, stored losslessly, are always a valid description: never report worse
                byte[] plain = CoarseGrainFormat.compress(CoarseGrainFormat.serialize(lossless()), options.codec());
                if (plain.length < encoded.length) {
                    encoded = plain;
                    coded = lossless();
                    coarse = p;
                    coarseLoss = l0;
                    cfg = null;
                }
            }
            if (!CoarseGrainCompressor.decode(encoded).equals(coarse)) {
                throw new IllegalStateException("coarse-grain description does not decode to the verified weights");
            }
            long compressNanos = System.nanoTime() - s;
            long naive = NaiveCompression.bits(p, Codecs.bzip2());
            List<TensorSetting> settings = new ArrayList<>(count);
            for (int t = 0; t < count; t++) {
                settings.add(setting(tensors.get(t), coded.get(t)));
            }
            int globalBits = cfg != null && cfg.bits() != null ? bitsFor(LADDER[min(cfg.bits())]) : 0;
            double globalDelta = cfg != null && cfg.bits() == null ? cfg.delta() : Double.NaN;
            double tau = cfg != null ? cfg.tau() : 1.0;
            return new CoarseGraining(encoded, coarse, l0, coarseLoss, evaluations, naive, options.mode(),
                    CoarseGrainFormat.codecId(encoded), globalBits, globalDelta, tau, settings,
                    new CoarseGraining.Timings(svdNanos, quantizeNanos, encodeNanos, compressNanos, lossNanos));
        }

        /**
         * Description size estimate used to rank candidates: default mode's codes are arithmetic-coded
         * already, so the stream length is close to the final size; float32 payloads get zstd level 3.
         */
        private long sizeEstimate(List<Coded> coded) {
            byte[] stream = CoarseGrainFormat.serialize(coded);
            return options.mode() == Mode.DEFAULT ? stream.length : PROXY.compress(stream).length;
        }

        /** Whether the lossless original could beat the candidate: only then is it compressed in full. */
        private boolean losslessMayBeSmaller(Candidate c) {
            long plainEstimate = PROXY.compress(CoarseGrainFormat.serialize(lossless())).length;
            return plainEstimate < 2 * c.proxyBytes();
        }

        private List<Coded> lossless() {
            List<Coded> out = new ArrayList<>(count);
            for (Tensor t : tensors) {
                out.add(new CoarseGrainFormat.DenseF32(t.name(), t.shape(), t.data()));
            }
            return out;
        }
    }

    private static int min(int[] v) {
        int m = Integer.MAX_VALUE;
        for (int x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static TensorSetting setting(Tensor t, Coded c) {
        return c.setting(t.isMatrix() ? Math.min(t.rows(), t.cols()) : -1);
    }

    /** 2^(b-1) - 1: the largest code magnitude at b bits. */
    static int levels(int bits) {
        return (1 << (bits - 1)) - 1;
    }

    /** round(v / &Delta;) clamped to [-levels, levels]. */
    static int[] codes(double[] v, double delta, int levelsPerSide) {
        int lim = levelsPerSide;
        int[] c = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            long q = Math.round(v[i] / delta);
            c[i] = (int) Math.max(-lim, Math.min(lim, q));
        }
        return c;
    }

    static float[] quantizeFloats(double[] v, double delta) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (Math.rint(v[i] / delta) * delta);
        }
        return out;
    }

    private static boolean allZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
