package org.grokmetrics.djl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;

/**
 * Inputs and labels copied to host memory, in a fixed order: the data the complexity oracles evaluate on.
 *
 * <p>Copying once keeps every evaluation independent of the training loop: the oracles create their own
 * arrays from these bytes in a private {@link NDManager} (closed after each evaluation), never iterate a
 * {@link ai.djl.training.dataset.Dataset} (whose random sampler would draw from DJL's shared random
 * generator and change the training order), and can run on another thread. Rows are along axis 0 of
 * every array; all arrays have the same number of rows.
 *
 * <p>Immutable and thread-safe.
 */
public final class LabeledData {

    /** One array's bytes, shape and type, rows along axis 0. */
    private record HostArray(byte[] bytes, Shape shape, DataType type) {

        static HostArray of(NDArray a) {
            ByteBuffer b = a.toByteBuffer();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return new HostArray(bytes, a.getShape(), a.getDataType());
        }

        long rows() {
            return shape.isScalar() ? 1 : shape.get(0);
        }

        /** The rows {@code idx} (sorted) as one array of {@code m}. */
        NDArray pick(NDManager m, long[] idx) {
            int rowBytes = (int) (bytes.length / Math.max(rows(), 1));
            ByteBuffer buf = ByteBuffer.allocateDirect(idx.length * rowBytes).order(ByteOrder.nativeOrder());
            for (long i : idx) {
                buf.put(bytes, (int) (i * rowBytes), rowBytes);
            }
            buf.rewind();
            long[] dims = shape.getShape().clone();
            dims[0] = idx.length;
            return m.create(buf, new Shape(dims), type);
        }

        NDArray create(NDManager m, long from, long to) {
            long rows = rows();
            int rowBytes = (int) (bytes.length / Math.max(rows, 1));
            int len = (int) ((to - from) * rowBytes);
            ByteBuffer buf = ByteBuffer.allocateDirect(len).order(ByteOrder.nativeOrder());
            buf.put(bytes, (int) (from * rowBytes), len);
            buf.rewind();
            long[] dims = shape.getShape().clone();
            dims[0] = to - from;
            return m.create(buf, new Shape(dims), type);
        }
    }

    private final List<HostArray> features;
    private final List<HostArray> labels;
    private final long size;
    private final long populationSize;

    private LabeledData(List<HostArray> features, List<HostArray> labels) {
        this(features, labels, -1);
    }

