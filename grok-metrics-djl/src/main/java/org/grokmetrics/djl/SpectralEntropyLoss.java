package org.grokmetrics.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.spectral.SpectralEntropy;

/**
 * The spectral-entropy penalty of DeMoss et al. as a DJL {@link Loss}, to add to the task loss with
 * {@link ai.djl.training.loss.SimpleCompositeLoss}:
 *
 * <pre>
 *   penalty = &beta; &middot; (1/k) &Sigma;_W H(W)        over the k weight matrices W of the block
 *             (2-D parameters; convolution kernels [out, in, kh, kw] as [out, in&middot;kh&middot;kw])
 *   H(W)    = &minus;&Sigma;_i &sigma;&#772;_i ln &sigma;&#772;_i,  &sigma;&#772;_i = &sigma;_i / &Sigma;_j &sigma;_j   (nats, see {@link SpectralEntropy})
 *   &part;penalty/&part;W = (&beta;/k) &middot; U diag(&part;H/&part;&sigma;) V&#7488;
 * </pre>
 *
 * <pre>{@code
 * Loss loss = new SimpleCompositeLoss()
 *         .addLoss(Loss.softmaxCrossEntropyLoss())
 *         .addLoss(SpectralEntropyLoss.of(model.getBlock(), 0.1));
 * }</pre>
 *
 * <p>DJL has no SVD, so the singular value decompositions run in Java (double precision, the core
 * {@link LinearAlgebra}), and the exact gradient G<sub>W</sub> = &part;penalty/&part;W enters autograd
 * through the term &Sigma;<sub>W</sub> sum(W &#8857; G<sub>W</sub>) whose value is then corrected to the
 * true penalty: {@code t - stopGradient(t) + penalty}. The returned scalar therefore has the value
 * &beta;&middot;mean H and the gradient &beta;/k&middot;&part;H/&part;W (checked against finite
 * differences in the tests). Labels and predictions are ignored, except that the result lives in the
 * predictions' manager and device.
 *
 * <p>The parameters are read through {@link Parameter#getArray()}, which is the array the forward pass
 * used in single-device training (DJL's trainer hands out the parameter's own array when it is already on
 * the training device); multi-device training is refused with an {@link IllegalStateException}. A weight
 * with NaN or infinite entries is an {@link IllegalArgumentException} naming the parameter. The DJL
 * accumulators (training logs) report the penalty of the latest {@code evaluate} call, so logging does
 * not pay for a second round of SVDs. The SVDs of the different matrices run in parallel on the common
 * fork-join pool (they touch Java arrays only; DJL calls stay on the caller's thread). Not thread-safe:
 * one instance per trainer.
 */
public final class SpectralEntropyLoss extends Loss {

    private final double beta;
    private final Block block;
    private final Predicate<String> include;
    private final LinearAlgebra linearAlgebra;
    private final Map<String, double[]> accumulators = new ConcurrentHashMap<>();
    private volatile List<Pair<String, Parameter>> matrices;
    private volatile double lastPenalty = Double.NaN;

    private SpectralEntropyLoss(String name, double beta, Block block, Predicate<String> include, LinearAlgebra la) {
        super(name);
        this.beta = beta;
        this.block = block;
        this.include = include;
        this.linearAlgebra = la;
    }

    /**
     * The penalty on every 2-D parameter of the block (the paper's choice: embeddings, attention, MLP and
     * unembedding matrices), named "SpectralEntropyLoss". The block may still be uninitialized (create the
     * loss, then the trainer): its matrices are found at the first evaluation.
     *
     * @param block the block whose parameters are penalised (not null)
     * @param beta  the coefficient &beta; (the paper uses 0.1)
     * @return the loss, to add to the task loss (e.g. in an {@code AbstractCompositeLoss})
     * @throws IllegalArgumentException if beta is negative or not finite, or the (initialized) block has no
     *                                  2-D parameter
     */
    public static SpectralEntropyLoss of(Block block, double beta) {
        return of(block, beta, name -> true);
    }

