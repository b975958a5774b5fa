package org.grokmetrics.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.spectral.SpectralEntropy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spectral-entropy penalty of DeMoss et al. as a DL4J {@link Regularization}: for every weight
 * matrix W it applies to, score = &beta;&middot;H(W) and gradient += &beta;&middot;&part;H/&part;W (before
 * the updater, like L2), with H the spectral entropy of {@link SpectralEntropy} (natural log, singular
 * values normalised by their sum).
 *
 * <p>DL4J applies a regularization to each parameter separately, so the network's penalty is
 * &beta;&middot;&Sigma;<sub>W</sub> H(W). The paper's penalty is &beta; times the <em>mean</em> over the
 * matrices: use {@link #forMean(double, int)} (&beta; divided by the number of matrices), or
 * {@link #addToEveryLayer(MultiLayerConfiguration, double)}, which does both.
 *
 * <p><b>It needs each layer's weight shape.</b> DL4J calls {@link #score} with the 2-D weight but
 * {@link #apply} with a flattened 1-D column-major view of it, so the matrix shape must be known to apply
 * the gradient: use {@link #addToEveryLayer} (one instance per layer, shapes filled in) or
 * {@link #forLayer(double, int, int)}. An instance without a shape that meets a 1-D view logs once and
 * leaves the gradient alone. Attach it per layer, not through DL4J 1.0.0-M2.1's global
 * {@code NeuralNetConfiguration.Builder.regularization(List)}, which adds the list to every layer twice
 * (its own {@code WeightDecay} too).
 *
 * <p>Safe on anything: parameters with fewer than two rows and columns (biases, 1-D views) have H = 0 and
 * get no gradient, and so do parameters whose length does not match the configured shape (biases); a
 * parameter with NaN/Inf values is skipped (score 0, logged once) rather than poisoning the gradient
 * further. Computation is in double precision, with the core
 * {@link LinearAlgebra#getDefault() linear algebra} (ND4J's LAPACK for singular values when this module is
 * present). Serialises to and from DL4J's JSON configuration (properties {@code beta}, {@code rows},
 * {@code cols}). Immutable.
 */
public final class SpectralEntropyRegularization implements Regularization {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SpectralEntropyRegularization.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicBoolean WARNED_SHAPE = new AtomicBoolean();

    /** The penalty coefficient &beta;, finite and {@code >= 0}. */
    @JsonProperty("beta")
    private final double beta;
    /** Rows of the layer's weight matrix, 0 if unknown. */
    @JsonProperty("rows")
    private final int rows;
    /** Columns of the layer's weight matrix, 0 if unknown. */
    @JsonProperty("cols")
    private final int cols;
    /** How the weight's values are laid out as the matrix: {@code 'f'} (column-major) or {@code 'c'} (row-major). */
    @JsonProperty("order")
    private final char order;

    /**
     * An instance without a weight shape: it scores 2-D weights but cannot apply its gradient in DL4J
     * (see the class comment); prefer {@link #forLayer} or {@link #addToEveryLayer}.
     *
     * @param beta the penalty coefficient &beta; (the paper uses 0.1 on the mean entropy)
     * @throws IllegalArgumentException if beta is negative or not finite
     */
    public SpectralEntropyRegularization(double beta) {
        this(beta, 0, 0);
    }

    /**
     * @param beta the penalty coefficient
     * @param rows rows of the layer's weight (nIn for dense layers), 0 if unknown
     * @param cols columns of the layer's weight (nOut), 0 if unknown
     * @throws IllegalArgumentException if beta is negative or not finite, or a dimension is negative
     */
    public SpectralEntropyRegularization(double beta, int rows, int cols) {
        this(beta, rows, cols, "f");
    }

    /**
     * An instance for a weight of a known shape and layout (the form DL4J's JSON configuration reads back).
     *
     * @param beta  the penalty coefficient, finite and {@code >= 0}
     * @param rows  rows of the layer's weight as a matrix, 0 if unknown
     * @param cols  columns of the layer's weight as a matrix, 0 if unknown
     * @param order how the weight's values are laid out as the rows &times; cols matrix: {@code "f"} (column-major,
     *              dense and recurrent weights) or {@code "c"} (row-major: a convolution kernel [out, in, kh, kw] as
     *              [out, in&middot;kh&middot;kw]); null means "f"
     * @throws IllegalArgumentException if beta is negative or not finite, a dimension is negative, or the
     *                                  order is neither "f" nor "c"
     */
    @JsonCreator
    public SpectralEntropyRegularization(@JsonProperty("beta") double beta, @JsonProperty("rows") int rows,
                                         @JsonProperty("cols") int cols, @JsonProperty("order") String order) {
        String o = order == null ? "f" : order;
        if (!o.equals("f") && !o.equals("c")) {
            throw new IllegalArgumentException("order must be \"f\" or \"c\", was \"" + order + "\"");
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("spectral entropy beta must be finite and >= 0, was " + beta);
        }
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("weight shape must be non-negative, was " + rows + "x" + cols);
        }
        this.beta = beta;
        this.rows = rows;
        this.cols = cols;
        this.order = o.charAt(0);
    }

    /**
     * The penalty &beta;&middot;H(W) for a layer whose weight W is rows &times; cols (nIn &times; nOut).
     *
     * @param beta the penalty coefficient, finite and {@code >= 0}
     * @param rows rows of the weight (nIn), {@code >= 1}
     * @param cols columns of the weight (nOut), {@code >= 1}
     * @return the regularization for that layer's weight, column-major
     * @throws IllegalArgumentException if beta is negative or not finite, or a dimension is below 1
     */
    public static SpectralEntropyRegularization forLayer(double beta, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("weight shape must be positive, was " + rows + "x" + cols);
        }
        return new SpectralEntropyRegularization(beta, rows, cols);
    }

    /**
     * The penalty &beta;&middot;H(W) for a convolution kernel W [out, in, kh, kw] (DL4J's layout, row-major), taken
     * as the matrix [out, in&middot;kh&middot;kw] (SPEC &sect;2).
     *
     * @param beta the penalty coefficient, finite and {@code >= 0}
     * @param out  output channels, {@code >= 1}
     * @param in   input channels, {@code >= 1}
     * @param kh   kernel height, {@code >= 1}
     * @param kw   kernel width, {@code >= 1}
     * @return the regularization for that kernel, row-major
     * @throws IllegalArgumentException if beta is negative or not finite, or a dimension is below 1
     * @throws ArithmeticException      if in&middot;kh&middot;kw overflows an int
     */
    public static SpectralEntropyRegularization forConvolution(double beta, int out, int in, int kh, int kw) {
        if (out < 1 || in < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("kernel shape must be positive, was [" + out + ", " + in + ", " + kh
                    + ", " + kw + "]");
        }
        return new SpectralEntropyRegularization(beta, out, Math.multiplyExact(in, Math.multiplyExact(kh, kw)), "c");
    }

    /**
     * &beta;/{@code matrices} without a shape: the paper's &beta;&middot;mean<sub>W</sub> H(W) over
     * {@code matrices} weight matrices, as a score.
     *
     * @param beta     the coefficient of the mean entropy, finite and {@code >= 0}
     * @param matrices the number of weight matrices the mean is over, {@code >= 1}
     * @return an instance with coefficient &beta;/{@code matrices} and no weight shape
     * @throws IllegalArgumentException if matrices &lt; 1
     */
    public static SpectralEntropyRegularization forMean(double beta, int matrices) {
        if (matrices < 1) {
            throw new IllegalArgumentException("matrices must be >= 1, was " + matrices);
        }
        return new SpectralEntropyRegularization(beta / matrices);
    }

    /**
     * Adds the paper's &beta;&middot;mean H over the network's weight matrices: one instance per weight matrix
     * ({@link #penalised(MultiLayerConfiguration)}: dense, output, embedding and recurrent weights, convolution
     * kernels as [out, in&middot;kh&middot;kw]) with &beta; divided by their number, replacing any earlier
     * instance. Biases and normalisation layers get none.
     *
     * @param conf the configuration, changed in place
     * @param beta the coefficient of the mean entropy, finite and {@code >= 0}
     * @return the number of layers it was added to
     */
    public static int addToEveryLayer(MultiLayerConfiguration conf, double beta) {
        List<Dl4jWeightMatrices.WeightMatrix> matrices = Dl4jWeightMatrices.of(conf);
        java.util.Map<Integer, List<Regularization>> added = new java.util.LinkedHashMap<>();
        for (Dl4jWeightMatrices.WeightMatrix w : matrices) {
            List<Regularization> list = added.computeIfAbsent(w.layer(), k -> new ArrayList<>());
            SpectralEntropyRegularization r = new SpectralEntropyRegularization(beta / matrices.size(), w.rows(), w.cols(),
                    String.valueOf(w.order()));
            if (!list.contains(r)) {
                list.add(r); // two matrices of one shape (an LSTM with nIn = nOut) share one instance
            }
        }
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (conf.getConf(i).getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b) {
                List<Regularization> list = new ArrayList<>(b.getRegularization() == null ? List.of() : b.getRegularization());
                boolean had = list.removeIf(r -> r instanceof SpectralEntropyRegularization);
                list.addAll(added.getOrDefault(i, List.of()));
                if (had || added.containsKey(i)) {
                    b.setRegularization(list);
                }
            }
        }
        return added.size();
    }

    /**
     * What {@link #addToEveryLayer} penalises in a configuration: one line per weight matrix, e.g.
     * {@code 0_W [4 x 9]} for a convolution kernel [4, 1, 3, 3].
     *
     * @param conf the configuration, not changed
     * @return one line per penalised weight matrix, in layer order
     */
    public static List<String> penalised(MultiLayerConfiguration conf) {
        return Dl4jWeightMatrices.of(conf).stream().map(Dl4jWeightMatrices.WeightMatrix::toString).toList();
    }

    /**
     * The coefficient this instance applies (already divided by the number of matrices for the mean penalty).
     *
     * @return &beta;, finite and {@code >= 0}
     */
    public double getBeta() {
        return beta;
    }

    /**
     * Rows of the weight as a matrix.
     *
     * @return the rows, 0 if this instance has no shape
     */
    public int getRows() {
        return rows;
    }

    /**
     * Columns of the weight as a matrix.
     *
     * @return the columns, 0 if this instance has no shape
     */
    public int getCols() {
        return cols;
    }

    /** The weight as a 2-D matrix, or null if this parameter is not one this instance handles. */
    private INDArray matrix(INDArray param) {
        if (rows > 0 && cols > 0) {
            if (param.length() != (long) rows * cols) {
                return null; // a bias or another layer's parameter
            }
            if (param.rank() == 2) {
                // the weight as DL4J hands it to score(); a 2-D parameter of another shape is not this one
                return param.size(0) == rows && param.size(1) == cols ? param : null;
            }
            return param.reshape(order, rows, cols);
        }
        if (param.rank() == 2) {
            return param;
        }
        if (WARNED_SHAPE.compareAndSet(false, true)) {
            LOG.warn("SpectralEntropyRegularization without a weight shape got a flattened parameter and cannot apply "
                    + "its gradient; create it with forLayer(beta, nIn, nOut) or addToEveryLayer(conf, beta)");
        }
        return null;
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.BEFORE_UPDATER;
    }

    private SpectralEntropy.Result analyze(INDArray param, boolean gradient) {
        if (param == null || param.rank() < 2 || param.size(0) < 2 || param.length() / param.size(0) < 2) {
            return null;
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            int rows = Math.toIntExact(param.size(0));
            int cols = Math.toIntExact(param.length() / rows);
            double[] a = param.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    if (WARNED.compareAndSet(false, true)) {
                        LOG.warn("spectral entropy regularization skipped a parameter with non-finite values "
                                + "(training has diverged); further skips are not logged");
                    }
                    return null;
                }
            }
            return SpectralEntropy.analyze(rows, cols, java.util.Arrays.copyOf(a, rows * cols), gradient,
                    LinearAlgebra.getDefault());
        }
    }

    @Override
    public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
        if (beta == 0) {
            return;
        }
        INDArray w = matrix(param);
        SpectralEntropy.Result r = analyze(w, true);
        if (r == null) {
            return;
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            double[] g = r.gradient().orElseThrow();
            INDArray add;
            if (gradView.rank() == 2 && java.util.Arrays.equals(gradView.shape(), w.shape())) {
                add = Nd4j.create(g, w.shape(), 'c');
            } else if (order == 'c') {
                // a convolution kernel's row-major layout: the view holds the matrix row by row
                add = Nd4j.create(g, gradView.shape(), 'c');
            } else {
                // DL4J's flattened column-major view of W (built by hand: ravel('f') is broken in M2.1)
                int m = Math.toIntExact(w.size(0));
                int n = Math.toIntExact(w.size(1));
                double[] colMajor = new double[g.length];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        colMajor[j * m + i] = g[i * n + j];
                    }
                }
                add = Nd4j.create(colMajor, gradView.shape(), 'c');
            }
            gradView.addi(add.muli(beta).castTo(gradView.dataType()));
        }
    }

    @Override
    public double score(INDArray param, int iteration, int epoch) {
        if (beta == 0) {
            return 0;
        }
        SpectralEntropy.Result r = analyze(matrix(param), false);
        return r == null ? 0 : beta * r.entropy();
    }

    @Override
    public Regularization clone() {
        return new SpectralEntropyRegularization(beta, rows, cols, String.valueOf(order));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpectralEntropyRegularization s && Double.compare(s.beta, beta) == 0 && s.rows == rows
                && s.cols == cols && s.order == order;
    }

    @Override
    public int hashCode() {
        return (Double.hashCode(beta) * 31 * 31 + rows * 31 + cols) * 31 + order;
    }

    @Override
    public String toString() {
        return "SpectralEntropyRegularization(beta=" + beta + (rows > 0 ? ", " + rows + "x" + cols
                + (order == 'c' ? " row-major" : "") : "") + ")";
    }
}
