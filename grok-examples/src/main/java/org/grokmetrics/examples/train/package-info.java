/**
 * Training runs of the grokking experiments on DL4J: a {@link org.grokmetrics.examples.train.RunConfig}
 * (saved as {@code config.json}, enough to repeat the run exactly), the
 * {@link org.grokmetrics.examples.train.Trainer} that trains with a complexity listener and writes the run
 * folder, and the {@link org.grokmetrics.examples.train.RunSummary} of what happened.
 */
package org.grokmetrics.examples.train;
