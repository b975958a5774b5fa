package org.grokmetrics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WeightNoiseTest {

    private static ModularMlp data;

    @BeforeAll
    static void setUp() {
        data = new ModularMlp(7, 0.7, 2, 16);
    }

    @AfterAll
    static void tearDown() {
        data.close();
    }

    private static List<float[]> gradients(Model model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.add(p.getValue().getArray().getGradient().toFloatArray());
        }
        return out;
    }

    private static Batch firstBatch(Trainer trainer) throws Exception {
        return trainer.iterateDataset(data.validation).iterator().next();
    }

    @Test
    void gradientIsTakenAtTheNoisyWeightsAndTheCleanWeightsAreRestored() throws Exception {
        double delta = 0.05;
        long seed = 11;
        // run 1: noisy batch
        Pair<Model, Trainer> a = data.trainer(1, 16, Loss.softmaxCrossEntropyLoss());
        List<float[]> clean = ModularMlp.parameters(a.getKey());
        try (Batch batch = firstBatch(a.getValue())) {
            WeightNoise.of(delta, seed).trainBatch(a.getValue(), batch);
        }
        List<float[]> noisyGrad = gradients(a.getKey());
        List<float[]> restored = ModularMlp.parameters(a.getKey());
        for (int i = 0; i < clean.size(); i++) {
            assertArrayEquals(clean.get(i), restored.get(i), "weights restored bit for bit");
        }
        // run 2: the same weights moved by the documented noise sequence by hand, plain EasyTrain batch
        Pair<Model, Trainer> b = data.trainer(1, 16, Loss.softmaxCrossEntropyLoss());
        SplittableRandom r = new SplittableRandom(seed);
        for (Pair<String, Parameter> p : b.getKey().getBlock().getParameters()) {
            NDArray w = p.getValue().getArray();
            float[] n = new float[(int) w.size()];
            for (int i = 0; i < n.length; i++) {
                n[i] = (float) (delta * r.nextGaussian());
            }
            w.addi(w.getManager().create(n, w.getShape()));
        }
        try (Batch batch = firstBatch(b.getValue())) {
            EasyTrain.trainBatch(b.getValue(), batch);
        }
        List<float[]> reference = gradients(b.getKey());
        for (int i = 0; i < reference.size(); i++) {
            float[] x = noisyGrad.get(i);
            float[] y = reference.get(i);
            for (int k = 0; k < x.length; k++) {
                assertEquals(y[k], x[k], 1e-6 + 1e-5 * Math.abs(y[k]));
            }
        }
        // and the noise mattered: the clean gradient differs
        Pair<Model, Trainer> c = data.trainer(1, 16, Loss.softmaxCrossEntropyLoss());
        try (Batch batch = firstBatch(c.getValue())) {
            EasyTrain.trainBatch(c.getValue(), batch);
        }
        assertFalse(Arrays.equals(gradients(c.getKey()).get(0), noisyGrad.get(0)));
        for (Pair<Model, Trainer> mt : List.of(a, b, c)) {
            mt.getValue().close();
            mt.getKey().close();
        }
    }

    @Test
    void zeroNoiseIsExactlyEasyTrainAndSeedsReproduce() throws Exception {
        List<float[]> easy = trainFor(null);
        List<float[]> zero = trainFor(WeightNoise.of(0, 1));
        for (int i = 0; i < easy.size(); i++) {
            assertArrayEquals(easy.get(i), zero.get(i));
        }
        List<float[]> n1 = trainFor(WeightNoise.of(1e-2, 5));
        List<float[]> n2 = trainFor(WeightNoise.of(1e-2, 5));
        List<float[]> n3 = trainFor(WeightNoise.of(1e-2, 6));
        for (int i = 0; i < n1.size(); i++) {
            assertArrayEquals(n1.get(i), n2.get(i));
        }
        assertFalse(Arrays.equals(n1.get(0), n3.get(0)));
        assertFalse(Arrays.equals(n1.get(0), easy.get(0)));
    }

    @Test
    void rejectsBadDelta() {
        assertThrows(IllegalArgumentException.class, () -> WeightNoise.of(-1e-3, 0));
        assertThrows(IllegalArgumentException.class, () -> WeightNoise.of(Double.POSITIVE_INFINITY, 0));
    }

    private static List<float[]> trainFor(WeightNoise noise) throws Exception {
        Pair<Model, Trainer> mt = data.trainer(4, 16, Loss.softmaxCrossEntropyLoss());
        try (Trainer t = mt.getValue(); Model m = mt.getKey()) {
            if (noise == null) {
                EasyTrain.fit(t, 2, data.train, data.validation);
            } else {
                noise.fit(t, 2, data.train, data.validation);
            }
            return ModularMlp.parameters(m);
        }
    }
}
