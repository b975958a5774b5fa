package org.grokmetrics.monitor;

import java.util.ArrayDeque;
import java.util.List;

/** Keeps the last {@code capacity} records in memory. Thread-safe. */
public final class HistorySink implements RecordSink {

    private final int capacity;
    private final ArrayDeque<ComplexityRecord> records = new ArrayDeque<>();

    /**
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

    /** A copy of the kept records, oldest first. */
    public synchronized List<ComplexityRecord> records() {
        return List.copyOf(records);
    }

    public int capacity() {
        return capacity;
    }
}
