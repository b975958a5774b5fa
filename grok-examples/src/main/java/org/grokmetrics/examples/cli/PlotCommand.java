package org.grokmetrics.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.grokmetrics.examples.plot.Charts;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code grok plot DIR}: redraws a run folder's charts. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Redraws the PNG charts of a run folder from its metrics.jsonl and rate_distortion.csv.",
        footer = {"", "Example:", "  grok plot runs/demo"})
final class PlotCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "a run folder written by train or demo")
    Path dir;

    @Override
    public Integer call() throws Exception {
        for (Path p : Charts.drawAll(dir)) {
            System.out.println("wrote " + p);
        }
        return 0;
    }
}
