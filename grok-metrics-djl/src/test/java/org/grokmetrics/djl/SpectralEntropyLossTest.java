package org.grokmetrics.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.util.Pair;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.spectral.SpectralEntropy;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;

class SpectralEntropyLossTest {

    /** A 4 -> 7 -> 3 block: weights 7x4 and 3x7 (and two biases, not penalised). */
    private static SequentialBlock block(NDManager m, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        SequentialBlock b = new SequentialBlock()
                .add(Linear.builder().setUnits(7).build())
                .add(Activation::tanh)
                .add(Linear.builder().setUnits(3).build());
        b.initialize(m, DataType.FLOAT32, new Shape(2, 4));
        for (Pair<String, Parameter> p : b.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        return b;
    }

    /** The penalty in double precision from plain Java arrays: the reference. */
    private static double penalty(double beta, List<double[]> weights, List<int[]> shapes) {
        double sum = 0;
        for (int i = 0; i < weights.size(); i++) {
            sum += SpectralEntropy.analyze(shapes.get(i)[0], shapes.get(i)[1], weights.get(i), false,
                    LinearAlgebra.getDefault()).entropy();
        }
        return beta * sum / weights.size();
    }

    @PropertyTest(cases = 6)
    void valueIsBetaTimesMeanEntropyAndGradientMatchesFiniteDifferences(Seed seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock b = block(m, seed.value());
            double beta = 0.1 + new SplittableRandom(seed.value()).nextDouble();
            SpectralEntropyLoss loss = SpectralEntropyLoss.of(b, beta);
            assertEquals(List.of("01Linear_weight", "03Linear_weight"), loss.matrixNames());
            NDArray value;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                value = loss.evaluate(null, new NDList(m.zeros(new Shape(1))));
                c.backward(value);
            }
            List<Parameter> ws = List.of(b.getParameters().get("01Linear_weight"), b.getParameters().get("03Linear_weight"));
            List<double[]> w = ws.stream().map(p -> toDouble(p.getArray().toFloatArray())).toList();
            List<int[]> shapes = List.of(new int[] {7, 4}, new int[] {3, 7});
            double reference = penalty(beta, w, shapes);
            assertEquals(reference, value.getFloat(), 1e-6 * Math.max(1, reference));
            assertEquals(reference, loss.penalty(), 1e-12);
            double h = 1e-5;
            for (int t = 0; t < ws.size(); t++) {
                float[] grad = ws.get(t).getArray().getGradient().toFloatArray();
                for (int i = 0; i < grad.length; i++) {
                    double[] plus = w.get(t).clone();
                    double[] minus = w.get(t).clone();
                    plus[i] += h;
                    minus[i] -= h;
                    List<double[]> wp = t == 0 ? List.of(plus, w.get(1)) : List.of(w.get(0), plus);
                    List<double[]> wm = t == 0 ? List.of(minus, w.get(1)) : List.of(w.get(0), minus);
                    double fd = (penalty(beta, wp, shapes) - penalty(beta, wm, shapes)) / (2 * h);
                    assertEquals(fd, grad[i], 1e-4 * Math.max(1, Math.abs(fd)),
                            ws.get(t).getName() + "[" + i + "] " + seed);
                }
            }
            // biases get no gradient from the penalty
            float[] bias = b.getParameters().get("01Linear_bias").getArray().getGradient().toFloatArray();
            for (float v : bias) {
                assertEquals(0f, v);
            }
        }
    }

    @Test
    void descendingThePenaltyLowersTheEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock b = block(m, 5);
            SpectralEntropyLoss loss = SpectralEntropyLoss.of(b, 1.0);
            double start = loss.penalty();
            for (int step = 0; step < 50; step++) {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    c.backward(loss.evaluate(null, new NDList(m.zeros(new Shape(1)))));
                }
                for (String name : loss.matrixNames()) {
                    NDArray w = b.getParameters().get(name).getArray();
                    w.subi(w.getGradient().mul(0.5f));
                }
            }
            assertTrue(loss.penalty() < 0.8 * start, "penalty " + start + " -> " + loss.penalty());
        }
    }

    @Test
    void composesWithTheTaskLossAndReportsItsValueToAccumulators() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock b = block(m, 7);
            SpectralEntropyLoss se = SpectralEntropyLoss.of(b, 0.1);
            Loss ce = Loss.softmaxCrossEntropyLoss();
            SimpleCompositeLoss total = new SimpleCompositeLoss().addLoss(ce).addLoss(se);
            NDList labels = new NDList(m.create(new float[] {0, 2}));
            NDList pred = new NDList(m.create(new float[] {1, 2, 3, 0, 1, 2}, new Shape(2, 3)));
            double expected = ce.evaluate(labels, pred).getFloat() + se.penalty();
            assertEquals(expected, total.evaluate(labels, pred).getFloat(), 1e-5);
            total.addAccumulator("train");
            total.updateAccumulators(new String[] {"train"}, labels, pred);
            assertEquals((float) se.penalty(), se.getAccumulator("train"), 1e-6);
            assertEquals(ComplexityTrainingListener.taskLoss(total), ce);
        }
    }

    @Test
    void badInputIsNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock b = block(m, 9);
            assertThrows(IllegalArgumentException.class, () -> SpectralEntropyLoss.of(b, -1));
            assertThrows(IllegalArgumentException.class, () -> SpectralEntropyLoss.of(b, Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> SpectralEntropyLoss.of(b, 0.1, n -> false));
            SpectralEntropyLoss loss = SpectralEntropyLoss.of(b, 0.1);
            b.getParameters().get("03Linear_weight").getArray().set(new ai.djl.ndarray.index.NDIndex("0, 0"), Float.NaN);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loss.evaluate(null, new NDList(m.zeros(new Shape(1)))));
            assertTrue(e.getMessage().contains("03Linear_weight"), e.getMessage());
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
