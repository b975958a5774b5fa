package org.grokmetrics.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** a+b mod p with one-hot operands, split by a seeded shuffle; a small SiLU MLP for it. */
final class ModularData {

    private ModularData() {
    }

    /** [train, validation] for the given train fraction. */
    static DataSet[] split(int p, double trainFraction, long seed) {
        int n = p * p;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int nTrain = (int) Math.round(trainFraction * n);
        return new DataSet[] {make(p, java.util.Arrays.copyOfRange(idx, 0, nTrain)),
            make(p, java.util.Arrays.copyOfRange(idx, nTrain, n))};
    }

    static DataSet make(int p, int[] pairs) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, pairs.length, 2 * p);
        INDArray y = Nd4j.zeros(DataType.FLOAT, pairs.length, p);
        for (int i = 0; i < pairs.length; i++) {
            int a = pairs[i] / p;
            int b = pairs[i] % p;
            x.putScalar(i, a, 1);
            x.putScalar(i, p + b, 1);
            y.putScalar(i, (a + b) % p, 1);
        }
        return new DataSet(x, y);
    }

    static MultiLayerConfiguration mlp(int p, int hidden, long seed, DataType dtype, Regularization... weightReg) {
        return mlp(p, hidden, seed, dtype, new Adam(1e-2), weightReg);
    }

    /** Regularizations are set per layer: DL4J M2.1's global regularization(List) adds them twice. */
    static MultiLayerConfiguration mlp(int p, int hidden, long seed, DataType dtype,
                                       org.nd4j.linalg.learning.config.IUpdater updater, Regularization... weightReg) {
        java.util.List<Regularization> regs = java.util.List.of(weightReg);
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(dtype)
                .weightInit(WeightInit.XAVIER).updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(2 * p).nOut(hidden).activation(Activation.IDENTITY)
                        .regularization(regs).build())
                .layer(new DenseLayer.Builder().nIn(hidden).nOut(hidden).activation(Activation.SWISH)
                        .regularization(regs).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(p)
                        .activation(Activation.SOFTMAX).regularization(regs).build());
        return b.build();
    }

    static MultiLayerNetwork net(int p, int hidden, long seed) {
        MultiLayerNetwork n = new MultiLayerNetwork(mlp(p, hidden, seed, DataType.FLOAT));
        n.init();
        return n;
    }
}
