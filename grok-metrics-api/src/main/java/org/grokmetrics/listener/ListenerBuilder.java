package org.grokmetrics.listener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.monitor.ComplexityMonitor;
import org.grokmetrics.monitor.CsvSink;
import org.grokmetrics.monitor.JsonLinesSink;
import org.grokmetrics.monitor.LogSink;
import org.grokmetrics.monitor.RecordSink;
import org.grokmetrics.monitor.TensorBoardSink;
import org.grokmetrics.monitor.Schedule;

/**
 * The options every framework's training listener shares, in one builder: estimators (with the
 * {@link DefaultEstimators default set}), schedule, &epsilon;, sinks, history capacity, asynchronous mode
 * and the number of LMN sample points. Adapters extend it with their data types and their own schedule
 * and LMN options, and build their {@link ComplexityMonitor} with {@link #monitorBuilder(boolean, boolean)}.
 *
 * <p>One owner per option: the schedule, sinks, history capacity and asynchronous mode go straight to a
 * {@link ComplexityMonitor.Builder}, which validates them; &epsilon; goes to {@link DefaultEstimators}. A
 * bad value fails at the option's call with an {@link IllegalArgumentException} whose one-line message
 * names the option, e.g. {@code historyCapacity must be >= 1, was 0}.
 *
 * <p>Defaults: every 100 steps, synchronous, history of 10,000 records, no files; estimators
 * {@link DefaultEstimators#standard()}. Not thread-safe (a builder); it may build several listeners.
 *
 * @param <B> the adapter's builder type, returned by every option for chaining
 */
public abstract class ListenerBuilder<B extends ListenerBuilder<B>> {

    private final ComplexityMonitor.Builder monitor = ComplexityMonitor.builder();
    private final List<ComplexityEstimator> estimators = new ArrayList<>();
    private boolean defaults = true;
    private DefaultEstimators defaultSet = DefaultEstimators.standard();
    private int lmnPoints = 256;
    private int subsetSize;
    private long subsetSeed;

    /**
     * This builder, typed for chaining.
     *
     * @return {@code this}, as the adapter's builder type
     */
    protected abstract B self();

    /**
     * Use these estimators instead of the defaults.
     *
     * @param list the estimators, run in this order before any added by {@link #estimator}
     * @return this builder
     */
    public B estimators(List<? extends ComplexityEstimator> list) {
        defaults = false;
        estimators.addAll(list);
        return self();
    }

    /**
     * Add an estimator to the defaults (or to the list given).
     *
     * @param e the estimator (not null); its name must differ from the others'
     * @return this builder
     */
    public B estimator(ComplexityEstimator e) {
        estimators.add(Objects.requireNonNull(e, "estimator"));
        return self();
    }

    /**
     * Measure after every {@code n} optimiser steps.
     *
     * @param n the number of steps between measurements, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if n &lt; 1
     */
    protected B everySteps(int n) {
        return schedule(Schedule.everySteps(n));
    }

    /**
     * Measure at the end of every {@code n}-th epoch.
     *
     * @param n the number of epochs between measurements, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if n &lt; 1
     */
    public B everyEpochs(int n) {
        return schedule(Schedule.everyEpochs(n));
    }

    /**
     * Measure at the first step after each {@code d} of wall time.
     *
     * @param d the interval, positive
     * @return this builder
     * @throws IllegalArgumentException if d is not positive
     */
    public B every(Duration d) {
        return schedule(Schedule.every(d));
    }

    /**
     * Any schedule, e.g. {@link Schedule#logSpaced(int)} for log-axis plots.
     *
     * @param s the schedule (not null)
     * @return this builder
     */
    public B schedule(Schedule s) {
        monitor.schedule(s);
        return self();
    }

    /**
     * Coarse-grained complexity with this &epsilon; instead of 1 in the defaults.
     *
     * @param eps the loss tolerance &epsilon;, in nats
     * @return this builder
     * @throws IllegalArgumentException if not finite and &gt; 0
     */
    public B epsilon(double eps) {
        defaultSet = defaultSet.withEpsilon(eps);
        return self();
    }

    /**
     * Write every record to a CSV file ({@link CsvSink}).
     *
     * @param file the file, (re)created at the first record
     * @return this builder
     */
    public B csv(Path file) {
        return sink(CsvSink.to(file));
    }

    /**
     * Write every record to a JSON Lines file ({@link JsonLinesSink}).
     *
     * @param file the file, (re)created at the first record
     * @return this builder
     */
    public B jsonLines(Path file) {
        return sink(JsonLinesSink.to(file));
    }

