package org.grokmetrics.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/**
 * The outcome of one {@code grok} command line run in-process, with its stdout and stderr captured: what the
 * CLI tests assert on.
 *
 * @param code the exit code
 * @param out  everything written to stdout
 * @param err  everything written to stderr
 */
record CliRun(int code, String out, String err) {

    /** Runs {@code grok ARGS...} through {@link GrokCli#commandLine()}. */
    static CliRun of(String... args) {
        CommandLine cl = GrokCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
