package org.grokmetrics.monitor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Receives measurements. Implementations may throw {@link IOException} (or anything else that
 * {@link org.grokmetrics.api.Failures} contains, a {@link LinkageError} say); the monitor logs the first
 * failure of a sink once and stops using it, so a full disk never interrupts training.
 */
public interface RecordSink extends AutoCloseable {

    /**
     * Takes one record.
     *
     * @param record the record, after the records measured before it
     * @throws IOException if the record cannot be written; the monitor then stops using this sink
     */
    void accept(ComplexityRecord record) throws IOException;

    /**
     * Creates (or truncates) a UTF-8 text file, with its parent folders: how the file sinks start.
     *
     * @param file the file
     * @return a writer at the start of the empty file
     * @throws IOException if a folder or the file cannot be created
     */
    static BufferedWriter createFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** Flushes and releases resources. */
    @Override
    default void close() throws IOException {
    }
}
