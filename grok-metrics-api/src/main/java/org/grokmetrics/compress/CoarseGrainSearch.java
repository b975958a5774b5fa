package org.grokmetrics.compress;

import java.util.OptionalLong;
import java.util.function.UnaryOperator;

import org.grokmetrics.api.Tensor;

/**
 * The search strategy (overview in the package documentation): the dense baseline by binary search on
 * the levels, then rank first along the {@link RankChain}, then the walk to coarser levels, then the
 * per-tensor refinement. Stateless: the problem and the evaluations are passed in, and the result is
 * {@link Evaluations#best()}.
 */
final class CoarseGrainSearch {

    private CoarseGrainSearch() {
    }

    /** How many ladder steps (half bits) past the coarsest passing dense level a low-rank candidate is deemed to reach. */
    static final int HORIZON_STEPS = 2;

    /**
     * Runs every step the problem's encoding takes, while the evaluations' budget lasts: the dense baseline on
     * {@code dense} (a problem without its rank chain), then, only if the baseline passed somewhere and ranks are
     * searched, the rest on the problem {@code withChain} makes of it (the SVDs are paid only then).
     *
     * @return the problem the search ended on: {@code dense}, or the one with its chain
     */
    static CompressionProblem run(CompressionProblem dense, Evaluations ev, UnaryOperator<CompressionProblem> withChain) {
        // dense baseline first: cheap, and best for networks that are not low-rank (memorizing ones)
        int coarsest = coarsestDenseLevel(dense, ev, 0, dense.encoding().levelCount() - 1);
        CompressionProblem problem = dense;
        if (coarsest >= 0 && dense.options().rankSearch() && dense.encoding().searchesRank()) {
            problem = withChain.apply(dense);
            if (problem.chain().length() > 0) {
                frontier(problem, ev, coarsest);
            }
        }
        if (ev.best() != null && problem.encoding().refines()) {
            refine(problem, ev);
        }
        return problem;
    }

    /** The coarsest level in [lo, hi] whose dense quantization passes (binary search); -1 if none. */
    static int coarsestDenseLevel(CompressionProblem problem, Evaluations ev, int lo, int hi) {
        int dense = problem.chain().length();
        return coarsestPassingLevel(problem, ev, lo, hi, dense, -1);
    }

