package org.grokmetrics.monitor;

import java.io.IOException;

/**
 * Receives measurements. Implementations may throw {@link IOException}; the monitor logs the first
 * failure of a sink once and stops using it, so a full disk never interrupts training.
 */
public interface RecordSink extends AutoCloseable {

    /** Takes one record. */
    void accept(ComplexityRecord record) throws IOException;

    /** Flushes and releases resources. */
    @Override
    default void close() throws IOException {
    }
}
