package org.grokmetrics.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what is written to {@code System.err} while it is open, still passing it on: the tests' SLF4J
 * binding (slf4j-simple) writes there, so a test can count the log lines a run produced. Close it to
 * restore the original stream.
 */
public final class StdErrCapture implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private StdErrCapture() {
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                captured.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                original.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                original.flush();
            }
        }, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing. */
    public static StdErrCapture start() {
        return new StdErrCapture();
    }

    /** Everything captured so far. */
    public String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** The number of captured lines that contain {@code fragment}. */
    public long lines(String fragment) {
        return text().lines().filter(l -> l.contains(fragment)).count();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}
