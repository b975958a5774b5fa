package org.grokmetrics.monitor;

import java.util.ArrayList;
import java.util.List;

import org.grokmetrics.api.ComplexityEstimate;

/**
 * The CSV column layout shared by every adapter (documented in docs/monitoring.md): fixed metric
 * columns, then per estimator its value, its detail columns {@code name.detail}, its wall seconds and
 * its failure reason.
 */
final class Columns {

    static final List<String> FIXED = List.of("step", "epoch", "elapsed_ms", "train_loss", "train_accuracy",
            "validation_loss", "validation_accuracy", "loss_unit");

    private Columns() {
    }

    /** Column names for records shaped like {@code first}. */
    static List<String> header(ComplexityRecord first) {
        List<String> h = new ArrayList<>(FIXED);
        for (ComplexityEstimate e : first.estimates()) {
            h.add(e.estimator());
            for (String d : new java.util.TreeSet<>(e.details().keySet())) {
                h.add(e.estimator() + "." + d);
            }
            h.add(e.estimator() + ".seconds");
            h.add(e.estimator() + ".error");
        }
        return h;
    }

    /** The cells of a record under a header, as strings ("" for absent, "NaN" for NaN). */
    static List<String> cells(List<String> header, ComplexityRecord r) {
        List<String> out = new ArrayList<>(header.size());
        for (String col : header) {
            out.add(cell(col, r));
        }
        return out;
    }

    private static String cell(String col, ComplexityRecord r) {
        switch (col) {
            case "step":
                return Long.toString(r.step());
            case "epoch":
                return Integer.toString(r.epoch());
            case "elapsed_ms":
                return Long.toString(r.elapsedMillis());
            case "train_loss":
                return num(r.trainLoss());
            case "train_accuracy":
                return num(r.trainAccuracy());
            case "validation_loss":
                return num(r.validationLoss());
            case "validation_accuracy":
                return num(r.validationAccuracy());
            case "loss_unit":
                return r.lossUnit();
            default:
                break;
        }
        for (ComplexityEstimate e : r.estimates()) {
            String n = e.estimator();
            if (col.equals(n)) {
                return num(e.value());
            }
            if (col.equals(n + ".seconds")) {
                return num(e.cost().wallNanos() / 1e9);
            }
            if (col.equals(n + ".error")) {
                return e.failure().orElse("");
            }
            if (col.startsWith(n + ".")) {
                Double d = e.details().get(col.substring(n.length() + 1));
                return d == null ? "" : num(d);
            }
        }
        return "";
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
