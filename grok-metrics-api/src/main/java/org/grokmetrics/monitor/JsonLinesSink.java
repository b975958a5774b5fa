package org.grokmetrics.monitor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.grokmetrics.api.ComplexityEstimate;

/**
 * Writes one JSON object per record (JSON Lines), with every estimate's value, unit, details,
 * per-tensor values, cost and failure. NaN is written as {@code null}. Flushed per record.
 */
public final class JsonLinesSink implements RecordSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private BufferedWriter out;

    private JsonLinesSink(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * A sink that (re)creates {@code file} at the first record.
     *
     * @param file the JSON Lines file, truncated if it exists; its parent folders are created (not null)
     * @return the sink; nothing is written before the first record
     */
    public static JsonLinesSink to(Path file) {
        return new JsonLinesSink(file);
    }

    /**
     * The JSON object of a record, as ordered maps (also used by tools that read records back).
     *
     * @param r the record
     * @return the object's fields in output order; NaN and infinite numbers as null
     */
    public static Map<String, Object> toMap(ComplexityRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", r.step());
        m.put("epoch", r.epoch());
        m.put("elapsed_ms", r.elapsedMillis());
        m.put("train_loss", nan(r.trainLoss()));
        m.put("train_accuracy", nan(r.trainAccuracy()));
        m.put("validation_loss", nan(r.validationLoss()));
        m.put("validation_accuracy", nan(r.validationAccuracy()));
        m.put("loss_unit", r.lossUnit());
        Map<String, Object> est = new LinkedHashMap<>();
        for (ComplexityEstimate e : r.estimates()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("value", nan(e.value()));
            o.put("unit", e.unit().name().toLowerCase(java.util.Locale.ROOT));
            Map<String, Object> details = new LinkedHashMap<>();
            e.details().forEach((k, v) -> details.put(k, nan(v)));
            o.put("details", details);
            Map<String, Object> per = new LinkedHashMap<>();
            e.perTensor().forEach(t -> per.put(t.tensor(), nan(t.value())));
            o.put("per_tensor", per);
            o.put("seconds", e.cost().wallNanos() / 1e9);
            o.put("loss_evaluations", e.cost().lossEvaluations());
            o.put("error", e.failure().orElse(null));
            est.put(e.estimator(), o);
        }
        m.put("estimates", est);
        return m;
    }

    private static Double nan(double v) {
        return Double.isFinite(v) ? v : null;
    }

    @Override
    public void accept(ComplexityRecord r) throws IOException {
        if (out == null) {
            out = RecordSink.createFile(file);
        }
        out.write(JSON.writeValueAsString(toMap(r)));
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }

    @Override
    public String toString() {
        return "jsonl:" + file;
    }
}
