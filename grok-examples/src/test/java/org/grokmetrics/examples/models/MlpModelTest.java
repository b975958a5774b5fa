package org.grokmetrics.examples.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.examples.tasks.Task;
import org.grokmetrics.examples.tasks.Tasks;
import org.grokmetrics.dl4j.Dl4jModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * The paper's MLP against independent evaluations: DL4J's finite-difference gradient check (float64), the
 * double-precision evaluator {@link ModularMlp} on the same weights, and the initial distributions.
 */
final class MlpModelTest {

    private static final Task TASK = Tasks.of("mod", 7, "add", 4, 5);

    private static MultiLayerNetwork paper(double wd, DataType dt, long seed) {
        MlpModel.Spec s = new MlpModel.Spec(TASK.vocab(), TASK.classes(), 4, 6, 1e-3, wd, seed, dt);
        return MlpModel.PAPER.network(MlpModel.PAPER.configuration(s), seed);
    }

    @Test
    void analyticGradientsMatchFiniteDifferencesThroughTheSharedEmbeddingAndSilu() {
        DataType before = Nd4j.dataType();
        DataType beforeFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // GradientCheckUtil demands it
        try {
            MlpModel.Spec spec = new MlpModel.Spec(TASK.vocab(), TASK.classes(), 4, 6, 1e-3, 0, 3, DataType.DOUBLE);
            var conf = MlpModel.PAPER.configuration(spec);
            for (int l = 0; l < conf.getConfs().size(); l++) {
                BaseLayer b = (BaseLayer) conf.getConf(l).getLayer();
                b.setIUpdater(new NoOp());
                b.setBiasUpdater(new NoOp());
            }
            MultiLayerNetwork net = MlpModel.PAPER.network(conf, 3);
            DataSet d = MlpModel.PAPER.dataSet(TASK, TASK.examples().subList(0, 20), DataType.DOUBLE);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                    .input(d.getFeatures()).labels(d.getLabels()).epsilon(1e-6).maxRelError(1e-5)
                    .minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "gradient check failed");
        } finally {
            Nd4j.setDefaultDataTypes(before, beforeFloat);
        }
    }

    @Test
    void theNetworkComputesConcatenatedSharedEmbeddingsThroughTwoSiluLayers() {
        MultiLayerNetwork net = paper(0.2, DataType.DOUBLE, 5);
        net.setParams(net.params().castTo(DataType.FLOAT).castTo(DataType.DOUBLE)); // weights a float snapshot holds
        ParameterSnapshot s = Dl4jModels.snapshot(net);
        // the same weights under ModularMlp's names and [out, in] layout
        List<Tensor> t = new ArrayList<>();
        Tensor emb = s.get("0_W");
        t.add(new Tensor("embedding.weight", emb.shape(), emb.data()));
        for (int l = 0; l < 3; l++) {
            Tensor w = s.get((l + 1) + "_W");
            int in = w.dim(0);
            int out = w.dim(1);
            float[] tr = new float[in * out];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    tr[o * in + i] = w.get(i * out + o);
                }
            }
            t.add(Tensor.matrix("layers." + l + ".weight", out, in, tr));
            Tensor b = s.get((l + 1) + "_b");
            t.add(Tensor.vector("layers." + l + ".bias", b.data()));
        }
        ParameterSnapshot asTorch = ParameterSnapshot.of(t);
        List<Task.Example> ex = TASK.examples();
        int[] pairs = ex.stream().mapToInt(e -> e.a() * TASK.vocab() + e.b()).toArray();
        ModularMlp reference = new ModularMlp(TASK.vocab(), pairs);
        DataSet d = MlpModel.PAPER.dataSet(TASK, ex, DataType.DOUBLE);
        double want = reference.loss(asTorch, pairs);
        double got = Dl4jModels.evaluate(net, d).loss();
        assertEquals(want, got, 1e-12 * Math.max(1, want));
    }

    @Test
    void initialisationIsThePapersEmbeddingN01AndPytorchsLinear() {
        MlpModel.Spec s = new MlpModel.Spec(31, 31, 32, 100, 1e-3, 0.2, 11, DataType.FLOAT);
        MultiLayerNetwork net = MlpModel.PAPER.network(MlpModel.PAPER.configuration(s), 11);
        INDArray e = net.getLayer(0).getParam("W");
        assertEquals(31 * 32, e.length());
        double mean = e.meanNumber().doubleValue();
        double sd = e.stdNumber().doubleValue();
        assertEquals(0, mean, 0.1, "embedding mean");
        assertEquals(1, sd, 0.08, "embedding std (N(0,1): the initial scale that sets LMN's sign)");
        for (int l = 1; l <= 3; l++) {
            INDArray w = net.getLayer(l).getParam("W");
            INDArray b = net.getLayer(l).getParam("b");
            double bound = 1 / Math.sqrt(w.size(0));
            assertTrue(w.amaxNumber().doubleValue() <= bound, "layer " + l + " weights within 1/sqrt(fan_in)");
            assertEquals(bound * bound / 3, w.varNumber().doubleValue(), 0.15 * bound * bound / 3, "layer " + l
                    + " weight variance of U(-a, a)");
            assertTrue(b.amaxNumber().doubleValue() <= bound && b.amaxNumber().doubleValue() > bound / 4,
                    "layer " + l + " biases drawn from U(-a, a), not constant: " + b);
        }
    }

    @Test
    void weightDecayReachesBiasesOnlyInThePapersModel() {
        MlpModel.Spec s = new MlpModel.Spec(7, 7, 4, 6, 1e-3, 0.2, 1, DataType.FLOAT);
        var paper = MlpModel.PAPER.configuration(s);
        var old = MlpModel.ONE_HOT_LINEAR.configuration(s);
        for (int l = 0; l < 4; l++) {
            BaseLayer p = (BaseLayer) paper.getConf(l).getLayer();
            BaseLayer o = (BaseLayer) old.getConf(l).getLayer();
            assertTrue(p.getRegularization().stream().anyMatch(r -> r instanceof WeightDecay), "paper layer " + l);
            assertTrue(o.getRegularization().stream().anyMatch(r -> r instanceof WeightDecay), "old layer " + l);
            if (l > 0) {
                assertTrue(p.getRegularizationBias().stream().anyMatch(r -> r instanceof WeightDecay), "paper bias " + l);
                assertTrue(o.getRegularizationBias() == null || o.getRegularizationBias().isEmpty(), "old bias " + l);
            }
        }
    }

    @Test
    void trainingOnePaperStepIsDeterministic() {
        DataSet d = MlpModel.PAPER.dataSet(TASK, TASK.examples(), DataType.FLOAT);
        MultiLayerNetwork a = paper(0.2, DataType.FLOAT, 9);
        MultiLayerNetwork b = paper(0.2, DataType.FLOAT, 9);
        for (int i = 0; i < 3; i++) {
            a.fit(d);
            b.fit(d);
        }
        assertEquals(a.params(), b.params());
    }
}
