package org.grokmetrics.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.grokmetrics.examples.plot.Charts;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grok plot DIR...}: redraws run folders' charts, or compares several runs. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Redraws the PNG charts of a run folder from its metrics.jsonl and rate_distortion.csv.",
            "With --compare, draws one chart comparing several runs (DeMoss et al.'s conditions chart): accuracy, "
                + "coarse-grained complexity with the naive size, effective rank, total description length, gain."},
        footer = {"", "Examples:", "  grok plot runs/demo",
            "  grok plot --compare runs/a runs/b --names unregularized,ours --out compare.png"})
final class PlotCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "run folders written by train, demo or reproduce")
    List<Path> dirs;

    @Option(names = "--compare", description = "draw one comparison chart of all DIRs instead of each folder's charts")
    boolean compare;

    @Option(names = "--names", split = ",", description = "legend names for --compare (default: the folder names)")
    List<String> names;

    @Option(names = "--out", defaultValue = "compare.png", description = "--compare output file (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!compare) {
            for (Path dir : dirs) {
                for (Path p : Charts.drawAll(dir)) {
                    System.out.println("wrote " + p);
                }
            }
            return 0;
        }
        if (names != null && names.size() != dirs.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--names has " + names.size() + " names for "
                    + dirs.size() + " folders");
        }
        Charts.requireWritable(out);
        Map<String, Path> runs = new LinkedHashMap<>();
        for (int i = 0; i < dirs.size(); i++) {
            runs.put(names != null ? names.get(i) : String.valueOf(dirs.get(i).getFileName()), dirs.get(i));
        }
        System.out.println("wrote " + Charts.compareConditions("comparison", runs, out));
        return 0;
    }
}
