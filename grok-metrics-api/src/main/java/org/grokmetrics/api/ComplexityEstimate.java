package org.grokmetrics.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable result of one {@link ComplexityEstimator} run.
 *
 * <p>A failed estimate has {@code value} NaN and a {@code failure} naming the reason (non-finite
 * weights, a missing oracle, an exception in the oracle); listeners record it and carry on.
 *
 * @param estimator the estimator's {@link ComplexityEstimator#name() name}
 * @param value     the model-level value, in {@code unit}; NaN if and only if the estimate failed or is
 *                  undefined (then {@code failure} says why)
 * @param unit      the unit of {@code value}
 * @param perTensor per-tensor values, in snapshot order (may be empty)
 * @param details   further named model-level figures (unmodifiable)
 * @param cost      time and oracle calls spent
 * @param failure   why the value is NaN, if it is
 */
public record ComplexityEstimate(String estimator, double value, MeasureUnit unit, List<TensorValue> perTensor,
                                 Map<String, Double> details, EstimationCost cost, Optional<String> failure) {

    public ComplexityEstimate {
        Objects.requireNonNull(estimator, "estimator");
        Objects.requireNonNull(unit, "unit");
        perTensor = List.copyOf(Objects.requireNonNullElse(perTensor, List.of()));
        details = Map.copyOf(Objects.requireNonNullElse(details, Map.of()));
        cost = Objects.requireNonNullElse(cost, EstimationCost.ofWall(0));
        failure = Objects.requireNonNullElse(failure, Optional.empty());
        if (Double.isNaN(value) && failure.isEmpty()) {
            failure = Optional.of("value is undefined");
        }
    }

    /** A successful estimate. */
    public static ComplexityEstimate of(String estimator, double value, MeasureUnit unit, List<TensorValue> perTensor,
                                        Map<String, Double> details, EstimationCost cost) {
        return new ComplexityEstimate(estimator, value, unit, perTensor, details, cost, Optional.empty());
    }

    /** A failed estimate: value NaN, with the reason. */
    public static ComplexityEstimate failed(String estimator, MeasureUnit unit, String reason, EstimationCost cost) {
        return new ComplexityEstimate(estimator, Double.NaN, unit, List.of(), Map.of(), cost,
                Optional.of(Objects.requireNonNull(reason, "reason")));
    }

    /** True if the estimate has a value. */
    public boolean succeeded() {
        return failure.isEmpty();
    }

    /** A named model-level detail, if present. */
    public Optional<Double> detail(String key) {
        return Optional.ofNullable(details.get(key));
    }
}
