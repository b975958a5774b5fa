package org.grokmetrics.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.grokmetrics.dl4j.ComplexityListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Listener overhead on the networks of issue 12 (DL4J): a CNN with batch norm (1&times;12&times;12 images, 3
 * classes, 128 examples) and an LSTM (64 sequences of 10 steps, per-step labels), full batch. Conditions: no
 * listener; the default estimators every 10 iterations; the same with {@code maxOverhead(0.10)}. Reported: the
 * training time over the time without listener, and the share of wall time the monitor spent measuring.
 */
public final class ArchitectureListenerBenchmark {

    /** One condition on one model. */
    public record Row(String model, String condition, int iterations, int measurements, long postponed,
                      double seconds, double ratio, double measuringShare) {
    }

    private ArchitectureListenerBenchmark() {
    }

    static MultiLayerConfiguration cnn() {
        return new NeuralNetConfiguration.Builder().seed(11).weightInit(WeightInit.XAVIER).updater(new Adam(1e-2))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(12, 12, 1)).build();
    }

    static MultiLayerConfiguration lstm() {
        return new NeuralNetConfiguration.Builder().seed(12).weightInit(WeightInit.XAVIER).updater(new Adam(1e-2))
                .list()
                .layer(new LSTM.Builder().nIn(4).nOut(32).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(32).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .build();
    }

    static DataSet images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, 12, 12);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, r.nextInt(3), 1);
        }
        return new DataSet(x, y);
    }

    static DataSet sequences(int n, int t) {
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 4, t).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2, t);
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < t; s++) {
                y.putScalar(new int[] {i, x.getDouble(i, 0, s) > 0 ? 1 : 0, s}, 1);
            }
        }
        return new DataSet(x, y);
    }

    private static Row time(String model, String condition, MultiLayerConfiguration conf, DataSet train,
                            int iterations, ComplexityListener listener, double base) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
        net.init();
        double sec = ListenerBenchmark.fitSeconds(net, train, iterations, listener);
        long wall = (long) (sec * 1e9);
        return new Row(model, condition, iterations, listener == null ? 0 : listener.history().size(),
                listener == null ? 0 : listener.monitor().postponed(), sec, Double.isNaN(base) ? 1 : sec / base,
                listener == null ? 0 : listener.monitor().measuredNanos() / (double) wall);
    }

    public static List<Row> run(int iterations) {
        Nd4j.getRandom().setSeed(7);
        List<Row> rows = new ArrayList<>();
        Object[][] models = {{"CNN + batch norm", cnn(), images(128, 1)}, {"LSTM", lstm(), sequences(64, 10)}};
        for (Object[] m : models) {
            String name = (String) m[0];
            MultiLayerConfiguration conf = (MultiLayerConfiguration) m[1];
            DataSet d = (DataSet) m[2];
            time(name, "warm-up", conf, d, 50, null, Double.NaN);
            List<Object[]> conditions = List.of(
                    new Object[] {"none", (Supplier<ComplexityListener>) () -> null},
                    new Object[] {"defaults every 10 iterations", (Supplier<ComplexityListener>) () ->
                            ComplexityListener.builder().trainData(d).everyIterations(10).build()},
                    new Object[] {"defaults every 10 iterations, maxOverhead(0.10)", (Supplier<ComplexityListener>) () ->
                            ComplexityListener.builder().trainData(d).everyIterations(10).maxOverhead(0.10).build()});
            double base = Double.NaN;
            for (Object[] c : conditions) {
                @SuppressWarnings("unchecked")
                ComplexityListener l = ((Supplier<ComplexityListener>) c[1]).get();
                Row r = time(name, (String) c[0], conf, d, iterations, l, base);
                if (l == null) {
                    base = r.seconds();
                }
                rows.add(r);
                System.out.printf(Locale.ROOT, "  %-18s %-50s %5d it %3d measured %3d postponed %7.2f s  x%.2f  "
                        + "measuring %.1f%%%n", name, r.condition(), iterations, r.measurements(), r.postponed(),
                        r.seconds(), r.ratio(), 100 * r.measuringShare());
            }
        }
        return rows;
    }

    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| model | listener | iterations | measurements | postponed | seconds | "
                + "time / no listener | measuring share of wall time |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %.2f | %.2f | %.1f%% |%n", r.model(),
                    r.condition(), r.iterations(), r.measurements(), r.postponed(), r.seconds(), r.ratio(),
                    100 * r.measuringShare()));
        }
        return sb.toString();
    }
}
