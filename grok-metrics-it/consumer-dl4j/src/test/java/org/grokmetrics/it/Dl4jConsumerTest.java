package org.grokmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.dl4j.ComplexityListener;
import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.mdl.PruningMdlEstimator;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.spectral.SpectralEntropy;
import org.grokmetrics.spectral.SpectralEntropyEstimator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A DL4J user's build: grok-metrics-dl4j and ND4J's CPU backend, resolved by Maven without our parent's
 * dependencyManagement (see grok-metrics-it/pom.xml).
 */
class Dl4jConsumerTest implements ConsumerClasspathContract {

    private static final int INPUTS = 300;
    private static final int HIDDEN = 256;
    private static final int CLASSES = 10;

    /**
     * Issue 12: grok-metrics-dl4j leaves the ND4J backend to the user. Its published pom declares nd4j-native
     * (plain and with a classifier) only as provided, so this build has the backend because it declares it.
     */
    @Test
    void theNd4jBackendIsTheUsersChoice() throws Exception {
        String pom;
        try (java.io.InputStream in = ComplexityListener.class.getResourceAsStream(
                "/META-INF/maven/org.grokmetrics/grok-metrics-dl4j/pom.xml")) {
            assertTrue(in != null, "grok-metrics-dl4j's jar carries its pom");
            pom = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "<dependency>\\s*<groupId>org\\.nd4j</groupId>\\s*<artifactId>nd4j-native</artifactId>(.*?)</dependency>",
                java.util.regex.Pattern.DOTALL).matcher(pom);
        int found = 0;
        while (m.find()) {
            found++;
            assertTrue(m.group(1).contains("<scope>provided</scope>"), "nd4j-native must not be forced: " + m.group());
        }
        assertEquals(2, found, "nd4j-native and its classifier are declared, provided");
    }

    @Test
    void listenerMeasuresATrainingInDefaultMode() {
        ComplexityListener listener = ComplexityListener.builder().trainData(randomData(64, 1))
                .validationData(randomData(32, 2)).everyIterations(3).build();
        assertCoarseGrainedBitsRecorded(train(listener), 2);
    }

    @Test
    void listenerMeasuresATrainingInPaperMode() {
        // the paper's encoding: global quantization and rank, float32 payload, bzip2
        ComplexityListener listener = ComplexityListener.builder().trainData(randomData(64, 3)).everyIterations(6)
                .estimators(List.of(CoarseGrainCompressor.of(CoarseGrainCompressor.Options.paper(1.0)),
                        SpectralEntropyEstimator.of(), PruningMdlEstimator.of()))
                .build();
        assertCoarseGrainedBitsRecorded(train(listener), 1);
    }

    /** Six iterations of 300 &rarr; 256 &rarr; 10 on random data with the listener attached; its history. */
    private static List<ComplexityRecord> train(ComplexityListener listener) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                .dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(INPUTS).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.setListeners(listener);
        DataSet batch = randomData(64, 1);
        for (int i = 0; i < 6; i++) {
            net.fit(batch);
        }
        listener.close();
        return listener.history();
    }

    private static void assertCoarseGrainedBitsRecorded(List<ComplexityRecord> history, int records) {
        assertEquals(records, history.size());
        for (ComplexityRecord r : history) {
            ComplexityEstimate e = r.estimate(CoarseGrainCompressor.NAME).orElseThrow();
            assertTrue(e.succeeded(), () -> "coarse-grained failed: " + e.failure().orElse(""));
            assertTrue(Double.isFinite(e.value()) && e.value() > 0, "bits " + e.value());
            assertTrue(Double.isFinite(r.value(SpectralEntropyEstimator.NAME)));
        }
    }

    private static DataSet randomData(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][INPUTS];
        float[][] y = new float[n][CLASSES];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < INPUTS; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            y[i][r.nextInt(CLASSES)] = 1;
        }
        INDArray features = Nd4j.create(x);
        INDArray labels = Nd4j.create(y);
        return new DataSet(features, labels);
    }

    /**
     * GPT-2 small's weight shapes (attention c_attn 768&times;2304, MLP c_proj 3072&times;768, attention c_proj
     * 768&times;768) through the default linear algebra (ND4J's LAPACK, found through the service loader, as
     * {@link SpectralEntropy#entropy(Tensor)} uses it), against the pure-Java EJML SVD: entropies to 1e-9 nats
     * and &Sigma;&sigma;&sup2; = &Vert;A&Vert;&sup2;_F to 1e-9 relative for both.
     */
    @Test
    void spectralEntropyOfGpt2ShapesAgreesWithThePureJavaSvd() {
        LinearAlgebra nd4j = LinearAlgebra.getDefault();
        assertNotEquals("ejml", nd4j.name(), "grok-metrics-dl4j's ND4J linear algebra is found");
        LinearAlgebra ejml = new EjmlLinearAlgebra();
        int[][] shapes = {{768, 2304}, {3072, 768}, {768, 768}};
        SplittableRandom random = new SplittableRandom(2);
        for (int[] s : shapes) {
            float[] w = new float[s[0] * s[1]];
            double frobenius2 = 0;
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextGaussian() * 0.02);
                frobenius2 += (double) w[i] * w[i];
            }
            Tensor t = Tensor.matrix("w" + s[0] + "x" + s[1], s[0], s[1], w);
            SpectralEntropy.Result viaDefault = SpectralEntropy.analyze(t, false, nd4j);
            SpectralEntropy.Result reference = SpectralEntropy.analyze(t, false, ejml);
            double h = viaDefault.entropy();
            assertEquals(reference.entropy(), h, 1e-9, t.name());
            assertTrue(h > 0 && h <= Math.log(Math.min(s[0], s[1])), t.name() + " entropy " + h);
            assertEquals(1.0, sumOfSquares(viaDefault.singularValues()) / frobenius2, 1e-9,
                    nd4j.name() + " " + t.name());
            assertEquals(1.0, sumOfSquares(reference.singularValues()) / frobenius2, 1e-9, "ejml " + t.name());
            if (s[0] == s[1]) {
                assertEquals(h, SpectralEntropy.entropy(t), "SpectralEntropy.entropy uses the default");
            }
        }
    }

    private static double sumOfSquares(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v * v;
        }
        return sum;
    }
}
