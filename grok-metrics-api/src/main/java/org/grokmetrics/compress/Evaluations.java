package org.grokmetrics.compress;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.IntStream;

import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.compress.Stopwatch.Phase;

/**
 * The loss evaluations of one compression: the counted oracle, the loss of every distinct set of weights
 * evaluated (configurations that decode to equal weights share it), the loss of every configuration,
 * the budget, the &epsilon; bound and the best (smallest estimated) passing candidate so far. The only
 * mutable state of a compression. Not thread-safe.
 */
final class Evaluations {

    /**
     * An evaluated candidate: its configuration, loss (nats) and size estimate (bytes), with each tensor's search
     * length ({@link Coded#payloadSearchLength}; &minus;1 where the estimate is not a sum of them) and the digest
     * ({@link WeightsDigest}) of the weights whose loss was evaluated. Neither the stored forms nor the weights
     * are kept (at GPT-2 scale each takes as much memory as the snapshot): both are pure functions of the
     * configuration ({@link CompressionProblem#coded}), rebuilt where needed, and the digests tell that a
     * rebuilt or decoded tensor is the one evaluated.
     */
    record Candidate(Config config, double loss, long proxyBytes, long[] payloadBytes, byte[][] digests) {
    }

    /** An evaluated candidate and whether it met the bound. */
    record Probe(Candidate candidate, boolean accepted) {
    }

    private final CountingLoss oracle;
    private final int budget;
    private final double epsilon;
    private final boolean oneSided;
    private final double originalLoss;
    private final Stopwatch stopwatch;
    private final Map<String, Double> losses = new HashMap<>();
    /**
     * Every configuration probed, by {@link Config#key}: its loss (the verdict is {@link #accepts} of it) and its
     * size estimate.
     */
    private final Map<String, Candidate> probed = new HashMap<>();
    private final LowRankProducts products;
    /** Search lengths of tensors already coded, by {@link #settingKey}: what {@link #estimate} reuses. */
    private final Map<String, Long> tensorBytes = new HashMap<>();
    private Candidate best;

    private Evaluations(CountingLoss oracle, int budget, CoarseGrainCompressor.Options o, double originalLoss,
                        Stopwatch stopwatch, int count) {
        this.oracle = oracle;
        this.budget = budget;
        this.epsilon = o.epsilon();
        this.oneSided = o.oneSided();
        this.originalLoss = originalLoss;
        this.stopwatch = stopwatch;
        this.products = new LowRankProducts(count);
    }

    /**
     * Evaluates the original weights (the first evaluation) and starts the bookkeeping; {@code unlimited}
     * ignores the options' budget (rate&ndash;distortion sessions).
     *
     * @throws IllegalArgumentException if the original loss is not finite
     */
    static Evaluations start(ParameterSnapshot p, LossOracle trainLoss, CoarseGrainCompressor.Options o,
                             boolean unlimited, Stopwatch stopwatch) {
        CountingLoss counted = CountingLoss.countEvaluations(trainLoss);
        double l0 = counted.loss(p);
        if (!Double.isFinite(l0)) {
            throw new IllegalArgumentException("the original weights' train loss is " + l0
                    + "; a coarse-graining bound needs a finite loss");
        }
        Evaluations ev = new Evaluations(counted, unlimited ? Integer.MAX_VALUE : o.lossBudget(), o, l0, stopwatch,
                p.tensors().size());
        ev.losses.put(WeightsDigest.of(p.tensors().stream().map(WeightsDigest::of).toArray(byte[][]::new)), l0);
        return ev;
    }

    double originalLoss() {
        return originalLoss;
    }

    /** Oracle calls so far, the original's included. */
    int count() {
        return oracle.evaluations();
    }

    /** Nanoseconds inside the oracle so far. */
    long lossNanos() {
        return oracle.nanos();
    }

    Stopwatch stopwatch() {
        return stopwatch;
    }

    /** The best passing candidate so far; null if none. */
    Candidate best() {
        return best;
    }

    boolean budgetLeft() {
        return oracle.evaluations() < budget;
    }

    /** Whether a loss meets the bound: finite, and |L &minus; L0| &lt; &epsilon; (one-sided: L &minus; L0 &lt; &epsilon;). */
    boolean accepts(double loss) {
        if (!Double.isFinite(loss)) {
            return false;
        }
        double d = loss - originalLoss;
        return oneSided ? d < epsilon : Math.abs(d) < epsilon;
    }

    /** Whether {@code c} passes: its known verdict, else a probe while the budget lasts (false after it). */
    boolean passes(CompressionProblem problem, Config c) {
        OptionalDouble loss = lossOf(problem, c);
        return loss.isPresent() && accepts(loss.getAsDouble());
    }

