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
     * @param tensors the tensors, with unique names (copied; the tensors themselves are immutable)
     * @return the snapshot
     * @throws IllegalArgumentException if two tensors share a name
     * @throws NullPointerException     if the list or an element is null
     */
    public static ParameterSnapshot of(List<Tensor> tensors) {
        Objects.requireNonNull(tensors, "tensors");
        return new ParameterSnapshot(tensors);
    }

    /**
     * A snapshot of the given tensors, in order.
     *
     * @param tensors the tensors, with unique names
     * @return the snapshot
     * @throws IllegalArgumentException if two tensors share a name
     * @throws NullPointerException     if an element is null
     */
    public static ParameterSnapshot of(Tensor... tensors) {
        return of(List.of(tensors));
    }

    /**
     * The tensors, in order (unmodifiable).
     *
     * @return the tensors, in the order given to {@link #of(List)}
     */
    public List<Tensor> tensors() {
        return tensors;
    }

    /**
     * The tensor names, in order.
     *
     * @return an unmodifiable copy of the names, in tensor order
     */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The tensor of that name.
     *
     * @param name the tensor's name
     * @return the tensor
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

    /**
     * The tensor of that name, if present.
     *
     * @param name the tensor's name
     * @return the tensor, empty if the snapshot has none of that name
     */
    public Optional<Tensor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * True if a tensor of that name is present.
     *
     * @param name the tensor's name
     * @return whether {@link #find(String)} would find it
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * The number of scalars over all tensors.
     *
     * @return the sum of the tensors' sizes, {@code >= 0}
     */
    public long size() {
        return size;
    }

    /**
     * The number of tensors.
     *
     * @return the number of tensors, {@code >= 0}
     */
    public int tensorCount() {
        return tensors.size();
    }

    /**
     * The tensors of rank 2 or more: the matrices that spectral measures look at.
     *
     * @return those tensors, in snapshot order (unmodifiable; empty if there are none)
     */
    public List<Tensor> matrices() {
        return tensors.stream().filter(Tensor::isMatrix).toList();
    }

    /**
     * A snapshot with each tensor replaced by {@code f(tensor)}, keeping order. The function must keep
     * names unique.
     *
     * @param f the replacement for each tensor; it must not return null
     * @return the new snapshot
     * @throws IllegalArgumentException if two mapped tensors share a name
     * @throws NullPointerException     if {@code f} returns null
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
     * @param replacement the new tensor, named as the one it replaces
     * @return the new snapshot, in the same order
     * @throws IllegalArgumentException if no tensor has that name
     */
    public ParameterSnapshot with(Tensor replacement) {
        get(replacement.name());
        return map(t -> t.name().equals(replacement.name()) ? replacement : t);
    }

    /**
     * Checks that every value of every tensor is finite.
     *
     * @return this snapshot, for chaining
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
     * @return this snapshot, for chaining
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
