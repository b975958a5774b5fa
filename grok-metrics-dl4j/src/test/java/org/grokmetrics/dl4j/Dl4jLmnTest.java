package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.FunctionOracle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The LMN cut composes back to the whole network: the sub-network applied to the representations at a
 * position (native shapes: conv 4-D, recurrent 3-D, a graph vertex) gives the model's logits.
 */
class Dl4jLmnTest {

    static Model model(String name) {
        return switch (name) {
            case "cnn" -> Architectures.cnn();
            case "lstm" -> Architectures.lstm();
            case "rnn" -> Architectures.simpleRnn();
            case "graph" -> Architectures.twoInTwoOut();
            case "embedding" -> Architectures.embedding();
            default -> Architectures.regression();
        };
    }

    static MultiDataSet data(String name) {
        return switch (name) {
            case "cnn" -> Architectures.images(6, 3).toMultiDataSet();
            case "lstm", "rnn" -> Architectures.sequences(5, 4, 3).toMultiDataSet();
            case "graph" -> Architectures.twoInTwoOutData(6, 3);
            case "embedding" -> Architectures.tokens(6, 3).toMultiDataSet();
            default -> Architectures.regressionData(6, 3).toMultiDataSet();
        };
    }

    @ParameterizedTest
    @CsvSource({"cnn,0", "cnn,1", "cnn,2", "cnn,3", "cnn,4", "lstm,0", "lstm,1", "rnn,1", "graph,trunk", "graph,cls",
        "embedding,1", "embedding,2", "mlp,0", "mlp,1"})
    void theCutComposesToTheWholeNetwork(String name, String position) {
        Model m = model(name);
        MultiDataSet d = data(name);
        Dl4jLmn lmn = Dl4jLmn.at(m, position);
        Model logits = Dl4jLmn.withLogitOutputs(Dl4jModels.cloneOf(m));
        INDArray reps = lmn.representations(logits, d);
        long[] shape = Arrays.copyOfRange(reps.shape(), 1, reps.rank());
        if (name.equals("cnn") && (position.equals("1") || position.equals("2"))) {
            assertEquals(4, reps.rank(), "a convolutional representation keeps its 4-D shape");
        }
        if (name.equals("lstm") || name.equals("rnn")) {
            assertEquals(3, reps.rank(), "a recurrent representation keeps its 3-D shape");
        }
        FunctionOracle f = lmn.cut(logits, shape);
        double[][] viaCut = f.apply(Dl4jModels.toRows(reps));
        double[][] whole;
        if (logits instanceof MultiLayerNetwork net) {
            whole = Dl4jModels.toRows(net.output(d.getFeatures(0), false));
        } else {
            INDArray[] outs = ((ComputationGraph) logits).output(false, d.getFeatures());
            double[][] a = Dl4jModels.toRows(outs[0]);
            double[][] b = Dl4jModels.toRows(outs[1]);
            whole = new double[a.length][];
            for (int i = 0; i < a.length; i++) {
                whole[i] = new double[a[i].length + b[i].length];
                System.arraycopy(a[i], 0, whole[i], 0, a[i].length);
                System.arraycopy(b[i], 0, whole[i], a[i].length, b[i].length);
            }
        }
        assertEquals(whole.length, viaCut.length);
        for (int i = 0; i < whole.length; i++) {
            assertArrayEquals(whole[i], viaCut[i], 1e-5, "row " + i);
        }
    }
}
