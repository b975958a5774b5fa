/**
 * The rate&ndash;distortion coarse-grained complexity of DeMoss et al. (SPEC &sect;1): the shortest
 * decodable description found of weights &theta;&#770; with |L(&theta;&#770;) &minus; L(&theta;)| &lt; &epsilon;
 * (or, one-sided, L(&theta;&#770;) &minus; L(&theta;) &lt; &epsilon;), losses in nats; 8 &times; its byte
 * length is an upper bound, in bits, on the network's Kolmogorov complexity. Entry points:
 * {@link org.grokmetrics.compress.CoarseGrainCompressor} ({@code withEpsilon(…).compress(p, loss)},
 * {@code decode(bytes)}), {@link org.grokmetrics.compress.CoarseGrainEstimator} and
 * {@link org.grokmetrics.compress.RateDistortion}; the byte format is in {@code docs/coarse-grain-format.md}.
 *
 * <h2>Coarse-graining (default mode)</h2>
 * <ul>
 *   <li><b>Quantization</b> ({@code QuantizationLadder}) with L levels per side for tensor t:
 *       &Delta;<sub>t</sub> = r<sub>t</sub> / L, r<sub>t</sub> = max|&theta;<sub>t</sub>|, integer codes
 *       round(&theta;/&Delta;<sub>t</sub>) &isin; [&minus;L, L], values code &middot; &Delta;<sub>t</sub> rounded to
 *       float. L runs over a half-bit ladder (1, 2, 3, 5, 7, 10, 15, &hellip;) that contains every
 *       2^(b&minus;1) &minus; 1 (b bits, the SPEC's &Delta; = r/(2^(b&minus;1) &minus; 1)), so b = ceil(log2(2L + 1))
 *       bits hold a code.</li>
 *   <li><b>Low rank</b> ({@code RankChain}) per matrix M (m&times;n, singular values &sigma;,
 *       &sigma;&#772; = &sigma;/&Sigma;&sigma;): for a global &tau; &isin; (0, 1],
 *       k(&tau;) = min{k : &Sigma;<sub>i&le;k</sub> &sigma;&#772;<sub>i</sub> &ge; &tau;}; only if k(&tau;) &lt; mn/(m+n)
 *       the matrix is stored as the factors Q(U<sub>k</sub>diag(S<sub>k</sub>)) and Q(V<sub>k</sub>&#7488;) (each
 *       with its own &Delta; at b bits), and its coarse value is their product: the exact integer product of
 *       the codes times &Delta;<sub>A</sub>&Delta;<sub>B</sub> ({@code CodeProduct}), which the search moves
 *       between ranks by adding or removing factor columns ({@code LowRankProducts}).</li>
 *   <li><b>Description</b> ({@code CoarseGrainFormat}, {@code Coded}, {@code Description}): a byte stream of
 *       shapes, bits, &Delta;s, ranks and integer codes, the codes adaptively arithmetic-coded
 *       ({@code ArithmeticCoder}), compressed by the options' codec (default: the best of gzip, xz, zstd
 *       and bzip2) behind a one-byte version and codec tag, followed by a CRC32C of the whole description
 *       (counted in the bound). Decoding verifies the check and every size before allocating, and gives back
 *       &theta;&#770; exactly; every description is decoded and checked before it is reported.</li>
 * </ul>
 *
 * <h2>Search</h2>
 * ({@code CoarseGrainSearch}, over the {@code Evaluations} of one compression.) Loss grows roughly
 * monotonically as bits or &tau; shrink. The rank configurations form a chain ordered by &tau; (the
 * breakpoints where some matrix's k(&tau;) changes, so no evaluation is spent on a configuration already
 * seen). (0) Binary-search the fewest uniform bits for dense quantization: the baseline, and the best
 * answer for networks that are not low-rank; only then are the SVDs computed, and only if the baseline
 * passed somewhere. Then rank first, because low rank is what shrinks a generalising network's description
 * most, but only where it can still win: a configuration's size is estimated from its codes alone (no
 * weights built, no loss evaluated), and a chain index whose estimate one bit coarser than the baseline's
 * bits is not below the best description so far is never probed. (1) At a fine level (8 bits, or the
 * dense baseline's bits if more) probe the highest useful chain index: if that fails, no lower rank is tried
 * (one probe for a network that is not low-rank); else search the chain below the top for the lowest passing rank
 * configuration, each probe placed where the line through the bracket's losses meets the bound (a bisection
 * step where it cannot be drawn, or after two probes moved the same end), kept close enough to the middle
 * that it never takes more than three probes beyond a bisection's worst case ({@code InterpolatedSearch}),
 * until the bracket's ends differ in size by at most 0.4%; (2) binary-search the fewest bits that still pass with it, first probing one level short of
 * the bits at which its size would beat the best (its break-even level, from estimates): if it fails there, the
 * rank search ends, since the walk could not reach a useful size either (Gaussian GPT-2 blocks: three probes of
 * rank-520 candidates saved, left to the refinement); (3) walk to fewer bits, raising
 * the rank only as needed (a galloping search up the chain, no higher than the useful indices), while the
 * description keeps shrinking; (4) while the budget lasts, per-tensor refinement: one ladder step (half a
 * bit) fewer for one tensor at a time, largest first, kept where it passes and shrinks the description.
 * Without rank search, (1)&ndash;(3) reduce to a binary search on the bits. Only candidates whose loss was
 * evaluated and passed are ever kept; the smallest (by a fast size estimate: the arithmetic-coded stream's
 * length, code arrays of more than 65,536 codes estimated from their histograms, or zstd level 3 for float32
 * payloads, where the size limits above do not apply) wins, and is finally compressed with the configured
 * codec. Candidates that decode to weights already evaluated reuse that loss. If nothing passes, or the
 * original weights stored losslessly (float32) would be smaller, the lossless description is reported. The
 * evaluations, the original's included, never exceed the options' loss budget.
 *
 * <h2>Memory</h2>
 * A candidate keeps its configuration, its size and each tensor's SHA-256 digest, not its codes or weights:
 * both are rebuilt from the configuration where needed, and the final description is decoded tensor by tensor
 * and checked against the digests. Besides the caller's weights, a compression holds one candidate's weights,
 * the rank chain's factors in float (about one more copy of the matrices), exact low-rank sums within a
 * thirty-second of the heap, and one tensor's codes per thread: at GPT-2 small's 124M parameters 2.3 GB of
 * heap, with 32 MB G1 regions (docs/performance.md).
 *
 * <h2>Comparison modes</h2>
 * ({@code Encoding}: one implementation per mode.) {@code PAPER}: one global &Delta; for every tensor
 * (31 log-spaced levels in [1e-3, 1] play the role of the bits), global &tau;, float32 payload, bzip2: the
 * paper's encoding, with this package's search instead of Bayesian optimisation. {@code QUANTIZATION_ONLY}:
 * the paper's Algorithm 2, a binary search on the global &Delta; alone, float32 payload, bzip2.
 *
 * <h2>Errors and NaN</h2>
 * NaN/Inf parameters, or an original loss that is not finite: {@link java.lang.IllegalArgumentException}
 * naming the tensor or the loss. A candidate whose loss is NaN (or infinite) counts as failing, and is
 * never reported.
 */
package org.grokmetrics.compress;
