package org.grokmetrics.monitor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs complexity estimators on a schedule and hands the records to sinks; the engine behind the DL4J
 * and DJL listeners.
 *
 * <p>Guarantees: {@link #submit} never throws and never blocks for long. Synchronous mode evaluates on
 * the caller's thread. Asynchronous mode evaluates on one background daemon thread; if the previous
 * measurement is still running, the new one is skipped (counted in {@link #skipped()} and logged once),
 * so training never waits and memory stays bounded. An estimator that throws is recorded as NaN with the
 * reason and logged once per (estimator, kind of failure); a sink that throws is logged once and switched
 * off. "Throws" covers every {@link Throwable} that {@link Failures} contains: exceptions, but also
 * {@link LinkageError}, {@link StackOverflowError} and {@link OutOfMemoryError} (the monitor drops the
 * measurement before it logs); none of them kills the background thread or surfaces in {@link #close()}.
 * Only {@link ThreadDeath}, {@link InternalError} and {@link UnknownError} propagate.
 *
 * <p>Thread-safe. Close it to wait for the last measurement and close the sinks.
 */
public final class ComplexityMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ComplexityMonitor.class);

    private final List<ComplexityEstimator> estimators;
    private final List<RecordSink> sinks;
    private final Set<RecordSink> brokenSinks = ConcurrentHashMap.newKeySet();
    private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();
    private final HistorySink history;
    private final Schedule schedule;
    private final ThreadPoolExecutor executor;
    private final long startNanos = System.nanoTime();
    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong skipped = new AtomicLong();
    private final double maxOverhead;
    private final AtomicLong measuredNanos = new AtomicLong();
    private final AtomicLong lastDurationNanos = new AtomicLong();
    private final AtomicLong lastEndNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong postponed = new AtomicLong();
    private final AtomicLong pendingStep = new AtomicLong(-1);
    private final AtomicLong lastSubmittedStep = new AtomicLong(-1);
    private volatile boolean closed;

    private ComplexityMonitor(Builder b) {
        this.estimators = List.copyOf(b.estimators);
        this.history = new HistorySink(b.historyCapacity);
        List<RecordSink> s = new ArrayList<>(b.sinks);
        s.add(history);
        this.sinks = Collections.unmodifiableList(s);
        this.schedule = b.schedule;
        this.maxOverhead = b.maxOverhead;
        if (b.async) {
            executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> {
                Thread t = new Thread(r, "grok-metrics-monitor");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.AbortPolicy());
        } else {
            executor = null;
        }
    }

    /**
     * Starts a monitor's configuration.
     *
     * @return a new builder with the defaults of {@link Builder}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; defaults: no estimators, every 100 steps, synchronous, history of 10,000 records. */
    public static final class Builder {
        private final List<ComplexityEstimator> estimators = new ArrayList<>();
        private final List<RecordSink> sinks = new ArrayList<>();
        private Schedule schedule = Schedule.everySteps(100);
        private boolean async;
        private int historyCapacity = 10_000;
        private double maxOverhead;

        /**
         * Adds an estimator to run at every measurement.
         *
         * @param e the estimator (not null); its name must differ from the others'
         * @return this builder
         */
        public Builder estimator(ComplexityEstimator e) {
            estimators.add(Objects.requireNonNull(e, "estimator"));
            return this;
        }

        /**
         * Adds estimators to run at every measurement, in order.
         *
         * @param es the estimators (none null); their names must differ
         * @return this builder
         */
        public Builder estimators(List<? extends ComplexityEstimator> es) {
            es.forEach(this::estimator);
            return this;
        }

        /**
         * Adds a sink that receives every record, in order, after the records before it.
         *
         * @param s the sink (not null)
         * @return this builder
         */
        public Builder sink(RecordSink s) {
            sinks.add(Objects.requireNonNull(s, "sink"));
            return this;
        }

        /**
         * Sets when measurements are due (default: every 100 steps).
         *
         * @param s the schedule (not null)
         * @return this builder
         */
        public Builder schedule(Schedule s) {
            schedule = Objects.requireNonNull(s, "schedule");
            return this;
        }

        /**
         * Evaluate on a background thread (skipping measurements while one is running).
         *
         * @param on true for a background thread, false (the default) to evaluate on the caller's thread
         * @return this builder
         */
        public Builder async(boolean on) {
            async = on;
            return this;
        }

        /**
         * Records kept in {@link ComplexityMonitor#history()}.
         *
         * @param n the number of most recent records kept, {@code >= 1} (default 10,000)
         * @return this builder
         * @throws IllegalArgumentException if &lt; 1
         */
        public Builder historyCapacity(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("historyCapacity must be >= 1, was " + n);
            }
            historyCapacity = n;
            return this;
        }

        /**
         * Keep the time spent measuring under {@code fraction} of the wall time: a measurement the schedule asks
         * for is postponed (the interval stretches) while the time since the previous measurement ended is less
         * than that measurement's duration &times; (1 &minus; fraction) / fraction. Postponed measurements are
         * counted ({@link ComplexityMonitor#postponed()}), the first is logged, and a listener measures once more
         * at the end ({@link ComplexityMonitor#finalMeasurementPending()}) so the last state is never lost.
         * 0 (the default) switches it off.
         *
         * @param fraction the largest share of wall time spent measuring, in [0, 1); 0 for no limit
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 1)
         */
        public Builder maxOverhead(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("maxOverhead must be in [0, 1) (a fraction of the training time), was "
                        + fraction);
            }
            maxOverhead = fraction;
            return this;
        }

        /**
         * A new builder with this one's estimators, sinks, schedule, mode and history capacity, so that a
         * builder of options (a listener's) can hand out one monitor builder per monitor it builds.
         *
         * @return the independent copy, with the same maximum overhead too
         */
        public Builder copy() {
            Builder b = new Builder();
            b.estimators.addAll(estimators);
            b.sinks.addAll(sinks);
            b.schedule = schedule;
            b.async = async;
            b.historyCapacity = historyCapacity;
            b.maxOverhead = maxOverhead;
            return b;
        }

        /**
         * Makes the monitor; in asynchronous mode it owns a daemon thread until {@link ComplexityMonitor#close()}.
         *
         * @return the monitor
         * @throws IllegalArgumentException if two estimators have the same name
         */
        public ComplexityMonitor build() {
            Set<String> names = new java.util.HashSet<>();
            for (ComplexityEstimator e : estimators) {
                if (!names.add(e.name())) {
                    throw new IllegalArgumentException("two estimators named '" + e.name() + "'");
                }
            }
            return new ComplexityMonitor(this);
        }
    }

    /**
     * When measurements are due.
     *
     * @return the builder's schedule
     */
    public Schedule schedule() {
        return schedule;
    }

    /**
     * The estimators run at each measurement.
     *
     * @return the estimators, in the order added (unmodifiable)
     */
    public List<ComplexityEstimator> estimators() {
        return estimators;
    }

    /**
     * Whether a measurement is due after {@code step} steps: the schedule asks for one and, with
     * {@link Builder#maxOverhead}, the overhead allows it (else it is postponed).
     *
     * @param step the optimiser steps done so far
     * @return whether to measure now; false once closed
     */
    public boolean dueAfterStep(long step) {
        return !closed && schedule.dueAfterStep(step, System.nanoTime(), lastNanos.get()) && overheadAllows(step);
    }

    /**
     * Whether a measurement is due at the end of epoch number {@code epochs}, at {@code step} steps.
     *
     * @param epochs the epochs completed so far
     * @param step   the optimiser steps done so far (for postponement's bookkeeping)
     * @return whether to measure now; false once closed or while {@link Builder#maxOverhead} postpones it
     */
    public boolean dueAfterEpoch(int epochs, long step) {
        return !closed && schedule.dueAfterEpoch(epochs) && overheadAllows(step);
    }

    /**
     * Whether the schedule asks for a measurement at the end of epoch number {@code epochs}.
     *
     * @param epochs the epochs completed so far
     * @return whether the schedule asks for one, ignoring the overhead limit; false once closed
     */
    public boolean dueAfterEpoch(int epochs) {
        return !closed && schedule.dueAfterEpoch(epochs);
    }

    private boolean overheadAllows(long step) {
        if (maxOverhead == 0) {
            return true;
        }
        long last = lastDurationNanos.get();
        long since = System.nanoTime() - lastEndNanos.get();
        if (last == 0 || since * maxOverhead >= last * (1 - maxOverhead)) {
            return true;
        }
        pendingStep.set(step);
        if (postponed.getAndIncrement() == 0) {
            LOG.info("grok-metrics: maxOverhead {}: postponed the measurement at step {} (the last one took {} s; the "
                    + "next waits for {} s of training after it); further postponements are counted, not logged",
                    maxOverhead, step, String.format(java.util.Locale.ROOT, "%.3f", last / 1e9),
                    String.format(java.util.Locale.ROOT, "%.3f", last * (1 - maxOverhead) / maxOverhead / 1e9));
        }
        return false;
    }

    /**
     * Measurements the schedule asked for and {@link Builder#maxOverhead} postponed.
     *
     * @return the number of postponements so far, {@code >= 0}
     */
    public long postponed() {
        return postponed.get();
    }

    /**
     * Whether a postponed measurement has not been made up for since: the listener then measures once more when
     * training ends, so the final state is always recorded.
     *
     * @return whether a postponed step is later than the last submitted one; false once closed
     */
    public boolean finalMeasurementPending() {
        return !closed && pendingStep.get() > lastSubmittedStep.get();
    }

    /**
     * Wall time spent evaluating measurements so far, in nanoseconds.
     *
     * @return the total evaluation time, in nanoseconds
     */
    public long measuredNanos() {
        return measuredNanos.get();
    }

    /**
     * Evaluates a captured measurement now (synchronous) or in the background (asynchronous).
     * Never throws, except the errors {@link Failures} propagates.
     *
     * @param step  the optimiser steps done when {@code m} was captured, recorded as the record's step
     * @param epoch the epoch recorded with it
     * @param m     the captured weights, oracles and metrics; ignored once closed
     */
    public void submit(long step, int epoch, Measurement m) {
        if (closed) {
            return;
        }
        lastNanos.set(System.nanoTime());
        lastSubmittedStep.accumulateAndGet(step, Math::max);
        if (executor == null) {
            evaluate(step, epoch, m);
            return;
        }
        // the worker takes the measurement out of the task, so nothing keeps it once it is evaluated
        AtomicReference<Measurement> task = new AtomicReference<>(m);
        try {
            executor.execute(() -> evaluate(step, epoch, task.getAndSet(null)));
        } catch (RejectedExecutionException e) {
            if (skipped.getAndIncrement() == 0) {
                LOG.warn("grok-metrics: skipped the measurement at step {} because the previous one is still running; "
                        + "measure less often or use fewer estimators (further skips are counted, not logged)", step);
            }
        } catch (Throwable t) {
            // e.g. OutOfMemoryError "unable to create native thread"
            task.set(null);
            contain("start the measurement", step, t);
        }
    }

    /**
     * Evaluates a measurement on the calling thread, hands the record to the sinks and returns it (null if
     * even the record could not be made). Failures are logged once per (source, kind), after the
     * measurement's references are dropped. Never throws, except the errors {@link Failures} propagates.
     */
    ComplexityRecord evaluate(long step, int epoch, Measurement m) {
        long start = System.nanoTime();
        List<Failure> failures = new ArrayList<>(2);
        ComplexityRecord record;
        try {
            record = measure(step, epoch, m, failures);
        } catch (Throwable t) {
            record = null;
            failures.add(new Failure("measurement", "measurement", "nothing recorded", Failures.contain(t)));
        }
        m = null; // after an OutOfMemoryError, the logging below must not keep the weights' copy alive
        if (record != null) {
            for (RecordSink s : sinks) {
                if (!brokenSinks.contains(s)) {
                    accept(s, record, failures);
                }
            }
        }
        for (Failure f : failures) {
            logOnce(f.key() + "/" + Failures.kind(f.reason()),
                    "grok-metrics: {} failed at step {}: {} ({}; further failures of this kind are not logged)",
                    f.source(), step, f.reason(), f.consequence());
        }
        long end = System.nanoTime();
        measuredNanos.addAndGet(end - start);
        lastDurationNanos.set(end - start);
        lastEndNanos.set(end);
        return record;
    }

    /**
     * A contained failure, logged once per key and kind of reason.
     *
     * @param key         what failed, uniquely (an estimator's name, a sink's identity)
     * @param source      what failed, for the log line
     * @param consequence what the monitor did about it
     * @param reason      {@link Failures#reason(Throwable)} or a failed estimate's reason
     */
    private record Failure(String key, String source, String consequence, String reason) {
    }

    /** Metrics and estimates of one measurement; failures are added to the list. */
    private ComplexityRecord measure(long step, int epoch, Measurement m, List<Failure> failures) {
        Metrics metrics;
        try {
            metrics = m.metrics();
        } catch (Throwable t) {
            failures.add(new Failure("metrics", "loss/accuracy", "recorded as NaN", Failures.contain(t)));
            metrics = Metrics.NONE;
        }
        EstimationContext ctx = null;
        String ctxFailure = null;
        try {
            ctx = m.context();
        } catch (Throwable t) {
            String reason = Failures.contain(t);
            ctxFailure = "could not capture the model: " + reason;
            failures.add(new Failure("context", "capturing the model", "every estimate recorded as NaN", reason));
        }
        List<ComplexityEstimate> results = new ArrayList<>(estimators.size());
        for (ComplexityEstimator est : estimators) {
            ComplexityEstimate r = ctx == null
                    ? ComplexityEstimate.failed(est.name(), est.unit(), ctxFailure, null)
                    : est.estimateSafely(ctx);
            if (ctx != null && r.failure().isPresent()) {
                failures.add(new Failure("estimator " + est.name(), "estimator " + est.name(), "recorded as NaN",
                        r.failure().get()));
            }
            results.add(r);
        }
        return new ComplexityRecord(step, epoch, (System.nanoTime() - startNanos) / 1_000_000,
                metrics.trainLoss(), metrics.trainAccuracy(), metrics.validationLoss(), metrics.validationAccuracy(),
                results, metrics.lossUnit());
    }

    /** Hands the record to a sink; a sink that fails is switched off. */
    private void accept(RecordSink s, ComplexityRecord record, List<Failure> failures) {
        try {
            s.accept(record);
        } catch (Throwable t) {
            brokenSinks.add(s);
            failures.add(new Failure("sink " + System.identityHashCode(s), "sink " + s, "switched off",
                    Failures.contain(t)));
        }
    }

    /**
     * Contains a failure of the adapter around this monitor (capturing the model, its own bookkeeping) by the
     * policy of {@link Failures}: logs it once per ({@code what}, kind of failure) and returns, so the
     * training goes on. Never throws, except the errors {@link Failures} propagates.
     *
     * @param what what failed, e.g. {@code "capture the model"}
     * @param step the step it failed at (-1 when closing)
     * @param t    what was thrown
     */
    public void contain(String what, long step, Throwable t) {
        String reason = Failures.contain(t);
        logOnce(what + "/" + Failures.kind(reason),
                "grok-metrics: could not {} at step {}: {} (further failures of this kind are not logged)",
                what, step, reason);
    }

    private void logOnce(String key, String format, Object... args) {
        if (reportedFailures.add(key)) {
            LOG.warn(format, args);
        }
    }

    /**
     * The last records (bounded by the history capacity), oldest first.
     *
     * @return a copy of the kept records, oldest first
     */
    public List<ComplexityRecord> history() {
        return history.records();
    }

    /**
     * Measurements skipped in asynchronous mode because the previous one was still running.
     *
     * @return the number skipped so far, {@code >= 0}; always 0 in synchronous mode
     */
    public long skipped() {
        return skipped.get();
    }

    /**
     * Waits for a running measurement (up to {@code timeout}) without closing.
     *
     * @param timeout the longest wait; returns at once in synchronous mode
     */
    public void awaitIdle(java.time.Duration timeout) {
        if (executor == null) {
            return;
        }
        long end = System.nanoTime() + timeout.toNanos();
        while ((executor.getActiveCount() > 0 || !executor.getQueue().isEmpty()) && System.nanoTime() < end) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits for the last measurement (at most 10 minutes) and closes the sinks. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (maxOverhead > 0) {
            long elapsed = System.nanoTime() - startNanos;
            LOG.info("grok-metrics: maxOverhead {}: {} measurements postponed; measuring took {} s of {} s ({}%)",
                    maxOverhead, postponed.get(), String.format(java.util.Locale.ROOT, "%.3f", measuredNanos.get() / 1e9),
                    String.format(java.util.Locale.ROOT, "%.3f", elapsed / 1e9),
                    String.format(java.util.Locale.ROOT, "%.1f", 100.0 * measuredNanos.get() / Math.max(1, elapsed)));
        }
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(10, TimeUnit.MINUTES)) {
                    LOG.warn("grok-metrics: a measurement was still running after 10 minutes; closing without it");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (RecordSink s : sinks) {
            try {
                s.close();
            } catch (Throwable t) {
                contain("close sink " + s, -1, t);
            }
        }
    }
}
