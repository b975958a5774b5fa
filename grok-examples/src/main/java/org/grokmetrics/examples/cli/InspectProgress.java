package org.grokmetrics.examples.cli;

import java.io.PrintWriter;

/**
 * {@code grok inspect}'s progress on stderr: on a terminal a bar redrawn in place (at most 5 times a
 * second) with the tensors done, elapsed time and ETA; otherwise one line per 10% of the work. Nothing
 * is printed during the first second (a small file finishes before), and a run that ends within it
 * prints nothing. Work is counted in bytes of the tensors plus a fixed amount per tensor, so the ETA
 * is the elapsed time scaled by the work left. Thread-safe.
 */
final class InspectProgress {

    /** Work counted per tensor beyond its bytes (so empty tensors count). */
    static final long PER_TENSOR = 4096;

    /** Nothing is printed before this much time has passed. */
    static final long QUIET_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean enabled;
    private final long totalWork;
    private final int tensors;
    private final long quietNanos;
    private final long start = System.nanoTime();
    private long done;
    private int tensorsDone;
    private int decilePrinted;
    private long lastDraw;
    private boolean drawn;

    InspectProgress(PrintWriter err, boolean terminal, boolean enabled, long totalWork, int tensors) {
        this(err, terminal, enabled, totalWork, tensors, QUIET_NANOS);
    }

    InspectProgress(PrintWriter err, boolean terminal, boolean enabled, long totalWork, int tensors, long quietNanos) {
        this.quietNanos = quietNanos;
        this.err = err;
        this.terminal = terminal;
        this.enabled = enabled;
        this.totalWork = Math.max(1, totalWork);
        this.tensors = tensors;
    }

    /** One tensor finished, of the given work. */
    synchronized void advance(long work) {
        done += work;
        tensorsDone++;
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - start < quietNanos) {
            return;
        }
        double fraction = Math.min(1.0, (double) done / totalWork);
        if (terminal) {
            if (now - lastDraw >= REDRAW_NANOS || tensorsDone == tensors) {
                lastDraw = now;
                drawn = true;
                int filled = (int) Math.round(fraction * 30);
                err.print("\r[" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + line(fraction, now) + "   ");
                if (tensorsDone == tensors) {
                    err.println();
                }
                err.flush();
            }
        } else {
            int decile = (int) Math.floor(fraction * 10 + 1e-9);
            if (decile > decilePrinted) {
                decilePrinted = decile;
                err.println("grok inspect: " + line(fraction, now));
                err.flush();
            }
        }
    }

    /** Ends the bar's line if one was drawn and the run stopped early. */
    synchronized void finish() {
        if (terminal && drawn && tensorsDone < tensors) {
            err.println();
            err.flush();
        }
    }

    private String line(double fraction, long now) {
        double elapsed = (now - start) / 1e9;
        String eta = fraction <= 0 ? "?" : seconds(elapsed * (1 - fraction) / fraction);
        return String.format("%3d%%  %d/%d tensors  %s elapsed  ETA %s", (int) Math.floor(fraction * 100),
                tensorsDone, tensors, seconds(elapsed), eta);
    }

    static String seconds(double s) {
        long t = Math.round(s);
        return t < 60 ? t + " s" : String.format("%d min %02d s", t / 60, t % 60);
    }
}