    private LabeledData(List<HostArray> features, List<HostArray> labels, long populationSize) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("labeled data needs at least one input array");
        }
        this.features = List.copyOf(features);
        this.labels = List.copyOf(labels);
        this.size = features.get(0).rows();
        this.populationSize = populationSize < 0 ? size : populationSize;
        if (size == 0) {
            throw new IllegalArgumentException("labeled data is empty (0 rows)");
        }
        for (HostArray h : this.features) {
            check(h, "input");
        }
        for (HostArray h : this.labels) {
            check(h, "label");
        }
    }

    private void check(HostArray h, String what) {
        if (h.shape().isScalar() || h.rows() != size) {
            throw new IllegalArgumentException("every array needs " + size + " rows along axis 0, but a " + what
                    + " array has shape " + h.shape());
        }
    }

    /**
     * Copies features and labels (same number of rows along axis 0).
     *
     * @param features the inputs, one row per example along axis 0 (not null)
     * @param labels   the labels, one row per example along axis 0 (not null)
     * @return a copy on the host, independent of the arrays' manager
     * @throws IllegalArgumentException if there are no rows or the row counts differ
     */
    public static LabeledData of(NDArray features, NDArray labels) {
        return of(new NDList(Objects.requireNonNull(features, "features")),
                new NDList(Objects.requireNonNull(labels, "labels")));
    }

    /**
     * Copies several input and label arrays (same number of rows along axis 0).
     *
     * @param features the input arrays, each with one row per example along axis 0 (not null)
     * @param labels   the label arrays, each with one row per example along axis 0 (not null)
     * @return a copy on the host, independent of the arrays' manager
     * @throws IllegalArgumentException if there are no rows or the row counts differ
     */
    public static LabeledData of(NDList features, NDList labels) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        return new LabeledData(features.stream().map(HostArray::of).toList(),
                labels.stream().map(HostArray::of).toList());
    }

    /**
     * Copies a random-access dataset record by record, in index order (no sampler, so DJL's random generator
     * is not touched).
     *
     * @param dataset the dataset, every record of which is read (not null)
     * @return a copy of all its records on the host, in index order
     * @throws IllegalArgumentException if the dataset is empty
     * @throws IOException              if a record cannot be read
     */
    public static LabeledData of(RandomAccessDataset dataset) throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        long n = dataset.size();
        if (n == 0) {
            throw new IllegalArgumentException("dataset is empty");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDList> in = new ArrayList<>();
            List<NDList> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                Record r = dataset.get(m, i);
                in.add(r.getData());
                out.add(r.getLabels());
            }
            return of(stack(in), stack(out));
        }
    }

    private static NDList stack(List<NDList> records) {
        int arrays = records.get(0).size();
        NDList out = new NDList(arrays);
        for (int k = 0; k < arrays; k++) {
            final int idx = k;
            out.add(NDArrays.stack(new NDList(records.stream().map(r -> r.get(idx)).toList())));
        }
        return out;
    }

    /**
     * Copies a fixed sample of {@code k} records of a random-access dataset (all if it has fewer), chosen with a
     * generator of its own seeded by {@code seed} (DJL's random generator and the dataset's sampler are not
     * touched), read by index in index order: only the sample is held in memory.
     *
     * @param dataset the dataset (not null)
     * @param k       the sample size, {@code >= 1}
     * @param seed    the seed of the sampling generator: the same seed and dataset give the same sample
     * @return the sample, whose {@link #populationSize()} is the dataset's size
     * @throws IllegalArgumentException if k &lt; 1 or the dataset is empty
     * @throws IOException              if a record cannot be read
     */
    public static LabeledData sample(RandomAccessDataset dataset, int k, long seed) throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        long n = dataset.size();
        if (n == 0) {
            throw new IllegalArgumentException("dataset is empty");
        }
        long[] idx = sampleIndices(n, k, seed);
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDList> in = new ArrayList<>();
            List<NDList> out = new ArrayList<>();
            for (long i : idx) {
                Record r = dataset.get(m, i);
                in.add(r.getData());
                out.add(r.getLabels());
            }
            LabeledData d = of(stack(in), stack(out));
            return new LabeledData(d.features, d.labels, n);
        }
    }

    /**
     * A fixed sample of {@code k} of these rows (all if there are fewer), chosen with a generator seeded by
     * {@code seed}, in row order; {@link #populationSize()} stays this data's size.
     *
     * @param k    the sample size, {@code >= 1}
     * @param seed the seed of the sampling generator: the same seed and data give the same sample
     * @return the sample ({@code this} if {@code k} covers every row)
     * @throws IllegalArgumentException if k &lt; 1
     */
    public LabeledData sample(int k, long seed) {
        long[] idx = sampleIndices(size, k, seed);
        if (idx.length == size) {
            return this;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDList f = new NDList();
            NDList l = new NDList();
            features.forEach(h -> f.add(h.pick(m, idx)));
            labels.forEach(h -> l.add(h.pick(m, idx)));
            LabeledData d = of(f, l);
            return new LabeledData(d.features, d.labels, populationSize);
        }
    }

    /** {@code k} distinct indices of [0, n), sorted: a partial Fisher-Yates shuffle with its own seeded generator. */
    static long[] sampleIndices(long n, int k, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("sample size must be >= 1, was " + k);
        }
        if (k >= n) {
            long[] all = new long[(int) n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        java.util.Map<Long, Long> swapped = new java.util.HashMap<>();
        long[] out = new long[k];
        for (int i = 0; i < k; i++) {
            long j = i + r.nextLong(n - i);
            long vj = swapped.getOrDefault(j, j);
            long vi = swapped.getOrDefault((long) i, (long) i);
            swapped.put(j, vi);
            out[i] = vj;
        }
        java.util.Arrays.sort(out);
        return out;
    }

    /**
     * Number of rows this data came from: the full data's size for a {@link #sample}, else {@link #size()}.
     *
     * @return the population's number of rows, {@code >= 1}
     */
    public long populationSize() {
        return populationSize;
    }

    /**
     * Number of rows (examples).
     *
     * @return the number of examples held, {@code >= 1}
     */
    public long size() {
        return size;
    }

    /**
     * The first {@code n} rows (all if n &ge; size).
     *
     * @param n the number of rows, {@code >= 1}
     * @return those rows ({@code this} if {@code n} covers every row)
     * @throws IllegalArgumentException if n &lt; 1
     */
    public LabeledData head(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("head needs n >= 1, was " + n);
        }
        if (n >= size) {
            return this;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDList f = new NDList();
            NDList l = new NDList();
            features.forEach(h -> f.add(h.create(m, 0, n)));
            labels.forEach(h -> l.add(h.create(m, 0, n)));
            return of(f, l);
        }
    }

    /**
     * The inputs of rows [from, to) as arrays of {@code m}.
     *
     * @param m    the manager that owns the returned arrays (close it to free them)
     * @param from the first row, {@code >= 0}
     * @param to   one past the last row, {@code > from} and {@code <= size()}
     * @return one array per input array, each with {@code to - from} rows
     * @throws IndexOutOfBoundsException if the range is empty or outside [0, size())
     */
    public NDList features(NDManager m, long from, long to) {
        return slice(features, m, from, to);
    }

    /**
     * The labels of rows [from, to) as arrays of {@code m}.
     *
     * @param m    the manager that owns the returned arrays (close it to free them)
     * @param from the first row, {@code >= 0}
     * @param to   one past the last row, {@code > from} and {@code <= size()}
     * @return one array per label array, each with {@code to - from} rows
     * @throws IndexOutOfBoundsException if the range is empty or outside [0, size())
     */
    public NDList labels(NDManager m, long from, long to) {
        return slice(labels, m, from, to);
    }

    private NDList slice(List<HostArray> arrays, NDManager m, long from, long to) {
        if (from < 0 || to > size || from >= to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + size);
        }
        NDList out = new NDList(arrays.size());
        for (HostArray h : arrays) {
            out.add(h.create(m, from, to));
        }
        return out;
    }

    @Override
    public String toString() {
        return "LabeledData[" + size + " rows, inputs " + features.stream().map(h -> h.shape().toString()).toList()
                + ", labels " + labels.stream().map(h -> h.shape().toString()).toList() + "]";
    }
}
