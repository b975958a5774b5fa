package org.grokmetrics.examples.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.grokmetrics.mdl.GrokkingAnalysis;
import org.grokmetrics.mdl.TimeSeries;
import org.grokmetrics.monitor.ComplexityRecord;

/**
 * What happened in a run: when the network memorized (train accuracy &ge; 99%), when it grokked
 * (validation accuracy &ge; 95%), and for each measure its peak, final value and peak/final ratio.
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

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
