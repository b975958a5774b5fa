/**
 * PNG charts of a run folder (XChart): accuracy and complexity against steps on a log axis, LMN and L2
 * norm against test loss, and the rate&ndash;distortion curve. {@code grok plot DIR} redraws them.
 */
package org.grokmetrics.examples.plot;
