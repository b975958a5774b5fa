package org.grokmetrics.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.grokmetrics.examples.djl.TransformerReproductions;
import org.grokmetrics.examples.train.Range;
import org.grokmetrics.examples.train.RunConfig;
import org.grokmetrics.examples.train.Trainer;
import org.grokmetrics.monitor.ComplexityRecord;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grok reproduce lmn|mdl-mlp|demoss|mdl}: the papers' experiments. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Reproduces a paper's experiments, one run folder per run plus a summary table.",
            "lmn:     Liu, Zhong, Tegmark: a+b mod 31, S4 composition, 5-bit XOR; 80%% train, AdamW lr 1e-3 wd 0.2, "
                + "20,000 steps; LMN of the first hidden layer and L2 norm against test loss (Pearson r after memorization).",
            "mdl-mlp: the pruning-MDL study's data on the MLP: a+b, a-b, a/b mod 97 and S5; 50%% train, AdamW lr 1e-3 "
                + "wd 0.5, 7,500 steps; steps to 95%%/99%% validation accuracy, MDL transition, MDL-accuracy correlation.",
            "demoss:  DeMoss et al. on a DJL transformer: a∘b mod 113 (+ × − ÷), unregularized / weight decay / ours "
                + "(wd 1.0 + spectral-entropy loss 0.1 + weight noise); coarse-grained complexity at ε = 1, effective rank, "
                + "naive size, total description length, generalization bound; comparison chart per task.",
            "mdl:     the pruning-MDL study on its transformer (DJL): a+b, a−b, a÷b mod 97 and S5, 50%% train, wd 0.5, "
                + "warm-up 50, batch 512, 7,500 steps, 3 seeds; steps to 95%%/99%% beside the study's."},
        footer = {"", "Examples:", "  grok reproduce lmn --out runs/lmn", "  grok reproduce mdl-mlp --seeds 3 --out runs/mdl",
            "  grok reproduce lmn --steps 3000 --out runs/lmn-quick   (a first look)",
            "  grok reproduce lmn --precision float64 --out runs/lmn64",
            "  grok reproduce demoss --tasks add --out runs/demoss   (cpu scale, three conditions, ~26 min)",
            "  grok reproduce mdl --tasks add --out runs/mdl   (3 seeds, ~45 min)",
            "  GROK_MAVEN_ARGS=-Pcuda ./grok reproduce demoss --device gpu   (paper scale on a GPU, docs/reproductions.md)",
            "  grok reproduce --config runs/mdl/mod97-add-seed0/config.json --out runs/again   (repeat one run)"})
