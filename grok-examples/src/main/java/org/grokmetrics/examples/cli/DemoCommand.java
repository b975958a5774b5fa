package org.grokmetrics.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.grokmetrics.examples.train.RunConfig;
import org.grokmetrics.examples.train.Trainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code grok demo}: the flagship run. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The flagship run: the LMN paper's MLP on a+b mod 31 (80%% of pairs for training) memorizes, "
                + "then groks; complexity rises while it memorizes and falls as it generalizes.",
            "Prints a summary and writes charts (curves.png) to the output folder. A few minutes on 2 cores."},
        footer = {"", "Example:", "  grok demo --out runs/demo"})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "runs/demo", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--steps", description = "override the number of steps, in " + RunConfig.STEPS + " (default: the demo's)")
    Integer steps;

    @Option(names = "--no-progress", description = "print one line per measurement instead of a progress bar")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunConfig d = GrokCli.fromOptions(spec, () -> steps == null ? RunConfig.demo() : RunConfig.demo().withSteps(steps));
        System.out.println("grok demo: a+b mod 31, LMN-paper MLP (DL4J), " + d.steps() + " full-batch AdamW steps; "
                + "measuring complexity on a log-spaced schedule -> " + out);
        Trainer.Result r = TrainCommand.run(d, out, noProgress);
        TrainCommand.printSummary(System.out, r);
        return 0;
    }
}
