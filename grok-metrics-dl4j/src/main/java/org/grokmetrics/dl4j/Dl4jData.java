package org.grokmetrics.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Data a listener evaluates on, as DL4J users hold it: a {@link DataSet}, a {@link MultiDataSet} (several
 * inputs or outputs, masks included), or an iterator of either. Every evaluation streams the data batch by
 * batch ({@link #forEachBatch}): an in-memory set in slices of {@value #BATCH} examples (views, no copy), an
 * iterator by {@code reset()} and one pass, so memory stays bounded by one batch whatever the data's size.
 *
 * <p><b>Give an iterator of its own</b>, not the one {@code fit} is consuming: evaluating resets it.
 *
 * <p>{@link #subset(int, long)} keeps a fixed sample of K examples, drawn once with a seeded generator of its
 * own (reservoir sampling in one pass, so at most K examples are held), which makes the cost of a
 * measurement the user's choice on big data sets. Immutable; not for concurrent passes.
 */
public final class Dl4jData {

    /** Examples per slice when evaluating an in-memory data set. */
    public static final int BATCH = 1024;

    private final MultiDataSet inMemory;
    private final MultiDataSetIterator iterator;
    private final String description;
    private final long fullSize;
    private volatile long examples = -1;

    private Dl4jData(MultiDataSet inMemory, MultiDataSetIterator iterator, String description, long fullSize) {
        this.inMemory = inMemory;
        this.iterator = iterator;
        this.description = description;
        this.fullSize = fullSize;
        if (inMemory != null) {
            examples = inMemory.getFeatures(0).size(0);
            if (examples == 0) {
                throw new IllegalArgumentException(description + " is empty (0 examples)");
            }
        }
    }

    /**
     * One in-memory data set (features, labels and their masks).
     *
     * @param data the data set, with features and labels (not null)
     * @return the data, evaluated in batches sliced from it
     * @throws IllegalArgumentException if the features or labels are missing, or it has 0 examples
     */
    public static Dl4jData of(DataSet data) {
        Objects.requireNonNull(data, "data");
        requireFeatures(data.getFeatures(), data.getLabels(), "DataSet");
        return new Dl4jData(data.toMultiDataSet(), null, "DataSet", -1);
    }

    /**
     * One in-memory multi data set (several inputs and outputs, with masks).
     *
     * @param data the multi data set, with at least one feature and one label array (not null)
     * @return the data, evaluated in batches sliced from it
     * @throws IllegalArgumentException if it has no feature or no label array, or 0 examples
     */
    public static Dl4jData of(MultiDataSet data) {
        Objects.requireNonNull(data, "data");
        if (data.numFeatureArrays() == 0 || data.numLabelsArrays() == 0) {
            throw new IllegalArgumentException("MultiDataSet needs features and labels, has "
                    + data.numFeatureArrays() + " feature and " + data.numLabelsArrays() + " label arrays");
        }
        return new Dl4jData(data, null, "MultiDataSet", -1);
    }

    /**
     * An iterator, streamed at every evaluation ({@code reset()}, one pass).
     *
     * @param data the iterator, which must support {@code reset()} (not null)
     * @return the data, streamed from the iterator
     * @throws IllegalArgumentException if it cannot be reset
     */
    public static Dl4jData of(DataSetIterator data) {
        Objects.requireNonNull(data, "data");
        if (!data.resetSupported()) {
            throw new IllegalArgumentException("the DataSetIterator does not support reset(), so it cannot be evaluated "
                    + "more than once; pass a DataSet or subset(k, seed) of it");
        }
        return new Dl4jData(null, new MultiDataSetIteratorAdapter(data), "DataSetIterator", -1);
    }

    /**
     * A multi-data-set iterator, streamed at every evaluation ({@code reset()}, one pass).
     *
     * @param data the iterator, which must support {@code reset()} (not null)
     * @return the data, streamed from the iterator
     * @throws IllegalArgumentException if it cannot be reset
     */
    public static Dl4jData of(MultiDataSetIterator data) {
        Objects.requireNonNull(data, "data");
        if (!data.resetSupported()) {
            throw new IllegalArgumentException("the MultiDataSetIterator does not support reset(), so it cannot be "
                    + "evaluated more than once; pass a MultiDataSet or subset(k, seed) of it");
        }
        return new Dl4jData(null, data, "MultiDataSetIterator", -1);
    }

    private static void requireFeatures(INDArray f, INDArray l, String what) {
        if (f == null || l == null) {
            throw new IllegalArgumentException(what + " needs features and labels");
        }
    }

    /**
     * A fixed sample of {@code k} examples (all of them if there are fewer), drawn once, now, with a generator
     * seeded by {@code seed} (the training's random generators are not touched), in the data's order.
     *
     * @param k    the sample size, {@code >= 1}
     * @param seed the seed of the sampling generator: the same seed and data give the same sample
     * @return the sample, held in memory, whose {@link #populationSize()} is this data's size
     * @throws IllegalArgumentException if k &lt; 1
     */
    public Dl4jData subset(int k, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("subset size must be >= 1, was " + k);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Row> reservoir = new ArrayList<>(Math.min(k, 1 << 16));
        long[] seen = {0};
        forEachBatch(b -> {
            long n = b.getFeatures(0).size(0);
            for (int r = 0; r < n; r++) {
                long t = seen[0]++;
                if (t < k) {
                    reservoir.add(Row.of(b, r, t));
                } else {
                    long j = rng.nextLong(t + 1);
                    if (j < k) {
                        reservoir.set((int) j, Row.of(b, r, t));
                    }
                }
            }
        });
        reservoir.sort(java.util.Comparator.comparingLong(Row::index));
        return new Dl4jData(Row.stack(reservoir), null, "a subset of " + k + " of the " + description, seen[0]);
    }

    /**
     * The examples an evaluation averages over (one pass over an iterator the first time).
     *
     * @return the number of examples, {@code >= 1}
     * @throws IllegalArgumentException if an iterator gives no examples
     */
    public long examples() {
        long e = examples;
        if (e < 0) {
            long[] n = {0};
            forEachBatch(b -> n[0] += b.getFeatures(0).size(0));
            if (n[0] == 0) {
                throw new IllegalArgumentException("the " + description + " gave no examples");
            }
            examples = e = n[0];
        }
        return e;
    }

    /**
     * The examples the data was drawn from: the full size for a {@link #subset}, else {@link #examples()}.
     *
     * @return the number of examples in the data the sample was drawn from, {@code >= 1}
     */
    public long populationSize() {
        return fullSize >= 0 ? fullSize : examples();
    }

    /** Runs {@code body} on every batch, in order (slices of an in-memory set; a fresh pass of an iterator). */
    void forEachBatch(Consumer<MultiDataSet> body) {
        if (inMemory != null) {
            long n = inMemory.getFeatures(0).size(0);
            if (n <= BATCH) {
                body.accept(inMemory);
                return;
            }
            for (long from = 0; from < n; from += BATCH) {
                body.accept(slice(inMemory, from, Math.min(n, from + BATCH)));
            }
            return;
        }
        iterator.reset();
        while (iterator.hasNext()) {
            MultiDataSet b = iterator.next();
            if (b != null && b.numFeatureArrays() > 0 && b.getFeatures(0).size(0) > 0) {
                body.accept(b);
            }
        }
    }

    /** The first {@code n} examples (fewer if there are fewer), copied: LMN's sample points. */
    MultiDataSet head(int n) {
        List<Row> rows = new ArrayList<>();
        try {
            forEachBatch(b -> {
                long size = b.getFeatures(0).size(0);
                for (int r = 0; r < size && rows.size() < n; r++) {
                    rows.add(Row.of(b, r, rows.size()));
                }
                if (rows.size() >= n) {
                    throw new Enough();
                }
            });
        } catch (Enough done) {
            // stop the pass early
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the " + description + " gave no examples");
        }
        return Row.stack(rows);
    }

    private static final class Enough extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Enough() {
            super(null, null, false, false);
        }
    }

    @Override
    public String toString() {
        return description + (examples >= 0 ? " (" + examples + " examples)" : "");
    }

    /** Rows [from, to) of every array (views). */
    static MultiDataSet slice(MultiDataSet m, long from, long to) {
        return new org.nd4j.linalg.dataset.MultiDataSet(rows(m.getFeatures(), from, to), rows(m.getLabels(), from, to),
                rows(m.getFeaturesMaskArrays(), from, to), rows(m.getLabelsMaskArrays(), from, to));
    }

    private static INDArray[] rows(INDArray[] arrays, long from, long to) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = arrays[i] == null ? null : rows(arrays[i], from, to);
        }
        return out;
    }

    static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < idx.length; d++) {
            idx[d] = NDArrayIndex.all();
        }
        return a.get(idx);
    }

    /** One example copied out of a batch, with its position in the data. */
    private record Row(long index, INDArray[] features, INDArray[] labels, INDArray[] featureMasks,
                       INDArray[] labelMasks) {

        static Row of(MultiDataSet b, int r, long index) {
            return new Row(index, copy(b.getFeatures(), r), copy(b.getLabels(), r), copy(b.getFeaturesMaskArrays(), r),
                    copy(b.getLabelsMaskArrays(), r));
        }

        private static INDArray[] copy(INDArray[] arrays, int r) {
            if (arrays == null) {
                return null;
            }
            INDArray[] out = new INDArray[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                out[i] = arrays[i] == null ? null : rows(arrays[i], r, r + 1L).dup();
            }
            return out;
        }

        static MultiDataSet stack(List<Row> rows) {
            return new org.nd4j.linalg.dataset.MultiDataSet(stack(rows, Row::features, "features"),
                    stack(rows, Row::labels, "labels"), stack(rows, Row::featureMasks, "feature masks"),
                    stack(rows, Row::labelMasks, "label masks"));
        }

        private static INDArray[] stack(List<Row> rows, java.util.function.Function<Row, INDArray[]> part, String what) {
            INDArray[] first = part.apply(rows.get(0));
            if (first == null) {
                for (Row r : rows) {
                    if (part.apply(r) != null) {
                        throw new IllegalArgumentException("some batches have " + what + " and others not");
                    }
                }
                return null;
            }
            INDArray[] out = new INDArray[first.length];
            for (int i = 0; i < first.length; i++) {
                INDArray[] column = new INDArray[rows.size()];
                boolean nulls = false;
                for (int r = 0; r < rows.size(); r++) {
                    INDArray[] arrays = part.apply(rows.get(r));
                    if (arrays == null || arrays.length != first.length) {
                        throw new IllegalArgumentException("batches disagree on the number of " + what);
                    }
                    column[r] = arrays[i];
                    nulls |= arrays[i] == null;
                }
                if (nulls) {
                    for (INDArray c : column) {
                        if (c != null) {
                            throw new IllegalArgumentException("some batches have " + what + " and others not");
                        }
                    }
                    out[i] = null;
                } else {
                    out[i] = Nd4j.concat(0, column);
                }
            }
            return out;
        }
    }

    /** A DataSetIterator seen as a MultiDataSetIterator. */
    private static final class MultiDataSetIteratorAdapter implements MultiDataSetIterator {
        private static final long serialVersionUID = 1L;
        private final DataSetIterator it;

        MultiDataSetIteratorAdapter(DataSetIterator it) {
            this.it = it;
        }

        @Override
        public MultiDataSet next(int num) {
            return it.next(num).toMultiDataSet();
        }

        @Override
        public void setPreProcessor(org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException("set the pre-processor on the DataSetIterator");
        }

        @Override
        public org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return it.resetSupported();
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            it.reset();
        }

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public MultiDataSet next() {
            return it.next().toMultiDataSet();
        }
    }
}
