package org.grokmetrics.djl;

import java.util.HashMap;
import java.util.Map;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;

/**
 * A {@link ParameterStore} that hands a block the weights of a {@link ParameterSnapshot} instead of its
 * own: blocks read every parameter through their store, so a forward pass through it evaluates the
 * network at the snapshot without writing a single parameter of the model. Arrays are created lazily
 * in the given manager (closed by the caller). One store per evaluation thread.
 */
final class SnapshotParameterStore extends ParameterStore {

    private final NDManager manager;
    private final Map<String, String> nameById;
    private final ParameterSnapshot weights;
    private final Map<String, NDArray> arrays = new HashMap<>();

    /** Debug counter: stores built. */
    static final java.util.concurrent.atomic.AtomicLong CREATED = new java.util.concurrent.atomic.AtomicLong();

    SnapshotParameterStore(NDManager manager, Map<String, String> nameById, ParameterSnapshot weights) {
        super(manager, false);
        CREATED.incrementAndGet();
        this.manager = manager;
        this.nameById = nameById;
        this.weights = weights;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        String name = nameById.get(parameter.getId());
        if (name == null) {
            throw new IllegalStateException("block asked for parameter '" + parameter.getName()
                    + "', which is not a parameter of the model the weights belong to");
        }
        return arrays.computeIfAbsent(name, n -> create(parameter, n, device));
    }

    private NDArray create(Parameter parameter, String name, Device device) {
        Tensor t = weights.find(name).orElseThrow(() -> new IllegalArgumentException(
                "weights have no tensor '" + name + "' (the model's parameter " + parameter.getName() + ")"));
        Shape expected = parameter.getArray().getShape();
        long[] dims = new long[t.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.dim(i);
        }
        Shape shape = new Shape(dims);
        if (!shape.equals(expected)) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + shape + " but the model's parameter has "
                    + expected);
        }
        NDArray a = manager.create(t.data(), shape);
        if (!a.getDevice().equals(device)) {
            a = a.toDevice(device, false);
        }
        DataType type = parameter.getArray().getDataType();
        if (type != DataType.FLOAT32) {
            a = a.toType(type, false);
        }
        return a;
    }
}
