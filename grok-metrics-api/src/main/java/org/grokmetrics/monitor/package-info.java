/**
 * Framework-agnostic training monitoring: a {@link org.grokmetrics.monitor.ComplexityMonitor} runs
 * estimators on a {@link org.grokmetrics.monitor.Schedule}, synchronously or on a background thread, and
 * hands each {@link org.grokmetrics.monitor.ComplexityRecord} to {@link org.grokmetrics.monitor.RecordSink}s
 * (CSV, JSON lines, SLF4J log, bounded in-memory history). The DL4J and DJL listeners are thin
 * wrappers around it, so both write the same columns. Nothing here ever throws into training: estimator
 * failures become NaN with a reason, sink failures are logged once and the sink is switched off, for
 * exceptions and for the errors {@link org.grokmetrics.api.Failures} contains (linkage errors, stack
 * overflow, out of memory) alike.
 *
 * <p>Estimator-agnostic: this package imports {@code org.grokmetrics.api} and nothing else of
 * grok-metrics (a test fails on an import of {@code spectral}, {@code mdl}, {@code compress},
 * {@code lmn}, {@code codec} or any other package). The listeners' shared options and their default
 * estimators live one layer above, in {@code org.grokmetrics.listener}.
 */
package org.grokmetrics.monitor;
