package org.grokmetrics.monitor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.grokmetrics.api.ComplexityEstimate;

/**
 * Writes records as a TensorBoard event file ({@code events.out.tfevents.<seconds>.grok-metrics.<pid>.<n>})
 * in a folder, so that {@code tensorboard --logdir <folder or its parent>} shows every measure, loss and
 * accuracy against the training step while training runs: each record is flushed as it is written.
 *
 * <p>Scalars, one per record and tag (float32, as TensorBoard stores them):
 * {@code loss/train}, {@code loss/validation}, {@code accuracy/train}, {@code accuracy/validation};
 * per estimator {@code <estimator>} (its value, in its unit: bits, nats, …), {@code <estimator>/<detail>}
 * for each detail and {@code <estimator>/seconds} (its wall time). A value that is NaN or infinite (not
 * measured, or a failed estimate) is left out: TensorBoard cannot carry the reason, which the CSV and
 * JSON-lines sinks keep. The file format is in {@link TfEvents}; docs/monitoring.md has the tags.
 * Not thread-safe on its own; the monitor calls it from one thread at a time.
 */
public final class TensorBoardSink implements RecordSink {

    /** Distinguishes the files of sinks started in the same second by the same process. */
    private static final AtomicInteger FILES = new AtomicInteger();

    private final Path folder;
    private final Clock clock;
    private OutputStream out;
    private Path file;

    private TensorBoardSink(Path folder, Clock clock) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A sink that creates a new event file in {@code folder} (and the folder) at the first record.
     *
     * @param folder the log folder, e.g. a run folder that {@code tensorboard --logdir} points at
     * @return the sink
     */
    public static TensorBoardSink in(Path folder) {
        return new TensorBoardSink(folder, Clock.systemUTC());
    }

    /** As {@link #in(Path)}, with the clock that stamps each event's wall time (tests). */
    static TensorBoardSink in(Path folder, Clock clock) {
        return new TensorBoardSink(folder, clock);
    }

    /**
     * The scalars of a record, tag to value, in the order they are written (finite values only).
     *
     * @param r the record
     * @return tag to value
     */
    public static Map<String, Double> scalars(ComplexityRecord r) {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "loss/train", r.trainLoss());
        put(m, "loss/validation", r.validationLoss());
        put(m, "accuracy/train", r.trainAccuracy());
        put(m, "accuracy/validation", r.validationAccuracy());
        for (ComplexityEstimate e : r.estimates()) {
            put(m, e.estimator(), e.value());
            e.details().forEach((k, v) -> put(m, e.estimator() + "/" + k, v));
            put(m, e.estimator() + "/seconds", e.cost().wallNanos() / 1e9);
        }
        return m;
    }

    private static void put(Map<String, Double> m, String tag, double v) {
        if (Double.isFinite(v)) {
            m.put(tag, v);
        }
    }

    /**
     * The event file, once the first record created it.
     *
     * @return the file, or null before the first record
     */
    public Path file() {
        return file;
    }

    @Override
    public void accept(ComplexityRecord r) throws IOException {
        double now = clock.millis() / 1000.0;
        if (out == null) {
            Files.createDirectories(folder);
            file = folder.resolve("events.out.tfevents." + (long) now + ".grok-metrics."
                    + ProcessHandle.current().pid() + "." + FILES.incrementAndGet());
            out = new BufferedOutputStream(Files.newOutputStream(file));
            out.write(TfEvents.record(TfEvents.fileVersionEvent(now)));
        }
        Map<String, Float> values = new LinkedHashMap<>();
        scalars(r).forEach((k, v) -> {
            float f = (float) v.doubleValue();
            if (Float.isFinite(f)) {   // beyond float32's range: left out rather than written as infinity
                values.put(k, f);
            }
        });
        out.write(TfEvents.record(TfEvents.scalarsEvent(now, r.step(), values)));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }

    @Override
    public String toString() {
        return "tensorboard:" + folder;
    }
}
