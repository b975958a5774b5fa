package org.grokmetrics.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.EstimationCost;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.api.TensorValue;

/**
 * {@link NaiveCompression} as an estimator: value in bits, per-tensor bits, detail {@code raw_bits}
 * (32 &middot; parameters). Non-finite weights are an error (they would compress, but the figure would
 * describe a broken network). Immutable and thread-safe.
 */
public final class NaiveCompressedSizeEstimator implements ComplexityEstimator {

    private final Codec codec;

    private NaiveCompressedSizeEstimator(Codec codec) {
        this.codec = codec;
    }

    /**
     * Naive size with the given codec; the estimator is named {@code naive-<codec id>}.
     *
     * @param codec the codec (not null)
     * @return the estimator
     */
    public static NaiveCompressedSizeEstimator of(Codec codec) {
        return new NaiveCompressedSizeEstimator(Objects.requireNonNull(codec, "codec"));
    }

    @Override
    public String name() {
        return "naive-" + codec.id();
    }

    @Override
    public MeasureUnit unit() {
        return MeasureUnit.BITS;
    }

    @Override
    public ComplexityEstimate estimate(EstimationContext context) {
        long start = System.nanoTime();
        context.parameters().requireNonEmpty(name()).requireFinite();
        List<TensorValue> per = new ArrayList<>();
        long total = 0;
        for (Tensor t : context.parameters().tensors()) {
            long b = NaiveCompression.bits(t, codec);
            total += b;
            per.add(TensorValue.of(t.name(), b));
        }
        return ComplexityEstimate.of(name(), total, unit(), per,
                Map.of("raw_bits", 32.0 * context.parameters().size()),
                EstimationCost.ofWall(System.nanoTime() - start));
    }
}
