package org.grokmetrics.api;

import java.util.Map;
import java.util.Objects;

/**
 * One tensor's share of an estimate: its value and any named side figures (effective rank, chosen
 * quantization bits, rank kept, ...).
 *
 * @param tensor  the tensor's name
 * @param value   the tensor's value, in the estimate's unit; NaN if not defined for this tensor
 * @param details further named figures (unmodifiable; in no particular order)
 */
public record TensorValue(String tensor, double value, Map<String, Double> details) {

    /**
     * Checks the name and copies the details (null for none) unmodifiable.
     *
     * @param tensor  the tensor's name (not null)
     * @param value   the tensor's value, NaN if not defined for this tensor
     * @param details further named figures, null for none
     */
    public TensorValue {
        Objects.requireNonNull(tensor, "tensor");
        details = Map.copyOf(Objects.requireNonNullElse(details, Map.of()));
    }

    /**
     * A value without details.
     *
     * @param tensor the tensor's name (not null)
     * @param value  the tensor's value, in the estimate's unit; NaN if not defined for this tensor
     * @return the value with an empty details map
     */
    public static TensorValue of(String tensor, double value) {
        return new TensorValue(tensor, value, Map.of());
    }
}
