package org.grokmetrics.compress;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session exploring the rate&ndash;distortion trade-off of one snapshot with one compressor's options:
 * evaluates any (uniform bits, &tau;) point, computing the SVDs once, and describes evaluated points.
 * Each {@link #point} costs one loss evaluation (none if its weights were seen before); there is no
 * budget. Made by {@link CoarseGrainCompressor#rateDistortion}. Not thread-safe.
 */
public final class RateDistortion {

    /**
     * One evaluated setting.
     *
     * @param bits          uniform quantization bits
     * @param tau           rank threshold (1 = every matrix dense)
     * @param estimatedBits description size estimate, in bits: the serialised stream's length before the final
     *                      codec, with arithmetic-coded code arrays of more than 65,536 codes estimated from
     *                      their histograms (entropy plus the adaptive model's learning cost; within about
     *                      0.01% of the coded length at that size) instead of coded; paper modes: zstd-3 of the stream
     * @param loss          train loss of the coarse weights (nats; NaN if the oracle said so)
     * @param distortion    loss &minus; original loss (nats)
     * @param withinBound   whether the distortion meets the compressor's &epsilon; bound
     */
    public record Point(int bits, double tau, long estimatedBits, double loss, double distortion,
                        boolean withinBound) {
    }

    private final CompressionProblem problem;
    private final Evaluations evaluations;
    private final Map<String, Evaluations.Candidate> candidates = new HashMap<>();

    RateDistortion(CompressionProblem problem, Evaluations evaluations) {
        this.problem = problem;
        this.evaluations = evaluations;
    }

    /**
     * The original weights' train loss (nats).
     *
     * @return the loss the session evaluated first, finite
     */
    public double originalLoss() {
        return evaluations.originalLoss();
    }

    /**
     * Loss evaluations so far, the original's included.
     *
     * @return the number of loss-oracle calls, &ge; 1
     */
    public int lossEvaluations() {
        return evaluations.count();
    }

    /**
     * The &tau; values at which some matrix's rank k(&tau;) changes, ascending (where low rank pays;
     * empty without rank search). Any &tau; between two breakpoints gives the configuration of the upper one.
     *
     * @return the breakpoints, ascending (unmodifiable)
     */
    public List<Double> tauBreakpoints() {
        return Arrays.stream(problem.chain().taus()).boxed().toList();
    }

    /**
     * Evaluates uniform {@code bits} with rank threshold {@code tau}.
     *
     * @param bits quantization bits of every tensor, in [2, 16]
     * @param tau  the rank threshold, in (0, 1]; 1 (or no rank search) keeps full rank
     * @return the point: estimated size in bits, loss, distortion (loss &minus; original loss) and whether it is
     *         within the bound
     * @throws IllegalArgumentException if bits is outside [2, 16] or tau outside (0, 1]
     */
    public Point point(int bits, double tau) {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("bits must be in [2, 16], was " + bits);
        }
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in (0, 1], was " + tau);
        }
        Config base = Config.uniform(problem.count(), QuantizationLadder.ladderIndexOfBits(bits));
        Config c = tau >= 1 || !problem.options().rankSearch() ? base : problem.withTau(base, tau);
        Evaluations.Probe pr = evaluations.probe(problem, c);
        Evaluations.Candidate cand = pr.candidate();
        candidates.put(key(bits, tau), cand);
        return new Point(bits, tau, 8 * cand.proxyBytes(), cand.loss(), cand.loss() - evaluations.originalLoss(),
                pr.accepted());
    }

    /**
     * The full, decodable description of an evaluated point, compressed with the compressor's codec
     * (whether or not the point meets the bound).
     *
     * @param point a point {@link #point(int, double)} returned in this session
     * @return the description of that point
     * @throws IllegalStateException if the point was not evaluated in this session
     */
    public CoarseGraining describe(Point point) {
        Evaluations.Candidate c = candidates.get(key(point.bits(), point.tau()));
        if (c == null) {
            throw new IllegalStateException("point (" + point.bits() + " bits, tau " + point.tau()
                    + ") was not evaluated in this session");
        }
        return Description.describe(problem, evaluations, c, false);
    }

    private static String key(int bits, double tau) {
        return bits + "/" + tau;
    }
}
