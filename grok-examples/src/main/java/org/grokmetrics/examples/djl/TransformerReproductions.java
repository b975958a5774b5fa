package org.grokmetrics.examples.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The papers' transformer experiments as run configurations (SPEC &sect;5).
 *
 * <ul>
 *   <li>{@code demoss}: DeMoss et al., a&#8728;b mod 113 for + &times; &minus; &divide;; 20% train (+, &times;,
 *       one layer) or 30% (&minus;, &divide;, two layers); no causal mask; AdamW lr 1e-3, &beta; (0.9, 0.98),
 *       batch 512, constant lr; three conditions: unregularized, weight decay 1.0, and "ours" (weight decay
 *       1.0 + spectral-entropy loss &beta; 0.1 + weight noise &delta; 1e-2 for + and &times;, 1e-3 for
 *       &minus; and &divide;); coarse-grained complexity at &epsilon; = 1 on a log-spaced schedule.
 *       Scales: {@code paper} (those fractions, 50,000 steps &asymp; the paper's 10,000 epochs: a GPU run),
 *       {@code cpu} (30% train for every operation, 6,000 steps: at 20% the net needs ~10<sup>4</sup>
 *       epochs to grok, hours on a CPU) and {@code quick} (the cpu scale, 2,000 steps).</li>
 *   <li>{@code mdl}: the pruning-MDL study, a+b, a&minus;b, a&divide;b mod 97 and S5; 50% train; two layers,
 *       causal mask, final LayerNorm; AdamW lr 1e-3, &beta; (0.9, 0.98), weight decay 0.5, linear warm-up
 *       50 steps, batch 512, 7,500 steps; pruning MDL and accuracies every 50 steps.</li>
 * </ul>
 */
public final class TransformerReproductions {

    /** DeMoss et al.'s conditions, in the order of their figures. */
    public static final List<String> DEMOSS_CONDITIONS = List.of("unregularized", "weight-decay", "ours");

    /** Scales: the paper's, a CPU-practical one, and a first look. */
    public static final List<String> SCALES = List.of("paper", "cpu", "quick");

    /** Steps of a paper-scale DeMoss run (10,000 epochs of 5 batches at 20% train). */
    public static final int DEMOSS_PAPER_STEPS = 50_000;

    /** Steps of a cpu-scale DeMoss run. */
    public static final int DEMOSS_CPU_STEPS = 6000;

    /** Train fraction of every cpu-scale DeMoss run. */
    public static final double DEMOSS_CPU_FRACTION = 0.3;

    /** Steps of a quick DeMoss run. */
    public static final int DEMOSS_QUICK_STEPS = 2000;

    /** The study's steps (paper and cpu scale); quick runs 3,000 of them on one seed. */
    public static final int MDL_STEPS = 7500;

    /** Steps of a study run with --quick. */
    public static final int MDL_QUICK_STEPS = 3000;

    /** The pruning-MDL study's steps to 99% validation accuracy (means of 3 seeds; SPEC &sect;5). */
    public static final Map<String, Integer> MDL_STUDY_STEPS_99 = Map.of("mod97-add", 2363, "mod97-sub", 4720,
            "mod97-div", 4200);

    private TransformerReproductions() {
    }

    /** The operations of an experiment, or the subset asked for. */
    public static List<String> tasks(String experiment, List<String> only) {
        List<String> all = experiment.equals("demoss") ? List.of("add", "mul", "sub", "div")
                : List.of("add", "sub", "div", "s5");
        if (only == null || only.isEmpty()) {
            return all;
        }
        for (String t : only) {
            if (!all.contains(t)) {
                throw new IllegalArgumentException("--tasks: '" + t + "' is not a task of " + experiment + "; known: " + all);
            }
        }
        return List.copyOf(only);
    }

    /**
     * The runs of an experiment for one seed.
     *
     * @param steps      null for the scale's length
     * @param conditions DeMoss conditions to run (null or empty: all three)
     * @param scale      paper, cpu or quick (see the class comment)
     * @throws IllegalArgumentException naming an unknown experiment, task, condition or scale
     */
    public static List<TransformerConfig> runs(String experiment, List<String> tasks, List<String> conditions,
                                               Integer steps, String scale, long seed, String device) {
        if (!SCALES.contains(scale)) {
            throw new IllegalArgumentException("--scale: unknown '" + scale + "'; known: " + SCALES);
        }
        boolean quick = scale.equals("quick");
        boolean paper = scale.equals("paper");
        List<TransformerConfig> out = new ArrayList<>();
        switch (experiment) {
            case "demoss" -> {
                List<String> conds = conditions == null || conditions.isEmpty() ? DEMOSS_CONDITIONS : conditions;
                for (String c : conds) {
                    if (!DEMOSS_CONDITIONS.contains(c)) {
                        throw new IllegalArgumentException("--conditions: unknown '" + c + "'; known: " + DEMOSS_CONDITIONS);
                    }
                }
                int n = steps != null ? steps : paper ? DEMOSS_PAPER_STEPS : quick ? DEMOSS_QUICK_STEPS : DEMOSS_CPU_STEPS;
                for (String op : tasks(experiment, tasks)) {
                    boolean easy = op.equals("add") || op.equals("mul");
                    double fraction = paper ? (easy ? 0.2 : 0.3) : DEMOSS_CPU_FRACTION;
                    for (String c : conds) {
                        double wd = c.equals("unregularized") ? 0 : 1.0;
                        double beta = c.equals("ours") ? 0.1 : 0;
                        double noise = c.equals("ours") ? (easy ? 1e-2 : 1e-3) : 0;
                        out.add(new TransformerConfig(c, "mod", 113, op, fraction, seed, n, 512, easy ? 1 : 2,
                                false, false, 1e-3, 0.98, wd, 0, beta, noise, 6, 0, true, 1.0, device));
                    }
                }
            }
            case "mdl" -> {
                int n = steps != null ? steps : quick ? MDL_QUICK_STEPS : MDL_STEPS;
                for (String op : tasks(experiment, tasks)) {
                    boolean s5 = op.equals("s5");
                    out.add(new TransformerConfig("pruning-mdl-study", s5 ? "s5" : "mod", 97, s5 ? "add" : op, 0.5, seed,
                            n, 512, 2, true, true, 1e-3, 0.98, 0.5, 50, 0, 0, 0, 50, false, 1.0, device));
                }
            }
            default -> throw new IllegalArgumentException("unknown transformer experiment '" + experiment
                    + "'; known: demoss, mdl");
        }
        return out;
    }
}
