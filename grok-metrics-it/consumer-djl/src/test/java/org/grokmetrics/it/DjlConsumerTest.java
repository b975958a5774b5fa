package org.grokmetrics.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Arrays;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.djl.ComplexityTrainingListener;
import org.grokmetrics.djl.DjlModels;
import org.grokmetrics.djl.LabeledData;
import org.grokmetrics.io.SafeTensors;
import org.grokmetrics.monitor.ComplexityRecord;
import org.junit.jupiter.api.Test;

/**
 * A DJL user's build: grok-metrics-djl and the PyTorch CPU engine, resolved by Maven without our parent's
 * dependencyManagement (see grok-metrics-it/pom.xml).
 */
class DjlConsumerTest implements ConsumerClasspathContract {

    private static final int INPUTS = 32;
    private static final int CLASSES = 8;

    /**
     * Two epochs of a small MLP with the listener, then the trained weights through DJL's safetensors codec
     * ({@code NDList.encode(SAFETENSORS)} / {@code NDList.decode}, whose header parsing is gson's) and
     * through grok-metrics' reader and writer in both directions.
     */
    @Test
    void listenerMeasuresATrainingAndDjlsSafetensorsCodecCarriesTheWeights() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("consumer")) {
            Engine.getInstance().setRandomSeed(5);
            NDArray x = manager.randomNormal(new Shape(64, INPUTS));
            NDArray y = manager.randomInteger(0, CLASSES, new Shape(64), DataType.INT32)
                    .toType(DataType.FLOAT32, false);
            ArrayDataset train = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(16, false).build();
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(64).build()).add(Activation::relu)
                    .add(Linear.builder().setUnits(CLASSES).build()));
            ComplexityTrainingListener listener = ComplexityTrainingListener.builder()
                    .trainData(LabeledData.of(x, y)).everyBatches(4).build();
            try (Trainer trainer = model.newTrainer(
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).addTrainingListeners(listener))) {
                trainer.initialize(new Shape(1, INPUTS));
                EasyTrain.fit(trainer, 2, train, null);
            }
            listener.close();
            assertEquals(2, listener.history().size());
            for (ComplexityRecord r : listener.history()) {
                ComplexityEstimate e = r.estimate(CoarseGrainCompressor.NAME).orElseThrow();
                assertTrue(e.succeeded() && Double.isFinite(e.value()), () -> "coarse-grained: " + e);
            }

            ParameterSnapshot weights = DjlModels.snapshot(model);
            NDList list = new NDList();
            for (Tensor t : weights.tensors()) {
                NDArray a = manager.create(t.data(), new Shape(Arrays.stream(t.shape()).asLongStream().toArray()));
                a.setName(t.name());
                list.add(a);
            }
            ByteArrayOutputStream djlBytes = new ByteArrayOutputStream();
            list.encode(djlBytes, NDList.Encoding.SAFETENSORS);
            assertSameWeights(weights, NDList.decode(manager, djlBytes.toByteArray()));
            assertSameWeights(weights, NDList.decode(manager, SafeTensors.toBytes(weights, Map.of())));
            ParameterSnapshot read = SafeTensors.readContents(djlBytes.toByteArray(), "DJL's encoding").parameters();
            for (Tensor t : weights.tensors()) {
                assertEquals(t, read.get(t.name()));
            }
        }
    }

    private static void assertSameWeights(ParameterSnapshot expected, NDList decoded) {
        assertEquals(expected.tensorCount(), decoded.size());
        for (Tensor t : expected.tensors()) {
            NDArray a = decoded.get(t.name());
            assertArrayEquals(Arrays.stream(t.shape()).asLongStream().toArray(), a.getShape().getShape());
            assertArrayEquals(t.data(), a.toFloatArray(), t.name());
        }
    }
}