final class ReproduceCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT", description = "lmn, mdl-mlp, demoss or mdl")
    String experiment;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu, for demoss and mdl (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--scale", description = "demoss and mdl: paper, cpu or quick (default: paper with --device gpu, "
            + "cpu otherwise); demoss cpu = 30%% train for every operation and 6,000 steps, paper = the paper's fractions "
            + "and 50,000 steps")
    String scale;

    @Option(names = "--quick", description = "same as --scale quick: a first look (demoss 2,000 steps; mdl 3,000 steps, "
            + "one seed)")
    boolean quick;

    @Option(names = "--tasks", split = ",", description = "only these tasks (demoss: add,mul,sub,div; mdl: add,sub,div,s5)")
    List<String> tasks;

    @Option(names = "--conditions", split = ",", description = "demoss only: unregularized,weight-decay,ours (default: all)")
    List<String> conditions;

    @Option(names = "--config", description = "repeat one transformer run from its config.json (EXPERIMENT not needed)")
    Path config;

    @Option(names = "--out", defaultValue = "runs/reproduce", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--steps", description = "override the paper's number of steps, in " + RunConfig.STEPS)
    Integer steps;

    @Option(names = "--precision", defaultValue = "float32", description = "lmn and mdl-mlp: float32 or float64 "
            + "(default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--model", defaultValue = "paper", description = "lmn and mdl-mlp: the MLP, paper (the LMN "
            + "paper's: shared N(0,1) embedding, PyTorch init, decay on every parameter) or one-hot-linear (the "
            + "earlier model) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--seeds", description = "seeds per task, 0..N-1, N in " + SEEDS
            + " (default: 3 for mdl, 1 otherwise and with --quick)")
    Integer seeds;

    @Option(names = "--no-progress", description = "print one line per measurement instead of a progress bar")
    boolean noProgress;

    /** The experiment's runs with the papers' step counts, or {@code steps} if given. */
    static List<RunConfig> preset(String experiment, Integer steps, long seed) {
        List<RunConfig> runs = paperRuns(experiment, seed);
        return steps == null ? runs : runs.stream().map(c -> c.withSteps(steps)).toList();
    }

    private static List<RunConfig> paperRuns(String experiment, long seed) {
        return switch (experiment) {
            case "lmn" -> {
                // the LMN paper's runs: 80% train, 20,000 steps, AdamW lr 1e-3, wd 0.2, 10 points per decade
                RunConfig.Builder paper = RunConfig.builder().seed(seed).steps(20000).learningRate(1e-3)
                        .weightDecay(0.2).pointsPerDecade(10);
                yield List.of(paper.mod(31, "add").build(), paper.task("s4").p(0).build(),
                        paper.task("xor").p(0).build());
            }
            case "mdl-mlp" -> {
                // the pruning-MDL study's MLP runs: 50% train, 7,500 steps, wd 0.5, groups of 5, no LMN
                RunConfig.Builder study = RunConfig.builder().k(5).trainFraction(0.5).seed(seed).steps(7500)
                        .learningRate(1e-3).weightDecay(0.5).pointsPerDecade(8).lmnPoints(0);
                yield List.of(study.mod(97, "add").build(), study.mod(97, "sub").build(), study.mod(97, "div").build(),
                        study.task("s5").p(0).op("add").build());
            }
            default -> throw new IllegalArgumentException("unknown experiment '" + experiment + "'; known: lmn, mdl-mlp, "
                    + "demoss, mdl");
        };
    }

    /** The valid numbers of seeds. */
    static final String SEEDS = "[1, 100]";

    @Spec
    CommandSpec spec;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws Exception {
        GrokCli.fromOptions(spec, () -> {
            if (steps != null) {
                Range.of(RunConfig.STEPS).check("--steps", (long) steps);
            }
            if (seeds != null) {
                Range.of(SEEDS).check("--seeds", (long) seeds);
            }
            if (!device.equals("cpu") && !device.equals("gpu")) {
                throw new IllegalArgumentException("--device must be cpu or gpu, was '" + device + "'");
            }
            return null;
        });
        if (config != null) {
            return TransformerCommands.repeat(config, out, noProgress);
        }
        if (experiment == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "name an EXPERIMENT (lmn, mdl-mlp, demoss, mdl) or give --config FILE");
        }
        if (experiment.equals("demoss") || experiment.equals("mdl")) {
            String sc = quick ? "quick" : scale != null ? scale : device.equals("gpu") ? "paper" : "cpu";
            int n = seeds != null ? seeds : experiment.equals("mdl") && !sc.equals("quick") ? 3 : 1;
            // validates the tasks, conditions, scale and steps before any work
            GrokCli.fromOptions(spec, () -> TransformerReproductions.runs(experiment, tasks, conditions, steps, sc, 0,
                    device));
            return TransformerCommands.reproduce(experiment, tasks, conditions, steps, sc, n, device, out, noProgress);
        }
        int seeds = this.seeds == null ? 1 : this.seeds;
        // validates the name, the model and the precision before any work
        GrokCli.fromOptions(spec, () -> preset(experiment, steps, 0).get(0).toBuilder().precision(precision).model(model)
                .build());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
            for (RunConfig preset : preset(experiment, steps, seed)) {
                RunConfig c = preset.toBuilder().precision(precision).model(model).build();
                Path folder = out.resolve(c.buildTask().id() + "-seed" + seed);
                System.out.println("== " + folder);
                Trainer.Result r = TrainCommand.run(c, folder, noProgress);
                TrainCommand.printSummary(System.out, r);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("task", c.buildTask().id());
                row.put("seed", seed);
                row.put("memorization_step", r.summary().get("memorization_step"));
                row.put("grokking_step_95", r.summary().get("grokking_step"));
                Object analysis = r.summary().get("pruning_mdl_analysis");
                if (analysis instanceof Map<?, ?> a) {
                    row.put("grokking_step_99", a.get("grokking_step_99"));
                    row.put("mdl_transition_step", a.get("mdl_transition_step"));
                    row.put("mdl_accuracy_correlation", a.get("mdl_accuracy_correlation"));
                }
                row.put("final_validation_accuracy", r.summary().get("final_validation_accuracy"));
                if (experiment.equals("lmn")) {
                    lmnColumns(row, r);
                }
                row.put("wall_seconds", r.summary().get("wall_seconds"));
                rows.add(row);
            }
        }
        writeTables(out, "summary", rows);
        return 0;
    }

    /** NAME.json (all rows) and NAME.md (a markdown table, also printed); summary.md is also table.md. */
    static void writeTables(Path out, String name, List<Map<String, Object>> rows) throws java.io.IOException {
        Files.createDirectories(out);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(name + ".json").toFile(), rows);
        StringBuilder md = new StringBuilder("| " + String.join(" | ", rows.get(0).keySet()) + " |\n|");
        rows.get(0).keySet().forEach(k -> md.append("---|"));
        md.append('\n');
        for (Map<String, Object> r : rows) {
            md.append("| ");
            for (Object v : r.values()) {
                md.append(v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(v)).append(" | ");
            }
            md.append('\n');
        }
        Files.writeString(out.resolve(name.equals("summary") ? "table.md" : name + ".md"), md.toString());
        System.out.println();
        System.out.print(md);
    }

    /**
     * The LMN paper's figures of a run: phase boundaries (100% train / test accuracy), LMN at both, Pearson r
     * of LMN and L2 against test loss within the generalizing and the finalizing phase, Appendix B's mean
     * off-diagonal connectivity, the late loss spikes and a divergence.
     */
    @SuppressWarnings("unchecked")
    static void lmnColumns(Map<String, Object> row, Trainer.Result r) {
        Map<String, Object> ph = (Map<String, Object>) r.summary().get("phases");
        row.put("precision", r.config().precision());
        row.put("memorized_100", ph.get("memorized_step"));
        row.put("generalized_100", ph.get("generalized_step"));
        row.put("lmn_at_memorized", lmnAt(r.records(), ph.get("memorized_step")));
        row.put("lmn_at_generalized", lmnAt(r.records(), ph.get("generalized_step")));
        row.put("r_lmn_generalizing", ph.get("pearson_lmn_test_loss_generalizing"));
        row.put("r_l2_generalizing", ph.get("pearson_l2_test_loss_generalizing"));
        row.put("generalizing_points", ph.get("generalizing_points"));
        row.put("r_lmn_finalizing", ph.get("pearson_lmn_test_loss_finalizing"));
        row.put("finalizing_points", ph.get("finalizing_points"));
        Map<String, Object> off = (Map<String, Object>) r.summary().get("lmn_mean_off_diagonal_connectivity");
        row.put("offdiag_init_mem_gen", off.get("init") + " / " + off.get("memorized") + " / " + off.get("generalized"));
        List<Map<String, Object>> spikes = (List<Map<String, Object>>) r.summary().get("loss_spikes");
        row.put("loss_spikes", spikes.stream().map(sp -> sp.get("start_step") + "-" + sp.get("recovered_step")
                + String.format(Locale.ROOT, " (%.2g→%.2g)", (Double) sp.get("base_loss"), (Double) sp.get("peak_loss")))
                .reduce((a, b) -> a + "; " + b).orElse("none"));
        row.put("diverged_at_step", r.summary().get("diverged_at_step"));
    }

    private static Double lmnAt(List<ComplexityRecord> records, Object step) {
        if (!(step instanceof Number n)) {
            return null;
        }
        return records.stream().filter(x -> x.step() == n.longValue()).map(x -> x.value("lmn")).filter(Double::isFinite)
                .findFirst().orElse(null);
    }
}
