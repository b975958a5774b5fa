/**
 * What every framework's training listener shares, one layer above {@link org.grokmetrics.monitor}:
 * {@link org.grokmetrics.listener.ListenerBuilder}, the options builder the DL4J and DJL listeners'
 * builders extend, and {@link org.grokmetrics.listener.DefaultEstimators}, the estimators a listener runs
 * unless told otherwise.
 *
 * <p>Layering: {@code monitor} is the estimator-agnostic engine and imports only {@code org.grokmetrics.api}
 * (a test enforces it); this package is where concrete estimators ({@code compress}, {@code spectral},
 * {@code mdl}, {@code lmn}) meet the monitor; the adapters ({@code grok-metrics-dl4j},
 * {@code grok-metrics-djl}) build on this package. See docs/architecture.md.
 */
package org.grokmetrics.listener;
