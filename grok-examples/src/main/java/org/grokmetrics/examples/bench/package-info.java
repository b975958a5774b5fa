/**
 * Benchmarks that print figures and can write them into {@code docs/performance.md}. Timings are
 * medians of repeated runs after warm-up, on one thread; they are never asserted in unit tests.
 */
package org.grokmetrics.examples.bench;
