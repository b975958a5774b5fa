package org.grokmetrics.monitor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.lmn.LinearMappingNumber;
import org.grokmetrics.lmn.LinearMappingNumberEstimator;
import org.grokmetrics.mdl.PruningMdlEstimator;
import org.grokmetrics.spectral.SpectralEntropyEstimator;

/**
 * The options every framework's training listener shares, in one builder: estimators (with the
 * default set), schedule, &epsilon;, sinks, history bound, asynchronous mode and the number of LMN
 * sample points. Adapters extend it with their data types and their own schedule and LMN options, and
 * build their {@link ComplexityMonitor} with {@link #monitorBuilder(boolean, boolean)}.
 *
 * <p>Defaults: every 100 steps, synchronous, history of 10,000 records, no files; estimators
 * coarse-grained complexity (&epsilon; = 1, when there is train data), spectral entropy, pruning MDL,
 * and the linear mapping number when the adapter asks for it. Not thread-safe (a builder).
 *
 * @param <B> the adapter's builder type, returned by every option for chaining
 */
public abstract class ListenerBuilder<B extends ListenerBuilder<B>> {

    private final List<ComplexityEstimator> estimators = new ArrayList<>();
    private final List<RecordSink> sinks = new ArrayList<>();
    private boolean defaults = true;
    private Schedule schedule = Schedule.everySteps(100);
    private boolean async;
    private int historySize = 10_000;
    private int lmnPoints = 256;
    private double epsilon = 1.0;

    /** This builder, typed for chaining. */
    protected abstract B self();

    /** Use these estimators instead of the defaults. */
    public B estimators(List<? extends ComplexityEstimator> list) {
        defaults = false;
        estimators.addAll(list);
        return self();
    }

    /** Add an estimator to the defaults (or to the list given). */
    public B estimator(ComplexityEstimator e) {
        estimators.add(Objects.requireNonNull(e, "estimator"));
        return self();
    }

    /** Measure after every {@code n} optimiser steps. */
    protected B everySteps(int n) {
        schedule = Schedule.everySteps(n);
        return self();
    }

    public B everyEpochs(int n) {
        schedule = Schedule.everyEpochs(n);
        return self();
    }

    public B every(Duration d) {
        schedule = Schedule.every(d);
        return self();
    }

    /** Any schedule, e.g. {@link Schedule#logSpaced(int)} for log-axis plots. */
    public B schedule(Schedule s) {
        schedule = Objects.requireNonNull(s, "schedule");
        return self();
    }

    /** Coarse-grained complexity with this &epsilon; instead of 1 in the defaults. */
    public B epsilon(double eps) {
        epsilon = eps;
        return self();
    }

    public B csv(Path file) {
        sinks.add(CsvSink.to(file));
        return self();
    }

    public B jsonLines(Path file) {
        sinks.add(JsonLinesSink.to(file));
        return self();
    }

    /** One SLF4J INFO line per measurement. */
    public B log() {
        sinks.add(new LogSink());
        return self();
    }

    public B sink(RecordSink s) {
        sinks.add(Objects.requireNonNull(s, "sink"));
        return self();
    }

    /** Bound on the listener's history. */
    public B historySize(int n) {
        historySize = n;
        return self();
    }

    /** Evaluate on a background thread on a copy of the weights (skipping while one is running). */
    public B async(boolean on) {
        async = on;
        return self();
    }

    /** Sample points for LMN (default 256). */
    public B lmnPoints(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("lmnPoints must be >= 2, was " + n);
        }
        lmnPoints = n;
        return self();
    }

    /** The LMN sample points asked for (default 256). */
    public int lmnPointCount() {
        return lmnPoints;
    }

    /**
     * The monitor these options describe: the default estimators (coarse-grained only with train data, LMN
     * only if {@code lmn}) unless {@link #estimators} replaced them, then the added ones, and the sinks.
     */
    protected ComplexityMonitor.Builder monitorBuilder(boolean hasTrainData, boolean lmn) {
        List<ComplexityEstimator> list = new ArrayList<>();
        if (defaults) {
            if (hasTrainData) {
                list.add(CoarseGrainCompressor.withEpsilon(epsilon));
            }
            list.add(SpectralEntropyEstimator.create());
            list.add(PruningMdlEstimator.create());
            if (lmn) {
                list.add(LinearMappingNumberEstimator.withOptions(LinearMappingNumber.Options.defaults().withSampleCount(0)));
            }
        }
        list.addAll(estimators);
        ComplexityMonitor.Builder mb = ComplexityMonitor.builder().estimators(list).schedule(schedule).async(async)
                .historyCapacity(historySize);
        sinks.forEach(mb::sink);
        return mb;
    }
}
