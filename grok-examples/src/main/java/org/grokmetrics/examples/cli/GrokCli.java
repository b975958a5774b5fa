package org.grokmetrics.examples.cli;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code grok} command line. */
@Command(name = "grok", mixinStandardHelpOptions = true, versionProvider = GrokVersion.class,
        description = "Measure how complex a neural network is while it trains: coarse-grained complexity "
                + "(a rate-distortion bound in bits), linear mapping number, pruning MDL and spectral entropy.",
        subcommands = {DemoCommand.class, TrainCommand.class, ReproduceCommand.class, PlotCommand.class, InspectCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class GrokCli implements Runnable {

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
            return 1;
        });
        return cl;
    }

    static String describe(Exception ex) {
        if (ex instanceof NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile();
        }
        String msg = ex.getMessage();
        return msg == null ? ex.getClass().getSimpleName() : msg;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
