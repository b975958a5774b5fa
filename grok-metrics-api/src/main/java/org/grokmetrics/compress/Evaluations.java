package org.grokmetrics.compress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.compress.Stopwatch.Phase;

/**
 * The loss evaluations of one compression: the counted oracle, the loss of every distinct set of weights
 * evaluated (configurations that decode to equal weights share it), the verdict of every configuration,
 * the budget, the &epsilon; bound and the best (smallest estimated) passing candidate so far. The only
 * mutable state of a compression. Not thread-safe.
 */
final class Evaluations {

    /** An evaluated candidate: its configuration, stored form, weights, loss (nats) and size estimate (bytes). */
    record Candidate(Config config, List<Coded> coded, ParameterSnapshot snapshot, double loss, long proxyBytes) {
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
    private final Map<ParameterSnapshot, Double> losses = new HashMap<>();
    private final Map<String, Boolean> verdicts = new HashMap<>();
    private Candidate best;

    private Evaluations(CountingLoss oracle, int budget, CoarseGrainCompressor.Options o, double originalLoss,
                        Stopwatch stopwatch) {
        this.oracle = oracle;
        this.budget = budget;
        this.epsilon = o.epsilon();
        this.oneSided = o.oneSided();
        this.originalLoss = originalLoss;
        this.stopwatch = stopwatch;
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
        Evaluations ev = new Evaluations(counted, unlimited ? Integer.MAX_VALUE : o.lossBudget(), o, l0, stopwatch);
        ev.losses.put(p, l0);
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
        Boolean known = verdicts.get(c.key());
        if (known != null) {
            return known;
        }
        if (!budgetLeft()) {
            return false;
        }
        return probe(problem, c).accepted();
    }

    /** Builds, evaluates (unless the same weights were seen) and records one configuration. */
    Probe probe(CompressionProblem problem, Config c) {
        List<Coded> coded = stopwatch.time(Phase.QUANTIZE, () -> problem.build(c));
        ParameterSnapshot snap = stopwatch.time(Phase.QUANTIZE, () -> snapshotOf(coded));
        Double seen = losses.get(snap);
        double loss;
        if (seen != null) {
            loss = seen;
        } else {
            loss = oracle.loss(snap);
            losses.put(snap, loss);
        }
        boolean ok = accepts(loss);
        verdicts.put(c.key(), ok);
        long size = stopwatch.time(Phase.ENCODE, () -> problem.encoding().sizeEstimate(CoarseGrainFormat.serialize(coded)));
        Candidate cand = new Candidate(c, coded, snap, loss, size);
        if (ok && (best == null || size < best.proxyBytes())) {
            best = cand;
        }
        return new Probe(cand, ok);
    }

    private static ParameterSnapshot snapshotOf(List<Coded> coded) {
        return ParameterSnapshot.of(coded.stream().map(Coded::tensor).toList());
    }
}
