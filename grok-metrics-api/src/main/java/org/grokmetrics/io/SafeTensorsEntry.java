package org.grokmetrics.io;

import java.util.Arrays;
import java.util.Optional;

/**
 * One tensor of a safetensors header, validated: its name, dtype, shape and byte range
 * {@code [begin, end)} within the data section. {@code end - begin} is the shape's element count
 * times the dtype's width (checked by {@link SafeTensorsHeader}); every size is a {@code long}, so
 * tensors past 2<sup>31</sup> elements or bytes are described exactly.
 *
 * @param name  the tensor's name as written (may hold any character; print it with
 *              {@link SafeTensors#printable(String)})
 * @param dtype the element type
 * @param shape the dimensions, each &ge; 0
 * @param begin first byte, relative to the data section
 * @param end   one past the last byte, relative to the data section
 */
public record SafeTensorsEntry(String name, SafeTensorsDtype dtype, long[] shape, long begin, long end) {

    /** Largest element count a Java array (and so a {@link org.grokmetrics.api.Tensor}) holds. */
    public static final int MAX_ARRAY_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * Copies the shape.
     *
     * @param name  the tensor's name
     * @param dtype the stored element type
     * @param shape the dimensions, each &ge; 0 (copied)
     * @param begin first byte, relative to the data section
     * @param end   one past the last byte, relative to the data section
     */
    public SafeTensorsEntry {
        shape = shape.clone();
    }

    /**
     * A copy of the dimensions.
     *
     * @return the dimensions; empty for a scalar
     */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Number of elements (the product of the shape; 1 for a scalar).
     *
     * @return the element count, &ge; 0
     */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d; // validated not to overflow
        }
        return n;
    }

    /**
     * Bytes in the data section.
     *
     * @return {@code end - begin}
     */
    public long byteLength() {
        return end - begin;
    }

    /**
     * The shape as {@code int}s, if every dimension and the element count fit a Java array; empty
     * otherwise.
     *
     * @return the dimensions as {@code int}s, or empty
     */
    public Optional<int[]> intShape() {
        if (elements() > MAX_ARRAY_ELEMENTS) {
            return Optional.empty();
        }
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            if (shape[i] > MAX_ARRAY_ELEMENTS) {
                return Optional.empty();
            }
            s[i] = (int) shape[i];
        }
        return Optional.of(s);
    }

    /**
     * Why this tensor cannot become a float32 {@link org.grokmetrics.api.Tensor}; empty if it can.
     *
     * @return the reason, one line, or empty
     */
    public Optional<String> notReadableReason() {
        Optional<String> dt = dtype.notFloatingReason();
        if (dt.isPresent()) {
            return dt;
        }
        if (name.isBlank()) {
            return Optional.of("blank name: not a parameter name, skipped by the measures");
        }
        if (intShape().isEmpty()) {
            return Optional.of(elements() > MAX_ARRAY_ELEMENTS
                    ? "shape " + Arrays.toString(shape) + " (" + elements() + " elements) is larger than a Java array holds ("
                    + MAX_ARRAY_ELEMENTS + ")"
                    : "empty tensor with a dimension past " + MAX_ARRAY_ELEMENTS + " in shape " + Arrays.toString(shape)
                    + ": not representable as a Tensor, skipped by the measures");
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafeTensorsEntry e && name.equals(e.name) && dtype == e.dtype
                && Arrays.equals(shape, e.shape) && begin == e.begin && end == e.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return SafeTensors.printable(name) + " " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
