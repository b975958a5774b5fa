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

    /**
     * Checks and normalises the components: null lists, maps, cost and failure become empty (cost zero), the
     * collections are copied unmodifiable, and a NaN value without a failure gets the failure
     * "value is undefined".
     *
     * @param estimator the estimator's name (not null)
     * @param value     the model-level value, NaN if failed or undefined
     * @param unit      the unit of {@code value} (not null)
     * @param perTensor per-tensor values, null for none
     * @param details   further named model-level figures, null for none
     * @param cost      time and oracle calls spent, null for zero
     * @param failure   why the value is NaN, null for none
     */
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

    /**
     * A successful estimate.
     *
     * @param estimator the estimator's name (not null)
     * @param value     the model-level value, in {@code unit}
     * @param unit      the unit of {@code value} (not null)
     * @param perTensor per-tensor values, in snapshot order; null for none
     * @param details   further named model-level figures; null for none
     * @param cost      time and oracle calls spent; null for zero
     * @return the estimate without a failure (if {@code value} is NaN it still gets "value is undefined")
     */
    public static ComplexityEstimate of(String estimator, double value, MeasureUnit unit, List<TensorValue> perTensor,
                                        Map<String, Double> details, EstimationCost cost) {
        return new ComplexityEstimate(estimator, value, unit, perTensor, details, cost, Optional.empty());
    }

    /**
     * A failed estimate: value NaN, with the reason.
     *
     * @param estimator the estimator's name (not null)
     * @param unit      the unit the value would have had (not null)
     * @param reason    a one-line reason naming what is wrong (not null)
     * @param cost      time and oracle calls spent before the failure; null for zero
     * @return the estimate with value NaN, no per-tensor values and no details
     */
    public static ComplexityEstimate failed(String estimator, MeasureUnit unit, String reason, EstimationCost cost) {
        return new ComplexityEstimate(estimator, Double.NaN, unit, List.of(), Map.of(), cost,
                Optional.of(Objects.requireNonNull(reason, "reason")));
    }

    /**
     * True if the estimate has a value.
     *
     * @return whether {@link #failure()} is empty (then {@link #value()} is not NaN)
     */
    public boolean succeeded() {
        return failure.isEmpty();
    }

    /**
     * A named model-level detail, if present.
     *
     * @param key the detail's name
     * @return the detail's value, empty if the estimate has no detail of that name
     */
    public Optional<Double> detail(String key) {
        return Optional.ofNullable(details.get(key));
    }
}
