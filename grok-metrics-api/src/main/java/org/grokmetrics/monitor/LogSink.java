package org.grokmetrics.monitor;

import java.util.Locale;

import org.grokmetrics.api.ComplexityEstimate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One SLF4J INFO line per record, logger {@code org.grokmetrics.monitor}. */
public final class LogSink implements RecordSink {

    private static final Logger LOG = LoggerFactory.getLogger("org.grokmetrics.monitor");

    @Override
    public void accept(ComplexityRecord r) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "step %d epoch %d", r.step(), r.epoch()));
        if (!Double.isNaN(r.trainAccuracy())) {
            sb.append(String.format(Locale.ROOT, " train acc %.3f", r.trainAccuracy()));
        }
        if (!Double.isNaN(r.validationAccuracy())) {
            sb.append(String.format(Locale.ROOT, " val acc %.3f", r.validationAccuracy()));
        }
        for (ComplexityEstimate e : r.estimates()) {
            sb.append(String.format(Locale.ROOT, " | %s %.6g %s", e.estimator(), e.value(), e.unit().symbol()));
            e.failure().ifPresent(f -> sb.append(" (").append(f).append(')'));
        }
        LOG.info(sb.toString());
    }

    @Override
    public String toString() {
        return "log";
    }
}
