package org.grokmetrics.examples.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.grokmetrics.mdl.GrokkingAnalysis;
import org.grokmetrics.mdl.TimeSeries;
import org.grokmetrics.monitor.ComplexityRecord;

/**
 * What happened in a run: when the network memorized (train accuracy &ge; 99%), when it grokked
 * (validation accuracy &ge; 95%), and for each measure its peak, final value and peak/final ratio; the LMN
 * paper's {@link Phases} with Pearson r of LMN and of the L2 norm against test loss within the generalizing
 * and the finalizing phase; the mean off-diagonal linear connectivity (the paper's Appendix B) at
 * initialisation, memorization and generalization.
 */
public final class RunSummary {

    /** The measures summarised, by estimator name. */
    public static final List<String> MEASURES = List.of("coarse-grained", "spectral-entropy", "pruning-mdl", "lmn");

    private RunSummary() {
    }

    /** The summary as an ordered map (summary.json). */
    public static Map<String, Object> of(List<ComplexityRecord> records, double wallSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        Long memorized = null;
        Long grokked = null;
        for (ComplexityRecord r : records) {
            if (memorized == null && r.trainAccuracy() >= 0.99) {
                memorized = r.step();
            }
            if (grokked == null && r.validationAccuracy() >= 0.95) {
                grokked = r.step();
            }
        }
        // the last measurement whose weights were still finite
        ComplexityRecord last = null;
        for (ComplexityRecord r : records) {
            if (Double.isFinite(r.value("pruning-mdl")) || Double.isFinite(r.value("spectral-entropy"))) {
                last = r;
            }
        }
        m.put("memorization_step", memorized);
        m.put("grokking_step", grokked);
        m.put("final_step", last == null ? null : last.step());
        m.put("final_train_accuracy", last == null ? null : finite(last.trainAccuracy()));
        m.put("final_validation_accuracy", last == null ? null : finite(last.validationAccuracy()));
        m.put("wall_seconds", wallSeconds);
        Map<String, Object> measures = new LinkedHashMap<>();
        for (String name : MEASURES) {
            double peak = Double.NEGATIVE_INFINITY;
            long peakStep = -1;
            double fin = Double.NaN;
            for (ComplexityRecord r : records) {
                double v = r.value(name);
                if (Double.isFinite(v)) {
                    if (v > peak) {
                        peak = v;
                        peakStep = r.step();
                    }
                    fin = v;
                }
            }
            if (peakStep < 0) {
                continue;
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("peak", peak);
            e.put("peak_step", peakStep);
            e.put("final", fin);
            e.put("peak_over_final", fin == 0 ? null : peak / fin);
            measures.put(name, e);
        }
        m.put("measures", measures);
        m.put("phases", phases(records));
        m.put("lmn_mean_off_diagonal_connectivity", offDiagonal(records));
        // the pruning-MDL study's analysis (SPEC section 4) on the recorded series
        long[] steps = records.stream().mapToLong(ComplexityRecord::step).toArray();
        if (steps.length >= 2) {
            GrokkingAnalysis.Result a = GrokkingAnalysis.analyze(
                    TimeSeries.of(steps, records.stream().mapToDouble(r -> r.value("pruning-mdl")).toArray()),
                    TimeSeries.of(steps, records.stream().mapToDouble(ComplexityRecord::validationAccuracy).toArray()),
                    TimeSeries.of(steps, records.stream().mapToDouble(ComplexityRecord::trainAccuracy).toArray()));
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("grokking_step_95", a.grokkingStep95().isPresent() ? a.grokkingStep95().getAsLong() : null);
            g.put("grokking_step_99", a.grokkingStep99().isPresent() ? a.grokkingStep99().getAsLong() : null);
            g.put("mdl_transition_step", a.mdlTransitionStep().isPresent() ? a.mdlTransitionStep().getAsLong() : null);
            g.put("mdl_accuracy_correlation", a.mdlAccuracyCorrelation().isPresent()
                    ? a.mdlAccuracyCorrelation().getAsDouble() : null);
            g.put("mdl_transition_rate", a.mdlTransitionRate().isPresent() ? a.mdlTransitionRate().getAsDouble() : null);
            m.put("pruning_mdl_analysis", g);
        }
        return m;
    }

    /** The phase boundaries and the correlations within the generalizing and finalizing phases. */
    static Map<String, Object> phases(List<ComplexityRecord> records) {
        Phases ph = Phases.of(records);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("memorized_step", ph.memorized().isPresent() ? ph.memorized().getAsLong() : null);
        m.put("generalized_step", ph.generalized().isPresent() ? ph.generalized().getAsLong() : null);
        for (Phases.Phase phase : List.of(Phases.Phase.GENERALIZING, Phases.Phase.FINALIZING)) {
            String name = phase.name().toLowerCase(java.util.Locale.ROOT);
            double[][] pts = points(records, ph, phase);
            m.put(name + "_points", pts[0].length);
            m.put("pearson_lmn_test_loss_" + name, pearson(pts[0], pts[1]));
            m.put("pearson_l2_test_loss_" + name, pearson(pts[0], pts[2]));
        }
        return m;
    }

    /** Test loss, LMN and L2 norm at the measurements of one phase where all three are finite. */
    public static double[][] points(List<ComplexityRecord> records, Phases phases, Phases.Phase phase) {
        List<double[]> pts = new java.util.ArrayList<>();
        for (ComplexityRecord r : records) {
            double lmn = r.value("lmn");
            double l2 = r.estimate("lmn").flatMap(e -> e.detail("l2_norm")).orElse(Double.NaN);
            if (phases.phaseOf(r.step()) == phase && Double.isFinite(r.validationLoss()) && Double.isFinite(lmn)
                    && Double.isFinite(l2)) {
                pts.add(new double[] {r.validationLoss(), lmn, l2});
            }
        }
        double[][] out = new double[3][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            for (int j = 0; j < 3; j++) {
                out[j][i] = pts.get(i)[j];
            }
        }
        return out;
    }

    /** Pearson r, null with fewer than 3 points or a constant series. */
    private static Double pearson(double[] x, double[] y) {
        return x.length < 3 ? null : finite(org.grokmetrics.examples.plot.Charts.pearson(x, y));
    }

    /**
     * Mean off-diagonal entry of L (the LMN paper's Appendix B) at step 0, at memorization and at
     * generalization: from the estimate's {@code mean_connectivity} over all N&sup2; entries and L's unit
     * diagonal, (N&sup2;&middot;mean &minus; N) / (N&sup2; &minus; N).
     */
    static Map<String, Object> offDiagonal(List<ComplexityRecord> records) {
        Phases ph = Phases.of(records);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("init", offDiagonalAt(records, 0));
        m.put("memorized", ph.memorized().isPresent() ? offDiagonalAt(records, ph.memorized().getAsLong()) : null);
        m.put("generalized", ph.generalized().isPresent() ? offDiagonalAt(records, ph.generalized().getAsLong()) : null);
        return m;
    }

    private static Double offDiagonalAt(List<ComplexityRecord> records, long step) {
        for (ComplexityRecord r : records) {
            if (r.step() == step) {
                double mean = r.estimate("lmn").flatMap(e -> e.detail("mean_connectivity")).orElse(Double.NaN);
                double n = r.estimate("lmn").flatMap(e -> e.detail("points")).orElse(Double.NaN);
                return n >= 2 ? finite((n * n * mean - n) / (n * n - n)) : null;
            }
        }
        return null;
    }

    /** Spikes as summary.json rows. */
    static List<Map<String, Object>> spikes(List<LossSpikes.Spike> spikes) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (LossSpikes.Spike s : spikes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start_step", s.startStep());
            m.put("peak_step", s.peakStep());
            m.put("peak_loss", finite(s.peakLoss()));
            m.put("base_loss", finite(s.baseLoss()));
            m.put("recovered_step", s.recoveredStep().isPresent() ? s.recoveredStep().getAsLong() : null);
            out.add(m);
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
