package org.grokmetrics.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.dl4j.Dl4jModels;
import org.grokmetrics.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A user's build with both adapters (grok-metrics-dl4j declared first), the ND4J CPU backend and the PyTorch
 * engine: DL4J 1.0.0-M2.1 asks for gson 2.8.0 and commons-io 2.7, DJL for gson 2.13.1, commons-compress for
 * commons-io 2.16.1; the newer ones must win without any dependencyManagement in the user's pom.
 */
class BothAdaptersConsumerTest implements ConsumerClasspathContract {

    /**
     * A DL4J network's weights written by grok-metrics as safetensors, decoded by DJL's codec (gson parses
     * the header), encoded again by DJL and loaded back into a DL4J network.
     */
    @Test
    void djlDecodesTheSafetensorsOfADl4jNetwork() throws Exception {
        MultiLayerNetwork net = network(3);
        ParameterSnapshot weights = Dl4jModels.snapshot(net);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList decoded = NDList.decode(manager, SafeTensors.toBytes(weights, Map.of()));
            assertEquals(weights.tensorCount(), decoded.size());
            for (Tensor t : weights.tensors()) {
                NDArray a = decoded.get(t.name());
                assertEquals(t.size(), a.size(), t.name());
                assertArrayEquals(t.data(), a.toFloatArray(), t.name());
            }
            ByteArrayOutputStream djl = new ByteArrayOutputStream();
            decoded.encode(djl, NDList.Encoding.SAFETENSORS);
            MultiLayerNetwork other = network(4);
            Dl4jModels.load(other, SafeTensors.readContents(djl.toByteArray(), "DJL's encoding").parameters());
            assertEquals(net.params(), other.params());
        }
    }

    private static MultiLayerNetwork network(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }
}
