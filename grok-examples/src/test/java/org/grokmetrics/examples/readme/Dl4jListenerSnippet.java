package org.grokmetrics.examples.readme;

import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.dl4j.ComplexityListener;
import org.nd4j.linalg.dataset.DataSet;

/** README.md, "Watch a DL4J model train": ReadmeSnippetsTest keeps this file and the README block equal. */
final class Dl4jListenerSnippet {

    static void train(MultiLayerNetwork net, DataSet train, DataSet test) {   // or a ComputationGraph
        ComplexityListener listener = ComplexityListener.builder()
                .trainData(train).validationData(test)   // DataSet, MultiDataSet or an iterator of either
                .model(net)                              // optional: checks the options against the model at build()
                .everyIterations(100).csv(Path.of("run/metrics.csv")).tensorBoard(Path.of("run")).log()
                .build();
        net.addListeners(listener);      // keeps the listeners you already have
        net.fit(train);                  // ...
        listener.close();
    }
}
