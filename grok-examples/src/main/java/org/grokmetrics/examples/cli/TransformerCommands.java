package org.grokmetrics.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.grokmetrics.examples.djl.TransformerConfig;
import org.grokmetrics.examples.djl.TransformerReproductions;
import org.grokmetrics.examples.djl.TransformerTrainer;
import org.grokmetrics.examples.plot.Charts;

/** The transformer reproductions behind {@code grok reproduce demoss|mdl} and {@code --config}. */
final class TransformerCommands {

    private TransformerCommands() {
    }

    static TransformerTrainer.Result run(TransformerConfig c, Path folder, boolean noProgress)
            throws IOException, ai.djl.translate.TranslateException {
        boolean bar = !noProgress && System.console() != null;
        return TransformerTrainer.run(c, folder, bar ? System.err : null, bar ? null : System.err);
    }

    /** Repeats one run from its config.json into {@code out}. */
    static int repeat(Path config, Path out, boolean noProgress) throws Exception {
        TransformerConfig c = TransformerConfig.read(config);
        TransformerTrainer.Result r = run(c, out, noProgress);
        TrainCommand.printSummary(System.out, r.folder(), r.summary());
        return 0;
    }

    static int reproduce(String experiment, List<String> tasks, List<String> conditions, Integer steps, String scale,
                         int seeds, String device, Path out, boolean noProgress) throws Exception {
        // the options were validated by ReproduceCommand (one-line usage errors, exit 2)
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Map<String, Path>> byTask = new LinkedHashMap<>();
        for (int seed = 0; seed < seeds; seed++) {
            for (TransformerConfig c : TransformerReproductions.runs(experiment, tasks, conditions, steps, scale, seed,
                    device)) {
                String id = c.buildTask().id();
                String name = experiment.equals("demoss") ? id + "-" + c.condition() + "-seed" + seed : id + "-seed" + seed;
                Path folder = out.resolve(name);
                System.out.println("== " + folder);
                TransformerTrainer.Result r = run(c, folder, noProgress);
                TrainCommand.printSummary(System.out, r.folder(), r.summary());
                byTask.computeIfAbsent(id + "-seed" + seed, k -> new LinkedHashMap<>()).put(c.condition(), folder);
                rows.add(row(experiment, c, seed, r.summary()));
            }
        }
        if (experiment.equals("demoss")) {
            for (var e : byTask.entrySet()) {
                Path chart = Charts.compareConditions(e.getKey(), e.getValue(), out.resolve(e.getKey() + "-conditions.png"));
                System.out.println("chart: " + chart);
            }
            ReproduceCommand.writeTables(out, "summary", rows);
        } else {
            ReproduceCommand.writeTables(out, "summary", rows);
            ReproduceCommand.writeTables(out, "study_comparison", studyComparison(rows));
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> row(String experiment, TransformerConfig c, int seed, Map<String, Object> s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("task", c.buildTask().id());
        if (experiment.equals("demoss")) {
            row.put("condition", c.condition());
        }
        row.put("seed", seed);
        row.put("memorization_step", s.get("memorization_step"));
        Map<String, Object> a = s.get("pruning_mdl_analysis") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        row.put("grokking_step_95", a.get("grokking_step_95"));
        row.put("grokking_step_99", a.get("grokking_step_99"));
        row.put("final_validation_accuracy", s.get("final_validation_accuracy"));
        if (experiment.equals("demoss")) {
            Map<String, Object> c0 = ((Map<String, Map<String, Object>>) s.get("measures")).get("coarse-grained");
            row.put("complexity_peak_bits", c0 == null ? null : c0.get("peak"));
            row.put("complexity_peak_step", c0 == null ? null : c0.get("peak_step"));
            row.put("complexity_final_bits", s.get("final_complexity_bits"));
            row.put("naive_bits", s.get("final_naive_bits"));
            row.put("effective_rank", s.get("final_effective_rank"));
            row.put("total_description_length_bits", s.get("final_total_description_length_bits"));
            row.put("generalization_bound", s.get("final_generalization_bound"));
        } else {
            row.put("mdl_transition_step", a.get("mdl_transition_step"));
            row.put("mdl_accuracy_correlation", a.get("mdl_accuracy_correlation"));
        }
        row.put("wall_seconds", s.get("wall_seconds"));
        return row;
    }

    /** Mean steps to 99% per task beside the study's, one row per task. */
    private static List<Map<String, Object>> studyComparison(List<Map<String, Object>> rows) {
        Map<String, List<Long>> steps = new LinkedHashMap<>();
        Map<String, Integer> never = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            String task = (String) r.get("task");
            Object s = r.get("grokking_step_99");
            steps.computeIfAbsent(task, k -> new ArrayList<>());
            if (s instanceof Number n) {
                steps.get(task).add(n.longValue());
            } else {
                never.merge(task, 1, Integer::sum);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (var e : steps.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("task", e.getKey());
            row.put("seed", "mean");
            double mean = e.getValue().stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
            row.put("grokking_step_99", e.getValue().isEmpty() ? null : mean);
            Integer study = TransformerReproductions.MDL_STUDY_STEPS_99.get(e.getKey());
            row.put("study_step_99", study);
            row.put("ratio_to_study", study == null || e.getValue().isEmpty() ? null : mean / study);
            row.put("runs_never_99", never.getOrDefault(e.getKey(), 0));
            out.add(row);
        }
        return out;
    }
}
