package org.grokmetrics.examples.readme;

import java.io.IOException;
import java.nio.file.Path;

import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.loss.Loss;
import org.grokmetrics.djl.ComplexityTrainingListener;
import org.grokmetrics.djl.LabeledData;

/** README.md, "Watch a DJL model train": ReadmeSnippetsTest keeps this file and the README block equal. */
final class DjlListenerSnippet {

    static DefaultTrainingConfig config(Loss loss, RandomAccessDataset trainSet, RandomAccessDataset testSet)
            throws IOException {
        ComplexityTrainingListener listener = ComplexityTrainingListener.builder()
                .trainData(LabeledData.of(trainSet)).validationData(LabeledData.of(testSet))   // any RandomAccessDataset
                .everyBatches(100).csv(Path.of("run/metrics.csv")).tensorBoard(Path.of("run")).build();
        return new DefaultTrainingConfig(loss).addTrainingListeners(listener);
    }
}
