package org.grokmetrics.api;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named, dense, row-major tensor of 32-bit floats.
 *
 * <p>Immutable: the constructor copies {@code shape} and {@code data}, and the accessors
 * {@link #shape()} and {@link #data()} return copies. Use {@link #get(int)} or {@link #buffer()} for
 * read access without copying. {@code equals} and {@code hashCode} compare name, shape and the values as
 * {@link Float#equals(Object)} does (any NaN equals any NaN; 0.0 and -0.0 differ).
 *
 * <p>Matrix view: estimators that work on matrices read a tensor of rank 2 or more as
 * {@code [shape[0], product of the remaining dimensions]} ({@link #rows()} &times; {@link #cols()}); a
 * tensor of rank 0 or 1 is not a matrix ({@link #isMatrix()} is false).
 *
 * <p>Thread safety: instances are immutable and safe to share between threads.
 *
 * @param name  the parameter's name, unique within a {@link ParameterSnapshot}; not blank
 * @param shape the dimensions, each &ge; 0; an empty array is a scalar
 * @param data  the values in row-major order; its length must equal the product of {@code shape}
 */
public record Tensor(String name, int[] shape, float[] data) {

    /**
     * Validates and copies the arguments.
     *
     * @param name  the parameter's name, not blank, well-formed UTF-16
     * @param shape the dimensions, each &ge; 0, product at most {@link Integer#MAX_VALUE}
     * @param data  the values in row-major order, as many as the product of {@code shape}
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the name is blank or not well-formed UTF-16 (a lone surrogate:
     *                                  such a name has no UTF-8 form, so no file or description can hold
     *                                  it), a dimension is negative, or the data length differs from the
     *                                  product of the shape; the message names the tensor
     */
    public Tensor {
        Objects.requireNonNull(name, "tensor name");
        Objects.requireNonNull(shape, () -> "shape of tensor '" + name + "'");
        Objects.requireNonNull(data, () -> "data of tensor '" + name + "'");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tensor name must not be blank");
        }
        requireWellFormed(name);
        long expected = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in shape "
                        + Arrays.toString(shape));
            }
            expected *= d;
            if (expected > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "' shape " + Arrays.toString(shape)
                        + " has more than " + Integer.MAX_VALUE + " elements");
            }
        }
        if (expected != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + " (" + expected + " elements) but " + data.length + " data values");
        }
        shape = shape.clone();
        if (ADOPTED.get() != data) {
            data = data.clone();
        }
    }

    /** The array {@link #adopting} hands to the constructor on this thread, which then keeps it uncopied. */
    private static final ThreadLocal<float[]> ADOPTED = new ThreadLocal<>();

    /**
     * A tensor that takes {@code data} as its values without copying it, for code that has just computed the
     * values into an array of its own (at GPT-2 scale a copy of one tensor is 150 MB): the caller hands the array
     * over and must not change, keep or share it afterwards, or the tensor is no longer immutable. Validates as
     * the constructor does; {@code shape} is copied.
     *
     * @param name  the parameter's name, not blank, well-formed UTF-16
     * @param shape the dimensions, each &ge; 0, product at most {@link Integer#MAX_VALUE}
     * @param data  the values in row-major order, as many as the product of {@code shape}; owned by the tensor
     * @return the tensor, holding {@code data} itself
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException as the constructor
     */
    public static Tensor adopting(String name, int[] shape, float[] data) {
        ADOPTED.set(data);
        try {
            return new Tensor(name, shape, data);
        } finally {
            ADOPTED.remove();
        }
    }

    /** Rejects a name with a lone surrogate, naming its position and the name with the surrogate escaped. */
    private static void requireWellFormed(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                StringBuilder escaped = new StringBuilder();
                name.chars().forEach(ch -> escaped.append(Character.isSurrogate((char) ch)
                        ? String.format("\\u%04X", ch) : String.valueOf((char) ch)));
                throw new IllegalArgumentException("tensor name '" + escaped + "' is not well-formed UTF-16: a lone "
                        + (Character.isHighSurrogate(c) ? "high" : "low") + " surrogate U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
        }
    }

    /**
     * A 2-D tensor.
     *
     * @param name the tensor's name, not blank
     * @param rows the number of rows, &ge; 0
     * @param cols the number of columns, &ge; 0
     * @param data the values, row by row ({@code rows * cols} of them; copied)
     * @return the tensor of shape [rows, cols]
     * @throws IllegalArgumentException if {@code rows * cols != data.length} or a dimension is negative
     */
    public static Tensor matrix(String name, int rows, int cols, float[] data) {
        return new Tensor(name, new int[] {rows, cols}, data);
    }

    /**
     * A 1-D tensor (a bias or a normalisation gain, say).
     *
     * @param name the tensor's name, not blank
     * @param data the values (copied)
     * @return the tensor of shape [data.length]
     */
    public static Tensor vector(String name, float[] data) {
        return new Tensor(name, new int[] {data.length}, data);
    }

    /**
     * A tensor of the given shape from double values, each rounded to the nearest float.
     *
     * @param name   the tensor's name, not blank
     * @param shape  the dimensions, each &ge; 0
     * @param values the values in row-major order, as many as the product of {@code shape}
     * @return the float32 tensor
     * @throws IllegalArgumentException as the constructor
     */
    public static Tensor ofDoubles(String name, int[] shape, double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return adopting(name, shape, f);
    }

    /**
     * A copy of the dimensions.
     *
     * @return a new array of the dimensions; empty for a scalar
     */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * A copy of the values (row-major). For read access without a copy use {@link #buffer()}.
     *
     * @return a new array of the values, row-major
     */
    @Override
    public float[] data() {
        return data.clone();
    }

    /**
     * A read-only view of the values, without copying.
     *
     * @return a read-only buffer over the values, row-major, positioned at 0
     */
    public FloatBuffer buffer() {
        return FloatBuffer.wrap(data).asReadOnlyBuffer();
    }

    /**
     * The value at a flat row-major index.
     *
     * @param flatIndex the index, in [0, {@link #size()})
     * @return the value
     * @throws ArrayIndexOutOfBoundsException if the index is out of range
     */
    public float get(int flatIndex) {
        return data[flatIndex];
    }

    /**
     * The number of scalars.
     *
     * @return the product of the shape, &ge; 0 (1 for a scalar)
     */
    public int size() {
        return data.length;
    }

    /**
     * The number of dimensions.
     *
     * @return the rank, &ge; 0 (0 for a scalar)
     */
    public int rank() {
        return shape.length;
    }

    /**
     * The size of dimension {@code i}.
     *
     * @param i the dimension, in [0, {@link #rank()})
     * @return its size, &ge; 0
     * @throws ArrayIndexOutOfBoundsException if {@code i} is out of range
     */
    public int dim(int i) {
        return shape[i];
    }

    /**
     * True if this tensor has rank 2 or more and so has a matrix view.
     *
     * @return whether {@link #rank()} is at least 2
     */
    public boolean isMatrix() {
        return shape.length >= 2;
    }

    /**
     * Rows of the matrix view: {@code shape[0]}.
     *
     * @return the number of rows, &ge; 0
     * @throws IllegalStateException if the tensor has rank &lt; 2
     */
    public int rows() {
        requireMatrix();
        return shape[0];
    }

    /**
     * Columns of the matrix view: the product of {@code shape[1..]}.
     *
     * @return the number of columns, &ge; 0
     * @throws IllegalStateException if the tensor has rank &lt; 2
     */
    public int cols() {
        requireMatrix();
        return shape[0] == 0 ? productFrom(1) : data.length / shape[0];
    }

    private int productFrom(int start) {
        int p = 1;
        for (int i = start; i < shape.length; i++) {
            p *= shape[i];
        }
        return p;
    }

    private void requireMatrix() {
        if (shape.length < 2) {
            throw new IllegalStateException("tensor '" + name + "' of shape " + Arrays.toString(shape)
                    + " is not a matrix (rank " + shape.length + " < 2)");
        }
    }

    /**
     * The values widened to doubles (a new array).
     *
     * @return a new array of the values, row-major, each exactly widened
     */
    public double[] toDoubleArray() {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        return d;
    }

    /**
     * Copies the values into {@code dest} starting at {@code offset}.
     *
     * @param dest   the array written to; {@link #size()} values from {@code offset} on
     * @param offset the first index written
     * @throws IndexOutOfBoundsException if {@code dest} is too short
     */
    public void copyTo(float[] dest, int offset) {
        System.arraycopy(data, 0, dest, offset, data.length);
    }

    /**
     * The flat index of the first NaN or infinite value.
     *
     * @return the index, or -1 if every value is finite
     */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks that every value is finite.
     *
     * @return this tensor, for chaining
     * @throws IllegalArgumentException naming the tensor, the index and the value otherwise
     */
    public Tensor requireFinite() {
        int i = firstNonFinite();
        if (i >= 0) {
            throw new IllegalArgumentException("tensor '" + name + "' has a non-finite value " + data[i]
                    + " at flat index " + i);
        }
        return this;
    }

    /**
     * The same shape and name with other values.
     *
     * @param newData the values, as many as {@link #size()} (copied)
     * @return the new tensor
     * @throws IllegalArgumentException if the length differs
     */
    public Tensor withData(float[] newData) {
        return new Tensor(name, shape, newData);
    }

    /**
     * The same shape and values under another name.
     *
     * @param newName the name, not blank
     * @return the new tensor
     * @throws IllegalArgumentException if the name is blank or not well-formed UTF-16
     */
    public Tensor withName(String newName) {
        return new Tensor(newName, shape, data);
    }

    /**
     * A tensor with the same name and values and another shape of equal element count.
     *
     * @param newShape the dimensions, whose product is {@link #size()}
     * @return the new tensor, sharing no array with this one
     * @throws IllegalArgumentException if the element counts differ or a dimension is negative
     */
    public Tensor reshape(int... newShape) {
        return new Tensor(name, newShape, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
