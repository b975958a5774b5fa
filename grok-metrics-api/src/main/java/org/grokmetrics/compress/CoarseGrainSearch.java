package org.grokmetrics.compress;

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

    /** Runs every step the problem's encoding takes, while the evaluations' budget lasts. */
    static void run(CompressionProblem problem, Evaluations ev) {
        // dense baseline first: cheap, and best for networks that are not low-rank (memorizing ones)
        int dense = coarsestDenseLevel(problem, ev, 0, problem.encoding().levelCount() - 1);
        if (problem.options().rankSearch() && problem.encoding().searchesRank() && problem.chain().length() > 0) {
            frontier(problem, ev, dense);
        }
        if (ev.best() != null && problem.encoding().refines()) {
            refine(problem, ev);
        }
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
     * The lowest chain index in [lo, hi] that passes at level q (binary search); -1 if none. Indices whose
     * verdict is known (e.g. hi, probed before) cost nothing.
     */
    static int lowestRankIndex(CompressionProblem problem, Evaluations ev, int q, int lo, int hi) {
        int found = -1;
        while (lo <= hi && ev.budgetLeft()) {
            int mid = (lo + hi) >>> 1;
            if (ev.passes(problem, problem.at(q, mid))) {
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
    static int gallopRankIndex(CompressionProblem problem, Evaluations ev, int q, int from) {
        int length = problem.chain().length();
        int lastFail = from - 1;
        int step = 1;
        int probe = from;
        while (ev.budgetLeft()) {
            int idx = Math.min(probe, length);
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
            if (idx == length) {
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
    static void frontier(CompressionProblem problem, Evaluations ev, int coarsestDense) {
        if (coarsestDense < 0) {
            return;
        }
        int levels = problem.encoding().levelCount();
        // a level whose dense quantization is known to pass
        int fine = Math.min(problem.encoding().fineLevel(levels), coarsestDense);
        // the chain's highest ranks first: if even they fail (a network that is not low-rank), no lower rank
        // passes either and the search is over after one probe; a bisection that fails throughout would
        // probe near the top of the chain every time, and such probes cost the most (m·k·n per matrix to
        // rebuild). Only if the top passes is the chain bisected below it.
        int top = problem.chain().length() - 1;
        int idx = ev.passes(problem, problem.at(fine, top)) ? lowestRankIndex(problem, ev, fine, 0, top) : -1;
        if (idx < 0) {
            idx = problem.chain().length();
        }
        // coarsest level passing with this rank configuration
        int q = coarsestPassingLevel(problem, ev, fine + 1, levels - 1, idx, fine);
        // walk to coarser levels while it pays
        long bestSize = ev.best() == null ? Long.MAX_VALUE : ev.best().proxyBytes();
        for (int next = q + 1; next < levels && ev.budgetLeft(); next++) {
            int found = gallopRankIndex(problem, ev, next, idx);
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