    /**
     * A TensorBoard event file in {@code folder} (created at the first record, flushed per record), so that
     * {@code tensorboard --logdir folder} shows every measure, loss and accuracy live: {@link TensorBoardSink}.
     *
     * @param folder the log folder, e.g. the run folder
     * @return this builder
     */
    public B tensorBoard(Path folder) {
        return sink(TensorBoardSink.in(folder));
    }

    /**
     * One SLF4J INFO line per measurement.
     *
     * @return this builder
     */
    public B log() {
        return sink(new LogSink());
    }

    /**
     * Send every record to a sink of one's own as well.
     *
     * @param s the sink (not null)
     * @return this builder
     */
    public B sink(RecordSink s) {
        monitor.sink(s);
        return self();
    }

    /**
     * Records kept in the listener's history (default 10,000).
     *
     * @param n the number of most recent records kept, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if &lt; 1
     */
    public B historyCapacity(int n) {
        monitor.historyCapacity(n);
        return self();
    }

    /**
     * Bound on the listener's history.
     *
     * @param n the number of most recent records kept, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if &lt; 1
     * @deprecated the same option as {@link #historyCapacity(int)}, under the monitor's name: use that
     */
    @Deprecated(since = "0.1.0")
    public B historySize(int n) {
        return historyCapacity(n);
    }

    /**
     * Keep measurement time under {@code fraction} of the training's wall time (e.g. 0.10): a due measurement is
     * postponed while the training since the previous one is shorter than that one took &times; (1 &minus;
     * fraction) / fraction, so the interval stretches on its own; the first postponement and a summary at
     * {@code close()} are logged (INFO), and the final state is measured when training ends (DJL) or at the
     * listener's {@code close()} (DL4J) if the last due measurement was postponed. Default 0: off.
     *
     * @param fraction the largest share of wall time spent measuring, in [0, 1); 0 for no limit
     * @return this builder
     * @throws IllegalArgumentException if not in [0, 1)
     */
    public B maxOverhead(double fraction) {
        monitor.maxOverhead(fraction);
        return self();
    }

    /**
     * Evaluate on a background thread on a copy of the weights (skipping while one is running).
     *
     * @param on true for a background thread, false (the default) for the training thread
     * @return this builder
     */
    public B async(boolean on) {
        monitor.async(on);
        return self();
    }

    /**
     * Sample points for LMN (default 256).
     *
     * @param n the number of training examples whose representations are LMN's points, {@code >= 2}
     * @return this builder
     * @throws IllegalArgumentException if &lt; 2
     */
    public B lmnPoints(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("lmnPoints must be >= 2, was " + n);
        }
        lmnPoints = n;
        return self();
    }

    /**
     * Evaluate the train loss, train accuracy and the loss oracle on a fixed sample of {@code k} training
     * examples, drawn once when the listener is built, with a generator of its own seeded by {@code seed} (the
     * training's random generators are not touched), so the cost of a measurement stays the user's choice on a
     * big train set. Description lengths still use the full train set's size. Default: all examples.
     *
     * @param k    the sample size, {@code >= 1} (all examples if the set has fewer)
     * @param seed the seed of the sampling generator
     * @return this builder
     * @throws IllegalArgumentException if k &lt; 1
     */
    public B trainSubset(int k, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("trainSubset size must be >= 1, was " + k);
        }
        subsetSize = k;
        subsetSeed = seed;
        return self();
    }

    /**
     * The train subset's size, if {@link #trainSubset} was asked for.
     *
     * @return the size, empty for the whole train set
     */
    protected java.util.OptionalInt trainSubsetSize() {
        return subsetSize > 0 ? java.util.OptionalInt.of(subsetSize) : java.util.OptionalInt.empty();
    }

    /**
     * The train subset's seed ({@link #trainSubset}).
     *
     * @return the seed, 0 if {@link #trainSubset} was not called
     */
    protected long trainSubsetSeed() {
        return subsetSeed;
    }

    /**
     * The LMN sample points asked for (default 256).
     *
     * @return the number of points, {@code >= 2}
     */
    public int lmnPointCount() {
        return lmnPoints;
    }

    /**
     * A new monitor builder with these options: the default estimators (coarse-grained only with train
     * data, LMN only if {@code lmn}) unless {@link #estimators} replaced them, then the added ones, and the
     * sinks.
     *
     * @param hasTrainData whether the listener has train data (a train-loss oracle)
     * @param lmn          whether the listener measures LMN
     * @return an independent builder, to which the adapter adds its own sinks
     */
    protected ComplexityMonitor.Builder monitorBuilder(boolean hasTrainData, boolean lmn) {
        List<ComplexityEstimator> list = new ArrayList<>();
        if (defaults) {
            list.addAll(defaultSet.select(hasTrainData, lmn));
        }
        list.addAll(estimators);
        return monitor.copy().estimators(list);
    }
}
