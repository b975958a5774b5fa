package org.grokmetrics.monitor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes records as CSV (RFC 4180 quoting), the header taken from the first record (see
 * docs/monitoring.md for the columns). Each row is flushed, so a crash loses nothing. Not thread-safe
 * on its own; the monitor calls it from one thread at a time.
 */
public final class CsvSink implements RecordSink {

    private final Path file;
    private BufferedWriter out;
    private List<String> header;

    private CsvSink(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * A sink that (re)creates {@code file} at the first record.
     *
     * @param file the CSV file, truncated if it exists; its parent folders are created (not null)
     * @return the sink; nothing is written before the first record
     */
    public static CsvSink to(Path file) {
        return new CsvSink(file);
    }

    @Override
    public void accept(ComplexityRecord r) throws IOException {
        if (out == null) {
            out = RecordSink.createFile(file);
            header = Columns.header(r);
            writeRow(header);
        }
        writeRow(Columns.cells(header, r));
        out.flush();
    }

    private void writeRow(List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(cells.get(i)));
        }
        out.write('\n');
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }

    @Override
    public String toString() {
        return "csv:" + file;
    }
}