    /** The coarsest level in [lo, hi] passing at chain index i (binary search); {@code none} if none. */
    private static int coarsestPassingLevel(CompressionProblem problem, Evaluations ev, int lo, int hi, int i, int none) {
        int found = none;
        while (lo <= hi && ev.budgetLeft()) {
            int mid = (lo + hi) >>> 1;
            if (ev.passes(problem, problem.at(mid, i))) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /**
     * The lowest chain index in [lo, hi] that passes at level q, to {@link #RANK_RESOLUTION} ({@link
     * InterpolatedSearch}: each probe where the losses of the bracket's ends say the bound is met); -1 if none.
     * Indices probed before (e.g. hi) cost nothing.
     */
    static int lowestRankIndex(CompressionProblem problem, Evaluations ev, int q, int lo, int hi) {
        return InterpolatedSearch.lowestPassing(lo, hi, ev.lossBound(), i -> ev.lossOf(problem, problem.at(q, i)),
                ev::accepts, ev.knownLoss(problem.at(q, hi)), (fail, pass) -> {
                    // sizes of probes already made: a bracket whose ends differ by less than 1/RANK_RESOLUTION of the
                    // passing size is closed (on a long chain the last probes move one matrix's rank by one)
                    OptionalLong a = ev.knownSize(problem.at(q, fail));
                    OptionalLong b = ev.knownSize(problem.at(q, pass));
                    return a.isPresent() && b.isPresent() && b.getAsLong() - a.getAsLong() <= b.getAsLong() / RANK_RESOLUTION;
                });
    }

    /**
     * The rank bisection ends when its failing and passing ends differ in size by at most 1/{@value} of the
     * passing one's (0.4%): GPT-2 small's chain has about 30,000 indices, and its last probes changed the loss
     * by 10<sup>-4</sup> and the size by 0.01%, each one a rebuild of 48 matrices.
     */
    static final int RANK_RESOLUTION = 256;

    /**
     * The lowest passing chain index in [from, limit] at level q, searching upward from {@code from} with doubling
     * steps, then bisecting the last gap: cheap when the answer is near {@code from}. -1 if none.
     */
    static int gallopRankIndex(CompressionProblem problem, Evaluations ev, int q, int from, int limit) {
        int lastFail = from - 1;
        int step = 1;
        int probe = from;
        while (from <= limit && ev.budgetLeft()) {
            int idx = Math.min(probe, limit);
            if (ev.passes(problem, problem.at(q, idx))) {
                int lo = lastFail + 1;
                int hi = idx;
                while (lo < hi && ev.budgetLeft()) {
                    int mid = (lo + hi) >>> 1;
                    if (ev.passes(problem, problem.at(q, mid))) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                return hi;
            }
            if (idx == limit) {
                return -1;
            }
            lastFail = idx;
            probe = idx + step;
            step *= 2;
        }
        return -1;
    }

    /**
     * The highest chain index in [0, hi] whose size estimate at level q is below the best candidate's
     * (bisection on {@link Evaluations#estimate}, which builds no weights and evaluates no loss; sizes grow
     * with the rank): no higher index at that level or finer can become the best. {@code hi} where the
     * encoding has no such estimate or there is no best yet; -1 where even index 0 is too large.
     */
    static int usefulTop(CompressionProblem problem, Evaluations ev, int q, int hi) {
        if (ev.best() == null) {
            return hi;
        }
        long bound = ev.best().proxyBytes();
        OptionalLong top = ev.estimate(problem, problem.at(q, hi));
        if (top.isEmpty() || top.getAsLong() < bound) {
            return hi;
        }
        int lo = 0;
        int found = -1;
        int h = hi - 1;
        while (lo <= h) {
            int mid = (lo + h) >>> 1;
            if (ev.estimate(problem, problem.at(q, mid)).getAsLong() < bound) {
                found = mid;
                lo = mid + 1;
            } else {
                h = mid - 1;
            }
        }
        return found;
    }

    /**
     * The finest level in [lo, hi] at which chain index i's size estimate is below the best candidate's (bisection
     * on {@link Evaluations#estimate}, which builds no weights and evaluates no loss; sizes shrink as levels
     * coarsen); {@code hi + 1} where none is, {@code lo} where the encoding has no such estimate or there is no best.
     */
    static int breakEvenLevel(CompressionProblem problem, Evaluations ev, int i, int lo, int hi) {
        if (ev.best() == null || lo > hi) {
            return lo;
        }
        long bound = ev.best().proxyBytes();
        int found = hi + 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            OptionalLong size = ev.estimate(problem, problem.at(mid, i));
            if (size.isEmpty()) {
                return lo;
            }
            if (size.getAsLong() < bound) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found;
    }

    /**
     * Rank first: at a fine level find the lowest passing rank configuration, then the coarsest level
     * that still passes with it, then walk to coarser levels, raising the rank only as needed, while
     * the description keeps shrinking. {@code coarsestDense} is the coarsest level whose dense
     * quantization passed (-1: none did, nothing to search).
     *
     * <p>Only configurations that could still beat the best dense description are probed: a chain index whose
     * size estimate, {@value #HORIZON_STEPS} ladder steps (one bit) coarser than the coarsest passing dense
     * level, is not below the best is never evaluated (it would have to pass at a level where the dense
     * quantization alone already fails, and still be smaller than the best). Where no index can, the rank
     * search ends without one loss evaluation or one product of factors.
     */
    static void frontier(CompressionProblem problem, Evaluations ev, int coarsestDense) {
        if (coarsestDense < 0) {
            return;
        }
        int levels = problem.encoding().levelCount();
        // a level whose dense quantization is known to pass
        int fine = Math.min(problem.encoding().fineLevel(levels), coarsestDense);
        int horizon = Math.min(levels - 1, coarsestDense + HORIZON_STEPS);
        // the highest useful rank configurations first: if even they fail (a network that is not low-rank), no
        // lower rank passes either and the search is over after one probe; a bisection that fails throughout would
        // probe near the top every time, and such probes cost the most (m·k·n per matrix to rebuild). Only if the
        // top passes is the chain bisected below it.
        int top = usefulTop(problem, ev, horizon, problem.chain().length() - 1);
        if (top < 0 || !ev.passes(problem, problem.at(fine, top))) {
            return;
        }
        int idx = lowestRankIndex(problem, ev, fine, 0, top);
        if (idx < 0) {
            idx = problem.chain().length();
        }
        // coarsest level passing with this rank configuration; it leads anywhere only if it reaches one level short
        // of where the configuration's size beats the best (the walk below starts one level coarser, and ends at
        // once where the index is too large there), so that level is probed first and the rest only if it passes
        int breakEven = breakEvenLevel(problem, ev, idx, fine + 1, levels - 1);
        if (breakEven > levels - 1) {
            return;   // no coarser level makes this rank small enough: the walk could not start
        }
        int reach = breakEven - 1;
        int q;
        if (reach > fine + 1) {
            if (!ev.passes(problem, problem.at(reach, idx))) {
                return;
            }
            q = coarsestPassingLevel(problem, ev, reach + 1, levels - 1, idx, reach);
        } else {
            q = coarsestPassingLevel(problem, ev, fine + 1, levels - 1, idx, fine);
        }
        // walk to coarser levels while it pays
        long bestSize = ev.best() == null ? Long.MAX_VALUE : ev.best().proxyBytes();
        for (int next = q + 1; next < levels && ev.budgetLeft(); next++) {
            int limit = usefulTop(problem, ev, next, problem.chain().length() - 1);
            int found = limit < idx ? -1 : gallopRankIndex(problem, ev, next, idx, limit);
            if (found < 0) {
                break;
            }
            idx = found;
            long size = ev.best().proxyBytes();
            if (size >= bestSize) {
                break;
            }
            bestSize = size;
        }
    }

    /** Refinement: one ladder step (half a bit) coarser for one tensor at a time, biggest stored share first. */
    static void refine(CompressionProblem problem, Evaluations ev) {
        int count = problem.count();
        boolean[] frozen = new boolean[count];
        int minStep = QuantizationLadder.ladderIndexOfBits(problem.options().minBits());
        while (ev.budgetLeft()) {
            Config cur = ev.best().config();
            int pick = -1;
            double share = -1;
            for (int t = 0; t < count; t++) {
                if (frozen[t] || cur.bits()[t] <= minStep || problem.absMax()[t] == 0) {
                    continue;
                }
                Tensor x = problem.tensors().get(t);
                int k = cur.rank()[t];
                double stored = (k > 0 ? (double) k * (x.rows() + x.cols()) : x.size())
                        * QuantizationLadder.bitsFor(QuantizationLadder.LADDER[cur.bits()[t]]);
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
            Evaluations.Candidate before = ev.best();
            boolean ok = ev.passes(problem, cur.withBits(bits));
            if (!ok || ev.best() == before) {
                frozen[pick] = true;
            }
        }
    }
}