    /**
     * The loss of {@code c}: the one recorded if it was probed before, else a probe's while the budget lasts;
     * empty once the budget is spent.
     */
    OptionalDouble lossOf(CompressionProblem problem, Config c) {
        OptionalDouble known = knownLoss(c);
        if (known.isPresent()) {
            return known;
        }
        if (!budgetLeft()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(probe(problem, c).candidate().loss());
    }

    /** The loss recorded for {@code c} if it was probed before; empty otherwise (nothing is probed). */
    OptionalDouble knownLoss(Config c) {
        Candidate known = probed.get(c.key());
        return known == null ? OptionalDouble.empty() : OptionalDouble.of(known.loss());
    }

    /** The size estimate (bytes) recorded for {@code c} if it was probed before; empty otherwise. */
    OptionalLong knownSize(Config c) {
        Candidate known = probed.get(c.key());
        return known == null ? OptionalLong.empty() : OptionalLong.of(known.proxyBytes());
    }

    /** The loss at which the bound is met exactly from above: L0 + &epsilon;. */
    double lossBound() {
        return originalLoss + epsilon;
    }

    /**
     * Builds, evaluates (unless the same weights were seen) and records one configuration. Tensors whose
     * setting equals the best candidate's are taken from it; the others are built in parallel, each on
     * its own (the result does not depend on the number of threads).
     */
    Probe probe(CompressionProblem problem, Config c) {
        int n = problem.count();
        Candidate from = best;
        Tensor[] tensors = new Tensor[n];
        byte[][] digests = new byte[n][];
        long[] payload = new long[n];
        boolean summed = problem.encoding().sizeIsStreamLength();
        Coded[] unsummed = summed ? null : new Coded[n];
        stopwatch.time(Phase.QUANTIZE, () -> {
            IntStream.range(0, n).parallel().forEach(t -> {
                // the codes live only while this tensor is built and sized
                Coded coded = problem.coded(t, c);
                tensors[t] = products.tensor(t, coded);
                if (from != null && sameSetting(from.config(), c, t)) {
                    digests[t] = from.digests()[t];
                    payload[t] = from.payloadBytes()[t];
                } else {
                    digests[t] = WeightsDigest.of(tensors[t]);
                    if (summed) {
                        payload[t] = coded.payloadSearchLength();
                        remember(c, t, payload[t]);
                    }
                }
                if (!summed) {
                    unsummed[t] = coded;
                }
            });
            return null;
        });
        String key = WeightsDigest.of(digests);
        Double seen = losses.get(key);
        double loss;
        if (seen != null) {
            loss = seen;
        } else {
            loss = oracle.loss(ParameterSnapshot.of(List.of(tensors)));
            losses.put(key, loss);
        }
        Arrays.fill(tensors, null);
        boolean ok = accepts(loss);
        long size = summed ? sum(problem, payload) : stopwatch.time(Phase.ENCODE, () -> {
            Arrays.fill(payload, -1);
            return problem.encoding().sizeEstimate(CoarseGrainFormat.serialize(List.of(unsummed)));
        });
        Candidate cand = new Candidate(c, loss, size, payload, digests);
        probed.put(c.key(), cand);
        if (ok && (best == null || size < best.proxyBytes())) {
            best = cand;
        }
        return new Probe(cand, ok);
    }

    /**
     * The size estimate (bytes) that {@link #probe} would give {@code c}, from the tensors' stored forms alone:
     * no weights are built and no loss is evaluated, and tensors coded before (in any candidate or estimate) are
     * not coded again. Empty where the encoding's estimate is not a sum over tensors (the paper's modes).
     */
    OptionalLong estimate(CompressionProblem problem, Config c) {
        if (!problem.encoding().sizeIsStreamLength()) {
            return OptionalLong.empty();
        }
        int n = problem.count();
        long[] payload = new long[n];
        Candidate from = best;
        stopwatch.time(Phase.ENCODE, () -> {
            IntStream.range(0, n).parallel().forEach(t -> {
                if (from != null && sameSetting(from.config(), c, t)) {
                    payload[t] = from.payloadBytes()[t];
                    return;
                }
                Long known;
                synchronized (tensorBytes) {
                    known = tensorBytes.get(settingKey(c, t));
                }
                if (known != null) {
                    payload[t] = known;
                } else {
                    payload[t] = problem.coded(t, c).payloadSearchLength();
                    remember(c, t, payload[t]);
                }
            });
            return null;
        });
        return OptionalLong.of(sum(problem, payload));
    }

    private void remember(Config c, int t, long bytes) {
        synchronized (tensorBytes) {
            tensorBytes.put(settingKey(c, t), bytes);
        }
    }

    /** The stream's length: the overhead every configuration shares plus each tensor's payload. */
    private static long sum(CompressionProblem problem, long[] payload) {
        long total = problem.streamOverhead();
        for (long b : payload) {
            total += b;
        }
        return total;
    }

    /** Tensor t's setting under {@code c}: equal keys, equal stored forms ({@link #sameSetting}). */
    private static String settingKey(Config c, int t) {
        return t + ":" + (c.bits() == null ? "-" : c.bits()[t]) + ":" + c.delta() + ":" + c.rank()[t];
    }

    /** Whether tensor t is stored alike under both configurations (the inputs of {@link Encoding#code}). */
    private static boolean sameSetting(Config a, Config b, int t) {
        boolean bits = a.bits() == null ? b.bits() == null : b.bits() != null && a.bits()[t] == b.bits()[t];
        return bits && Double.compare(a.delta(), b.delta()) == 0 && a.rank()[t] == b.rank()[t];
    }
}
