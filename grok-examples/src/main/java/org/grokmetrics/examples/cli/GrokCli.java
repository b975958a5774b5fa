package org.grokmetrics.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code grok} command line.
 *
 * <p>Errors are one line on stderr, {@code grok COMMAND: what is wrong}, never a stack trace, with the
 * exit codes of README's table: 0 success; 1 the command failed (a file that cannot be read or written or is
 * not valid, a failure while running); 2 the command line is wrong (an unknown option, a value of the wrong
 * type, out of its range or not finite, a missing argument: nothing ran).
 */
@Command(name = "grok", mixinStandardHelpOptions = true, versionProvider = GrokVersion.class,
        description = "Measure how complex a neural network is while it trains: coarse-grained complexity "
                + "(a rate-distortion bound in bits), linear mapping number, pruning MDL and spectral entropy.",
        footer = {"", "Exit codes: 0 success; 1 the command failed (unreadable or invalid file, failure while running);",
            "2 the command line is wrong (unknown option, a value of the wrong type or out of range)."},
        subcommands = {DemoCommand.class, TrainCommand.class, ReproduceCommand.class, PlotCommand.class, InspectCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class GrokCli implements Runnable {

    /** The command failed. */
    public static final int FAILED = 1;
    /** The command line is wrong; nothing ran. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with the project's one-line error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new GrokCli());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(ex));
            err.flush();
            return FAILED;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println(c.getCommandSpec().qualifiedName() + ": " + printable(String.valueOf(ex.getMessage()).strip())
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USAGE;
        });
        return cl;
    }

    /**
     * Builds something from the options, turning an {@link IllegalArgumentException} (a value out of range)
     * into a usage error: one line, exit code {@value #USAGE}.
     */
    static <T> T fromOptions(CommandLine.Model.CommandSpec spec, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException u && u.getCause() != null) {
            return describe(u.getCause());
        }
        if (ex instanceof NoSuchFileException nsf) {
            return printable("no such file: " + nsf.getFile() + (nsf.getReason() == null ? "" : " (" + nsf.getReason() + ")"));
        }
        if (ex instanceof AccessDeniedException ade) {
            return printable("permission denied: " + ade.getFile());
        }
        if (ex instanceof FileSystemException fse) {
            return printable(fse.getFile() + ": " + (fse.getReason() == null ? fse.getClass().getSimpleName() : fse.getReason()));
        }
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            return ex.getClass().getSimpleName() + (ex.getCause() != null ? ": " + describe(ex.getCause()) : "");
        }
        return printable(msg.strip()) + (ex instanceof IOException && !(ex instanceof FileSystemException)
                ? " (" + ex.getClass().getSimpleName() + ")" : "");
    }

    /**
     * Control characters (line breaks included) and other invisible ones escaped as \\uXXXX: the message stays
     * one line and nothing raw (an ANSI escape in a name) reaches the terminal.
     */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.UNASSIGNED) {
                b.append(String.format("\\u%04X", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
