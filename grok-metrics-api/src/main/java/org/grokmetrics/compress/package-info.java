/**
 * The rate&ndash;distortion coarse-grained complexity of DeMoss et al.: quantize and low-rank the
 * weights as far as the train loss allows (|&Delta;L| &lt; &epsilon;), encode the result decodably and
 * compress it; 8 &times; the byte length is an upper bound, in bits, on the network's Kolmogorov
 * complexity. See {@link org.grokmetrics.compress.CoarseGrainCompressor}; the byte format is in
 * {@code docs/coarse-grain-format.md}.
 */
package org.grokmetrics.compress;
