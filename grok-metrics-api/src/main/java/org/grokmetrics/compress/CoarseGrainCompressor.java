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
 *   <li><b>Quantization</b> with b bits per tensor t: &Delta;<sub>t</sub> = r<sub>t</sub> / (2^(b&minus;1) &minus; 1),
 *       r<sub>t</sub> = max|&theta;<sub>t</sub>|, integer codes round(&theta;/&Delta;<sub>t</sub>), values
 *       code &middot; &Delta;<sub>t</sub> rounded to float.</li>
 *   <li><b>Low rank</b> per matrix M (m&times;n, singular values &sigma;, &sigma;&#772; = &sigma;/&Sigma;&sigma;):
 *       for a global &tau; &isin; (0, 1], k(&tau;) = min{k : &Sigma;<sub>i&le;k</sub> &sigma;&#772;<sub>i</sub> &ge; &tau;};
 *       only if k(&tau;) &lt; mn/(m+n) the matrix is stored as the factors Q(U<sub>k</sub>diag(S<sub>k</sub>)) and
 *       Q(V<sub>k</sub>&#7488;) (each with its own &Delta; at b bits), and its coarse value is their product.</li>
 *   <li><b>Description</b>: a byte stream of shapes, bits, &Delta;s, ranks and integer codes (format in
 *       docs/coarse-grain-format.md), compressed by {@link Options#codec()} (default: the best of gzip,
 *       xz, zstd and bzip2), with a one-byte codec tag. {@link #decode(byte[])} gives back &theta;&#770;
 *       exactly.</li>
 * </ul>
 *
 * <h2>Search</h2>
 * Loss grows roughly monotonically as bits or &tau; shrink, so: (1) binary search for the fewest
 * uniform bits whose quantization passes; (2) at those bits, binary search along the chain of rank
 * configurations ordered by &tau; (the &tau; breakpoints where some matrix's k(&tau;) changes, so no
 * evaluation is spent on a configuration already seen); (3) while the budget lasts, per-tensor
 * refinement: one bit fewer for one tensor at a time, largest first, kept where it passes and shrinks
 * the description. Only candidates whose loss was evaluated and passed are ever kept; the smallest
 * (by a fast zstd-3 size estimate) wins, and is finally compressed with the configured codec. If even
 * {@link Options#maxBits()} fails, the original weights are stored losslessly (float32). The
 * evaluations, the original's included, never exceed {@link Options#lossBudget()}.
 *
 * <h2>Comparison modes</h2>
 * {@link Mode#PAPER}: one global &Delta; for every tensor (binary search on log &Delta; in [1e-3, 1]),
 * global &tau;, float32 payload, bzip2: the paper's encoding, with this class's search instead of
 * Bayesian optimisation. {@link Mode#QUANTIZATION_ONLY}: the paper's Algorithm 2, a binary search on
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
    private static final double PAPER_DELTA_MAX = 1.0;
    private static final Codec PROXY = Codecs.zstd(3);

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

    /** A coarse-graining configuration: per-tensor bits (or a global &Delta;) and per-matrix rank (-1 dense). */
    private record Config(int[] bits, double delta, int[] rank, double tau) {
        String key() {
            return Arrays.toString(bits) + "|" + delta + "|" + Arrays.toString(rank);
        }

        Config withBits(int[] b) {
            return new Config(b, delta, rank, tau);
        }
    }

    /** A verified candidate. */
    private record Candidate(Config config, List<Coded> coded, ParameterSnapshot snapshot, double loss, long proxyBytes) {
    }

    /** One compression: state of the search. */
    private final class Search {
        private final ParameterSnapshot p;
        private final LossOracle oracle;
        private final List<Tensor> tensors;
        private final int count;
        private final double[] absMax;
        private final Svd[] svd;
        private final double[][] cumulative;
        private final int[] maxLowRank;
        private final Map<String, Boolean> verdicts = new HashMap<>();
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
            return evaluations < options.lossBudget();
        }

        private boolean accepts(double loss) {
            if (!Double.isFinite(loss)) {
                return false;
            }
            double d = loss - l0;
            return options.oneSided() ? d < options.epsilon() : Math.abs(d) < options.epsilon();
        }

        CoarseGraining run() {
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
            }
            Config chosen = options.mode() == Mode.DEFAULT ? searchBits() : searchDelta();
            if (chosen != null && options.rankSearch() && options.mode() != Mode.QUANTIZATION_ONLY) {
                searchRank(chosen);
            }
            if (best != null && options.mode() == Mode.DEFAULT && options.refine()) {
                refine();
            }
            return finish(t0);
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
                Svd d = la.svd(m, n, x.toDoubleArray(), true);
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

        private int[] uniformBits(int b) {
            int[] bits = new int[count];
            Arrays.fill(bits, b);
            return bits;
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
            if (ok) {
                s = System.nanoTime();
                long size = PROXY.compress(CoarseGrainFormat.serialize(coded)).length;
                encodeNanos += System.nanoTime() - s;
                if (best == null || size < best.proxyBytes()) {
                    best = new Candidate(c, coded, snap, loss, size);
                }
            }
            return ok;
        }

        /** Stage 1 (default mode): fewest uniform bits that pass. */
        private Config searchBits() {
            int lo = options.minBits();
            int hi = options.maxBits();
            boolean hiVerified = false;
            while (lo < hi && budgetLeft()) {
                int mid = (lo + hi) >>> 1;
                if (tryConfig(new Config(uniformBits(mid), Double.NaN, dense(), 1.0))) {
                    hi = mid;
                    hiVerified = true;
                } else {
                    lo = mid + 1;
                }
            }
            Config c = new Config(uniformBits(hi), Double.NaN, dense(), 1.0);
            if (!hiVerified && !tryConfig(c)) {
                return null;
            }
            return c;
        }

        /** Stage 1 (paper modes): the largest global &Delta; in [1e-3, 1] that passes, on a log scale. */
        private Config searchDelta() {
            double lo = Math.log(PAPER_DELTA_MIN);
            double hi = Math.log(PAPER_DELTA_MAX);
            Config top = new Config(null, PAPER_DELTA_MAX, dense(), 1.0);
            if (tryConfig(top)) {
                return top;
            }
            boolean loVerified = false;
            int steps = 0;
            int maxSteps = options.mode() == Mode.PAPER ? 10 : 12;
            while (steps++ < maxSteps && budgetLeft()) {
                double mid = 0.5 * (lo + hi);
                if (tryConfig(new Config(null, Math.exp(mid), dense(), 1.0))) {
                    lo = mid;
                    loVerified = true;
                } else {
                    hi = mid;
                }
            }
            Config c = new Config(null, Math.exp(lo), dense(), 1.0);
            if (!loVerified && !tryConfig(c)) {
                return null;
            }
            return c;
        }

        /** Stage 2: binary search along the chain of rank configurations ordered by &tau;. */
        private void searchRank(Config base) {
            TreeSet<Double> taus = new TreeSet<>();
            for (int t = 0; t < count; t++) {
                if (cumulative[t] != null) {
                    for (int k = 1; k <= maxLowRank[t]; k++) {
                        taus.add(cumulative[t][k - 1]);
                    }
                }
            }
            if (taus.isEmpty()) {
                return;
            }
            Double[] chain = taus.toArray(new Double[0]);
            int lo = 0;
            int hi = chain.length; // index chain.length = all dense = base, already verified
            while (lo < hi && budgetLeft()) {
                int mid = (lo + hi) >>> 1;
                if (tryConfig(withTau(base, chain[mid]))) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
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

        /** Stage 3: one bit fewer for one tensor at a time, biggest stored share first. */
        private void refine() {
            boolean[] frozen = new boolean[count];
            while (budgetLeft()) {
                Config cur = best.config();
                int pick = -1;
                double share = -1;
                for (int t = 0; t < count; t++) {
                    if (frozen[t] || cur.bits()[t] <= options.minBits() || absMax[t] == 0) {
                        continue;
                    }
                    Tensor x = tensors.get(t);
                    int k = cur.rank()[t];
                    double stored = (k > 0 ? (double) k * (x.rows() + x.cols()) : x.size()) * cur.bits()[t];
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
            int b = c.bits()[t];
            int k = c.rank()[t];
            if (k < 1) {
                double delta = absMax[t] / levels(b);
                return new CoarseGrainFormat.DenseCodes(x.name(), x.shape(), b, delta, codes(x.toDoubleArray(), delta, b));
            }
            double[][] f = factors(t, k);
            double da = maxAbs(f[0]) / levels(b);
            double db = maxAbs(f[1]) / levels(b);
            if (da == 0 || db == 0) {
                return new CoarseGrainFormat.Zero(x.name(), x.shape());
            }
            return new CoarseGrainFormat.LowRankCodes(x.name(), x.shape(), k, b, da, codes(f[0], da, b), b, db,
                    codes(f[1], db, b));
        }

        private Coded codePaper(int t, Config c) {
            Tensor x = tensors.get(t);
            double delta = c.delta();
            int k = c.rank()[t];
            if (k < 1) {
                float[] v = quantizeFloats(x.toDoubleArray(), delta);
                return allZero(v) ? new CoarseGrainFormat.Zero(x.name(), x.shape())
                        : new CoarseGrainFormat.DenseF32(x.name(), x.shape(), v);
            }
            double[][] f = factors(t, k);
            float[] a = quantizeFloats(f[0], delta);
            float[] b = quantizeFloats(f[1], delta);
            return allZero(a) || allZero(b) ? new CoarseGrainFormat.Zero(x.name(), x.shape())
                    : new CoarseGrainFormat.LowRankF32(x.name(), x.shape(), k, a, b);
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

        private CoarseGraining finish(long t0) {
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
            if (best != null) {
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
            int globalBits = cfg != null && cfg.bits() != null ? min(cfg.bits()) : 0;
            double globalDelta = cfg != null && cfg.bits() == null ? cfg.delta() : Double.NaN;
            double tau = cfg != null ? cfg.tau() : 1.0;
            return new CoarseGraining(encoded, coarse, l0, coarseLoss, evaluations, naive, options.mode(),
                    CoarseGrainFormat.codecId(encoded), globalBits, globalDelta, tau, settings,
                    new CoarseGraining.Timings(svdNanos, quantizeNanos, encodeNanos, compressNanos, lossNanos));
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

    static int[] codes(double[] v, double delta, int bits) {
        int lim = levels(bits);
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