    /**
     * The penalty on the 2-D parameters of the block whose names (keys of {@link Block#getParameters()})
     * pass {@code include}; higher-rank weights (convolution kernels) count as matrices
     * [out, in&middot;kh&middot;kw].
     *
     * @param block   the block whose parameters are penalised (not null)
     * @param beta    the coefficient &beta; of the mean entropy, finite and {@code >= 0}
     * @param include which parameter names are penalised (not null)
     * @return the loss, named "SpectralEntropyLoss"
     * @throws IllegalArgumentException if beta is negative or not finite, or the (initialized) block has no
     *                                  such parameter
     */
    public static SpectralEntropyLoss of(Block block, double beta, Predicate<String> include) {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(include, "include");
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, was " + beta);
        }
        SpectralEntropyLoss loss = new SpectralEntropyLoss("SpectralEntropyLoss", beta, block, include,
                LinearAlgebra.getDefault());
        if (block.isInitialized()) {
            loss.matrices();
        }
        return loss;
    }

    /** The penalised matrices, found once the block is initialized. */
    private List<Pair<String, Parameter>> matrices() {
        List<Pair<String, Parameter>> m = matrices;
        if (m != null) {
            return m;
        }
        List<Pair<String, Parameter>> list = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.isInitialized()) {
                throw new IllegalStateException("parameter '" + p.getKey() + "' is not initialized: initialize the "
                        + "trainer or block before evaluating the spectral-entropy loss");
            }
            if (isMatrix(param) && include.test(p.getKey())) {
                list.add(p);
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("block has no 2-D parameter for the spectral-entropy loss "
                    + "(check the include filter)");
        }
        matrices = List.copyOf(list);
        return matrices;
    }

    /**
     * Whether a parameter is penalised as a matrix: every 2-D parameter, and a weight of higher rank (a convolution
     * kernel [out, in, kh, kw], row-major) as the matrix [out, in&middot;kh&middot;kw] (SPEC &sect;2). Biases and
     * normalisation layers' parameters are 1-D: never.
     */
    static boolean isMatrix(Parameter param) {
        int rank = param.getArray().getShape().dimension();
        return rank == 2 || rank > 2 && param.getType() == Parameter.Type.WEIGHT;
    }

    /**
     * &beta;.
     *
     * @return the coefficient of the mean entropy, finite and {@code >= 0}
     */
    public double beta() {
        return beta;
    }

    /**
     * Names of the matrices penalised.
     *
     * @return the parameter names, in the block's order
     * @throws IllegalStateException if the block is not initialized yet
     */
    public List<String> matrixNames() {
        return matrices().stream().map(Pair::getKey).toList();
    }

    /**
     * The penalty at the parameters' current values, computed in Java (no autograd), in nats.
     *
     * @return &beta; times the mean spectral entropy of the penalised matrices, in nats
     * @throws IllegalStateException if the block is not initialized yet
     */
    public double penalty() {
        double sum = 0;
        List<Pair<String, Parameter>> matrices = matrices();
        for (Pair<String, Parameter> p : matrices) {
            sum += analyze(p, false).entropy();
        }
        return beta * sum / matrices.size();
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions == null || predictions.isEmpty()) {
            throw new IllegalArgumentException("spectral-entropy loss needs the predictions (for their manager)");
        }
        NDArray anchor = predictions.head();
        NDManager m = anchor.getManager();
        List<Pair<String, Parameter>> matrices = matrices();
        int k = matrices.size();
        double[][] values = new double[k][];
        for (int i = 0; i < k; i++) {
            NDArray w = arrayOf(matrices.get(i));
            if (!w.getDevice().equals(anchor.getDevice())) {
                throw new IllegalStateException("parameter '" + matrices.get(i).getKey() + "' is on " + w.getDevice()
                        + " but the predictions are on " + anchor.getDevice()
                        + ": the spectral-entropy loss supports single-device training only");
            }
            values[i] = read(matrices.get(i));
        }
        // the SVDs are independent: spread them over the common fork-join pool (plain Java arrays only)
        SpectralEntropy.Result[] results = IntStream.range(0, k).parallel()
                .mapToObj(i -> analyze(matrices.get(i), values[i], true)).toArray(SpectralEntropy.Result[]::new);
        NDArray linear = null;
        double entropySum = 0;
        for (int i = 0; i < k; i++) {
            NDArray w = arrayOf(matrices.get(i));
            SpectralEntropy.Result r = results[i];
            entropySum += r.entropy();
            double[] g = r.gradient().orElseThrow();
            float[] gf = new float[g.length];
            for (int j = 0; j < g.length; j++) {
                gf[j] = (float) g[j];
            }
            NDArray grad = m.create(gf, w.getShape()).toDevice(w.getDevice(), false);
            if (w.getDataType() != DataType.FLOAT32) {
                grad = grad.toType(w.getDataType(), false);
            }
            NDArray term = w.mul(grad).sum();
            linear = linear == null ? term : linear.add(term);
        }
        double penalty = beta * entropySum / k;
        lastPenalty = penalty;
        // value: exactly 0 + penalty; gradient: (beta / k) * dH/dW for every W
        return linear.sub(linear.stopGradient()).mul((float) (beta / k)).add((float) penalty);
    }

    private static NDArray arrayOf(Pair<String, Parameter> p) {
        Parameter param = p.getValue();
        if (!param.isInitialized()) {
            throw new IllegalStateException("parameter '" + p.getKey() + "' is not initialized");
        }
        return param.getArray();
    }

    private SpectralEntropy.Result analyze(Pair<String, Parameter> p, boolean withGradient) {
        return analyze(p, read(p), withGradient);
    }

    private SpectralEntropy.Result analyze(Pair<String, Parameter> p, double[] a, boolean withGradient) {
        Shape shape = arrayOf(p).getShape();
        int rows = Math.toIntExact(shape.get(0));
        // a kernel [out, in, kh, kw] is row-major, so its values are the matrix [out, in*kh*kw] row by row
        return SpectralEntropy.analyze(rows, Math.toIntExact(shape.size() / rows), a, withGradient, linearAlgebra);
    }

    /** The parameter's values in double precision, on the calling thread. */
    private static double[] read(Pair<String, Parameter> p) {
        NDArray w = arrayOf(p);
        float[] v;
        if (w.getDataType() == DataType.FLOAT32) {
            v = w.toFloatArray();
        } else {
            try (NDArray f = w.toType(DataType.FLOAT32, true)) {
                v = f.toFloatArray();
            }
        }
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("parameter '" + p.getKey() + "' has a non-finite value " + v[i]
                        + " at flat index " + i);
            }
            a[i] = v[i];
        }
        return a;
    }

    @Override
    public void addAccumulator(String key) {
        accumulators.put(key, new double[2]);
    }

    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        double v = lastPenalty;
        if (Double.isNaN(v)) {
            v = penalty();
            lastPenalty = v;
        }
        for (String key : keys) {
            double[] acc = accumulators.computeIfAbsent(key, x -> new double[2]);
            synchronized (acc) {
                acc[0] += v;
                acc[1] += 1;
            }
        }
    }

    @Override
    public void resetAccumulator(String key) {
        accumulators.put(key, new double[2]);
    }

    @Override
    public float getAccumulator(String key) {
        double[] acc = accumulators.get(key);
        if (acc == null) {
            throw new IllegalArgumentException("no accumulator named '" + key + "'");
        }
        synchronized (acc) {
            return acc[1] == 0 ? Float.NaN : (float) (acc[0] / acc[1]);
        }
    }
}
