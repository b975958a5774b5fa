package org.grokmetrics.examples.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.grokmetrics.examples.RunFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformerTest {

    @TempDir
    Path dir;

    private static NDArray causal(NDManager m, int s) {
        float[] v = new float[s * s];
        for (int t = 0; t < s; t++) {
            for (int f = 0; f <= t; f++) {
                v[t * s + f] = 1;
            }
        }
        return m.create(v, new Shape(1, s, s));
    }

    @Test
    void causalMaskHidesLaterPositionsAndLayersArePostNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            DecoderLayer layer = new DecoderLayer(16, 4, 32);
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 4, 16));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 4, 16));
            NDArray x2 = x.duplicate();
            x2.set(new NDIndex("0, 3, :"), m.randomNormal(new Shape(16)));
            NDArray a = layer.forward(ps, new NDList(x, causal(m, 4)), false).singletonOrThrow();
            NDArray b = layer.forward(ps, new NDList(x2, causal(m, 4)), false).singletonOrThrow();
            // positions 0..2 cannot see position 3 under the causal mask
            assertArrayEquals(a.get("0, 0:3, :").toFloatArray(), b.get("0, 0:3, :").toFloatArray(), 1e-5f);
            assertFalse(Arrays.equals(a.get("0, 3, :").toFloatArray(), b.get("0, 3, :").toFloatArray()));
            // without the mask they can
            NDArray c = layer.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray d = layer.forward(ps, new NDList(x2), false).singletonOrThrow();
            assertFalse(Arrays.equals(c.get("0, 0, :").toFloatArray(), d.get("0, 0, :").toFloatArray()));
            // post-LayerNorm with its initial scale 1 and shift 0: every position has mean 0 and variance 1
            float[] mean = a.mean(new int[] {2}).toFloatArray();
            float[] var = a.sub(a.mean(new int[] {2}, true)).pow(2).mean(new int[] {2}).toFloatArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(0, mean[i], 1e-5);
                assertEquals(1, var[i], 1e-3);
            }
        }
    }

    @Test
    void modelMapsTokenSequencesToClassLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            ModularTransformer t = new ModularTransformer(new ModularTransformer.Architecture(13, 4, 11, 2, 16, 4, 32,
                    true, true));
            t.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            NDArray tokens = m.create(new float[] {1, 11, 2, 12, 3, 11, 4, 12}, new Shape(2, 4));
            NDArray out = t.forward(new ParameterStore(m, false), new NDList(tokens), false).singletonOrThrow();
            assertEquals(new Shape(2, 11), out.getShape());
            List<String> names = t.getParameters().keys();
            assertTrue(names.contains("token_embedding"), names.toString());
            assertTrue(names.contains("04unembed_weight"), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.contains("layer1_01attention")), names.toString());
        }
    }

    @Test
    void linearLayersStartLikePyTorchsInTheTrainersHands() throws Exception {
        try (ai.djl.Model model = ai.djl.Model.newInstance("t")) {
            model.setBlock(new ModularTransformer(new ModularTransformer.Architecture(13, 4, 11, 1, 128, 4, 512, false,
                    false)));
            try (ai.djl.training.Trainer trainer = model.newTrainer(new ai.djl.training.DefaultTrainingConfig(
                    ai.djl.training.loss.Loss.softmaxCrossEntropyLoss()))) {
                trainer.initialize(new Shape(1, 4));
                var params = model.getBlock().getParameters();
                NDArray out = params.get("01layer0_04mlpOut_weight").getArray();
                NDArray q = params.get("01layer0_01attention_02queryProjection_bias").getArray();
                NDArray emb = params.get("token_embedding").getArray();
                // uniform in +-1/sqrt(fan_in): max close to the bound, std bound/sqrt(3)
                double b512 = 1 / Math.sqrt(512);
                double b128 = 1 / Math.sqrt(128);
                assertTrue(out.abs().max().getFloat() <= b512 + 1e-7 && out.abs().max().getFloat() > 0.95 * b512);
                assertEquals(b512 / Math.sqrt(3), std(out), 0.05 * b512);
                assertTrue(q.abs().max().getFloat() <= b128 + 1e-7 && q.abs().max().getFloat() > 0.5 * b128);
                assertEquals(1.0, std(emb), 0.05);
            }
        }
    }

    private static double std(NDArray a) {
        float[] v = a.toFloatArray();
        double m = 0;
        for (float x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static TransformerConfig tiny(String condition, double beta, double noise, boolean complexity) {
        return new TransformerConfig(condition, "mod", 11, "add", 0.5, 4, 12, 16, 1, false, false, 1e-3, 0.98, 1.0, 3,
                beta, noise, 6, 0, complexity, 1.0, "cpu");
    }

    @Test
    void runWritesItsFolderAndRepeatsExactlyFromConfigJson() throws Exception {
        TransformerConfig c = tiny("ours", 0.1, 1e-2, true);
        TransformerTrainer.Result a = TransformerTrainer.run(c, dir.resolve("a"), null, null);
        for (String f : List.of("config.json", "metrics.csv", "metrics.jsonl", "summary.json", "curves.png")) {
            assertTrue(Files.exists(dir.resolve("a").resolve(f)), f);
        }
        assertEquals(12, a.records().get(a.records().size() - 1).step());
        assertTrue(a.records().stream().allMatch(r -> r.estimate("coarse-grained").orElseThrow().succeeded()));
        assertTrue(a.summary().containsKey("final_generalization_bound"));
        TransformerConfig again = TransformerConfig.read(dir.resolve("a/config.json"));
        assertEquals(c, again);
        TransformerTrainer.Result b = TransformerTrainer.run(again, dir.resolve("b"), null, null);
        assertEquals(RunFolders.withoutTimes(dir.resolve("a/metrics.csv")), RunFolders.withoutTimes(dir.resolve("b/metrics.csv")));
    }

    @Test
    void presetsFollowThePapers() {
        List<TransformerConfig> demoss = TransformerReproductions.runs("demoss", List.of("add", "div"), null, null, "paper",
                0, "cpu");
        assertEquals(6, demoss.size());
        TransformerConfig ours = demoss.get(2);
        assertEquals("ours", ours.condition());
        assertEquals(113, ours.p());
        assertEquals(0.2, ours.trainFraction());
        assertEquals(1, ours.layers());
        assertEquals(0.1, ours.spectralBeta());
        assertEquals(1e-2, ours.weightNoise());
        assertEquals(1.0, ours.weightDecay());
        TransformerConfig divOurs = demoss.get(5);
        assertEquals(0.3, divOurs.trainFraction());
        assertEquals(2, divOurs.layers());
        assertEquals(1e-3, divOurs.weightNoise());
        assertEquals(0.0, demoss.get(0).weightDecay());
        TransformerConfig mdl = TransformerReproductions.runs("mdl", List.of("add"), null, null, "cpu", 1, "cpu").get(0);
        assertEquals(97, mdl.p());
        assertEquals(7500, mdl.steps());
        assertEquals(0.5, mdl.weightDecay());
        assertEquals(50, mdl.warmupSteps());
        assertTrue(mdl.causal() && mdl.finalNorm());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransformerReproductions.runs("mdl", List.of("mul"), null, null, "cpu", 0, "cpu"));
        assertTrue(e.getMessage().contains("mul"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TransformerReproductions.runs("demoss", null, List.of("dropout"), null, "cpu", 0, "cpu"));
        assertThrows(IllegalArgumentException.class, () -> tiny("x", 0, 0, false).with(10, 0, "tpu"));
        assertEquals(50_000, ours.steps());
        // the cpu scale: 30% train for every operation, 6,000 steps; unknown scales are named
        TransformerConfig cpu = TransformerReproductions.runs("demoss", List.of("add"), List.of("ours"), null, "cpu", 0,
                "cpu").get(0);
        assertEquals(0.3, cpu.trainFraction());
        assertEquals(6000, cpu.steps());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransformerReproductions.runs("demoss", null, null, null, "huge", 0, "cpu"));
        assertTrue(e.getMessage().contains("huge"), e.getMessage());
    }
}
