package org.grokmetrics.monitor;

import java.util.ArrayDeque;
import java.util.List;

/** Keeps the last {@code capacity} records in memory. Thread-safe. */
public final class HistorySink implements RecordSink {

    private final int capacity;
    private final ArrayDeque<ComplexityRecord> records = new ArrayDeque<>();

    /**
     * An empty history.
     *
     * @param capacity the number of most recent records kept, {@code >= 1}
     * @throws IllegalArgumentException if capacity &lt; 1
     */
    public HistorySink(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized void accept(ComplexityRecord r) {
        if (records.size() == capacity) {
            records.removeFirst();
        }
        records.addLast(r);
    }

    /**
     * A copy of the kept records, oldest first.
     *
     * @return an unmodifiable copy, at most {@link #capacity()} records, oldest first
     */
    public synchronized List<ComplexityRecord> records() {
        return List.copyOf(records);
    }

    /**
     * The number of records kept.
     *
     * @return the capacity given to the constructor, {@code >= 1}
     */
    public int capacity() {
        return capacity;
    }
}
