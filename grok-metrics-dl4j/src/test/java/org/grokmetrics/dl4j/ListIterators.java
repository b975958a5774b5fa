package org.grokmetrics.dl4j;

import java.util.List;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** Resettable iterators over batches of a data set, counting their resets (to see the streaming). */
final class ListIterators {

    private ListIterators() {
    }

    /** Batches of a DataSet, as DL4J's own DataSetIterator over a list (resettable). */
    static DataSetIterator batches(DataSet all, int batch) {
        return new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(all.asList(), batch);
    }

    static MultiDataSetIterator batches(List<MultiDataSet> parts) {
        return new MultiDataSetIterator() {
            private static final long serialVersionUID = 1L;
            private int at;

            @Override
            public MultiDataSet next(int num) {
                return next();
            }

            @Override
            public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
                throw new UnsupportedOperationException();
            }

            @Override
            public MultiDataSetPreProcessor getPreProcessor() {
                return null;
            }

            @Override
            public boolean resetSupported() {
                return true;
            }

            @Override
            public boolean asyncSupported() {
                return false;
            }

            @Override
            public void reset() {
                at = 0;
            }

            @Override
            public boolean hasNext() {
                return at < parts.size();
            }

            @Override
            public MultiDataSet next() {
                return parts.get(at++);
            }
        };
    }
}
