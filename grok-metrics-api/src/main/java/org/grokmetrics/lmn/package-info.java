/**
 * The linear mapping number (Liu, Zhong, Tegmark, <i>Grokking as Compression</i>, 2023): how many
 * linear pieces a sub-network effectively uses on the data.
 *
 * <p>Three classes, one job each:
 * <ul>
 *   <li>{@link org.grokmetrics.lmn.LinearMappingNumber}: the formula and its entry points
 *       ({@code lmn(f, points)}, {@code connectivity}, {@code entropyBits}, {@code analyze}), its
 *       {@code Options} and {@code Result}; the formula is written out in its class comment.</li>
 *   <li>{@code LinearConnectivity} (package-private): the connectivity matrix L, streamed through the
 *       oracle in batches; each step gets its inputs as parameters.</li>
 *   <li>{@link org.grokmetrics.lmn.LinearMappingNumberEstimator}: the {@code lmn} estimator for
 *       monitors and listeners (sub-sampling, details, cost).</li>
 * </ul>
 * {@code LinearMappingNumber.create()} and {@code withOptions(...)} still return the estimator but are
 * deprecated in favour of {@code LinearMappingNumberEstimator}'s.
 */
package org.grokmetrics.lmn;
