package org.grokmetrics.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An immutable, ordered set of named tensors: a network's parameters at one moment.
 *
 * <p>Order is the order given to {@link #of(List)} and is kept by every method. Names are unique.
 * {@code equals} compares the tensors in order.
 *
 * <p>Thread safety: immutable, safe to share.
 */
public final class ParameterSnapshot {

    private final List<Tensor> tensors;
    private final Map<String, Tensor> byName;
    private final long size;

    private ParameterSnapshot(List<Tensor> tensors) {
        Map<String, Tensor> map = new LinkedHashMap<>();
        long n = 0;
        for (Tensor t : tensors) {
            Objects.requireNonNull(t, "snapshot tensor");
            if (map.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "' in snapshot");
            }
            n += t.size();
        }
        this.tensors = List.copyOf(tensors);
        this.byName = Collections.unmodifiableMap(map);
        this.size = n;
    }

    /**
     * A snapshot of the given tensors, in order.
     *
     * @throws IllegalArgumentException if two tensors share a name
     * @throws NullPointerException     if the list or an element is null
     */
    public static ParameterSnapshot of(List<Tensor> tensors) {
        Objects.requireNonNull(tensors, "tensors");
        return new ParameterSnapshot(tensors);
    }

    /** A snapshot of the given tensors, in order. */
    public static ParameterSnapshot of(Tensor... tensors) {
        return of(List.of(tensors));
    }

    /** The tensors, in order (unmodifiable). */
    public List<Tensor> tensors() {
        return tensors;
    }

    /** The tensor names, in order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The tensor of that name.
     *
     * @throws IllegalArgumentException if there is none; the message lists the names present
     */
    public Tensor get(String name) {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' in snapshot; names are "
                    + byName.keySet());
        }
        return t;
    }

    /** The tensor of that name, if present. */
    public Optional<Tensor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** True if a tensor of that name is present. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** The number of scalars over all tensors. */
    public long size() {
        return size;
    }

    /** The number of tensors. */
    public int tensorCount() {
        return tensors.size();
    }

    /** The tensors of rank 2 or more: the matrices that spectral measures look at. */
    public List<Tensor> matrices() {
        return tensors.stream().filter(Tensor::isMatrix).toList();
    }

    /**
     * A snapshot with each tensor replaced by {@code f(tensor)}, keeping order. The function must keep
     * names unique.
     */
    public ParameterSnapshot map(UnaryOperator<Tensor> f) {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(Objects.requireNonNull(f.apply(t), () -> "mapped tensor for '" + t.name() + "'"));
        }
        return new ParameterSnapshot(out);
    }

    /**
     * A snapshot with the tensor of the same name replaced.
     *
     * @throws IllegalArgumentException if no tensor has that name
     */
    public ParameterSnapshot with(Tensor replacement) {
        get(replacement.name());
        return map(t -> t.name().equals(replacement.name()) ? replacement : t);
    }

    /**
     * Checks that every value of every tensor is finite.
     *
     * @throws IllegalArgumentException naming the first tensor and index at fault
     */
    public ParameterSnapshot requireFinite() {
        tensors.forEach(Tensor::requireFinite);
        return this;
    }

    /**
     * Checks that the snapshot holds at least one value: an estimator has nothing to measure otherwise.
     *
     * @param user what needs the values (an estimator's name), for the message
     * @throws IllegalArgumentException naming {@code user} and whether there are no tensors or only empty ones
     */
    public ParameterSnapshot requireNonEmpty(String user) {
        if (size == 0) {
            throw new IllegalArgumentException(user + " needs parameters, but the snapshot is empty ("
                    + (tensors.isEmpty() ? "no tensors" : tensors.size() + " tensors, all of size 0") + ")");
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSnapshot p && tensors.equals(p.tensors);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return "ParameterSnapshot[" + tensors.size() + " tensors, " + size + " parameters]";
    }
}
