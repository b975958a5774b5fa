package org.grokmetrics.compress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.EstimationCost;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.MeasureUnit;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.api.TensorValue;

/**
 * The coarse-grained complexity as a {@link ComplexityEstimator}: the value is {@link CoarseGraining#bits()}
 * of a compression with the context's train loss (required), per tensor the stored code bits before
 * entropy coding (codes &times; bits; 32 per float32 value), with the settings, losses (nats), naive bits,
 * gain, &tau; and, given the number of training examples, the total description length (bits) as details.
 *
 * @param compressor the compressor whose options are used
 */
public record CoarseGrainEstimator(CoarseGrainCompressor compressor) implements ComplexityEstimator {

    /**
     * Checks the compressor.
     *
     * @param compressor the compressor whose options are used (not null)
     */
    public CoarseGrainEstimator {
        Objects.requireNonNull(compressor, "compressor");
    }

    @Override
    public String name() {
        return CoarseGrainCompressor.NAME;
    }

    @Override
    public MeasureUnit unit() {
        return MeasureUnit.BITS;
    }

    /** @throws IllegalStateException if the context has no train-loss oracle */
    @Override
    public ComplexityEstimate estimate(EstimationContext context) {
        long start = System.nanoTime();
        LossOracle oracle = context.requireTrainLoss(CoarseGrainCompressor.NAME);
        CoarseGraining g = compressor.compress(context.parameters(), oracle);
        List<TensorValue> per = new ArrayList<>();
        for (int i = 0; i < g.settings().size(); i++) {
            TensorSetting s = g.settings().get(i);
            Map<String, Double> d = new LinkedHashMap<>();
            d.put("bits", (double) s.bits());
            d.put("rank", (double) s.rank());
            d.put("full_rank", (double) s.fullRank());
            d.put("delta", s.delta());
            d.put("kind", (double) s.kind().ordinal());
            per.add(new TensorValue(s.tensor(), storedCodeBits(context.parameters().tensors().get(i), s), d));
        }
        Map<String, Double> details = new LinkedHashMap<>();
        details.put("original_loss", g.originalLoss());
        details.put("coarse_loss", g.coarseLoss());
        details.put("naive_bits", (double) g.naiveBits());
        details.put("compression_gain", g.compressionGain());
        details.put("global_bits", (double) g.globalBits());
        details.put("tau", g.tau());
        if (context.trainingExamples() > 0) {
            details.put("total_description_length_bits", g.totalDescriptionLengthBits(context.trainingExamples()));
        }
        long wall = System.nanoTime() - start;
        return ComplexityEstimate.of(CoarseGrainCompressor.NAME, g.bits(), unit(), per, details,
                new EstimationCost(wall, g.lossEvaluations(), 0, g.timings().lossNanos()));
    }

    /** Per-tensor value: the number of stored code bits before entropy coding (codes &times; bits). */
    static double storedCodeBits(Tensor t, TensorSetting s) {
        return switch (s.kind()) {
            case ZERO -> 0;
            case DENSE -> (double) t.size() * s.bits();
            case LOW_RANK -> (double) s.rank() * (t.rows() + t.cols()) * s.bits();
            case DENSE_FLOAT32 -> 32.0 * t.size();
            case LOW_RANK_FLOAT32 -> 32.0 * s.rank() * (t.rows() + t.cols());
        };
    }
}
