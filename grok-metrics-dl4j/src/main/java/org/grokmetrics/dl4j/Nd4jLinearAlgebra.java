package org.grokmetrics.dl4j;

import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.Svd;
import org.grokmetrics.linalg.SymmetricEigen;
import org.nd4j.linalg.api.blas.Lapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The core linear-algebra SPI on ND4J's native LAPACK (OpenBLAS on CPU), in double precision.
 *
 * <p>SVD uses {@code Lapack.gesvd}: ND4J's {@code Nd4j.linalg().svd} is broken in 1.0.0-M2.1, and
 * {@code gesvd} computes the full U (m&times;m) and V&#7488; (n&times;n), of which the thin parts are
 * kept. The symmetric eigen-decomposition uses LAPACK's divide-and-conquer {@code dsyevd} of the OpenBLAS
 * that ND4J's CPU backend loads ({@link OpenBlasEigen}; 3.5&times; faster than {@code syev} at n = 768 with
 * vectors), and ND4J's {@code Lapack.syev} where that library is absent (other backends). Inputs are copied
 * (never modified); outputs are copied out, so no ND4J workspace memory escapes.
 *
 * <p>Two variants. {@link #lapackOnly()} does everything in LAPACK. The default (the public constructor,
 * which {@link java.util.ServiceLoader} uses) takes singular values from LAPACK but singular
 * <em>vectors</em> from the pure-Java {@link EjmlLinearAlgebra}: on these machines, one thread, a
 * 512&times;512 {@code gesvd} without vectors took 44 ms against EJML's 114 ms, but with vectors
 * 1,476 ms against EJML's 438 ms (entropy + gradient; {@code grok bench --suite linalg}, figures in
 * docs/performance.md). ND4J 1.0.0-M2.1 exposes no {@code gesdd}.
 *
 * <p>Discovered through {@link java.util.ServiceLoader} with priority {@value #PRIORITY}, above the
 * pure-Java default, but used by {@link LinearAlgebra#getDefault()} only if it passes
 * {@link org.grokmetrics.linalg.LinearAlgebraSelfCheck}, and then behind
 * {@link org.grokmetrics.linalg.CheckedLinearAlgebra}: ND4J 1.0.0-M2.1's OpenBLAS 0.3.19 returns wrong,
 * non-repeatable singular values with its AVX-512 kernels (non-square matrices with short side &gt; 128
 * and aspect &ge; 1.6; vectors beyond 128), chosen on Skylake-SP to Ice Lake CPUs; docs/measures.md has
 * the measurements. Using this class directly bypasses those checks. Thread-safe (no shared state;
 * ND4J's LAPACK calls are re-entrant).
 */
public final class Nd4jLinearAlgebra implements LinearAlgebra {

    /** Service-loader priority: preferred over the pure-Java default (0). */
    public static final int PRIORITY = 10;

    private final LinearAlgebra vectorSvd;

    /**
     * Loads ND4J's backend.
     *
     * @throws RuntimeException or {@link LinkageError} if the native backend cannot load; service-loader
     *                          discovery then falls back to the pure-Java default
     */
    public Nd4jLinearAlgebra() {
        this(new EjmlLinearAlgebra());
    }

    private Nd4jLinearAlgebra(LinearAlgebra vectorSvd) {
        Nd4j.getBlasWrapper().lapack();
        this.vectorSvd = vectorSvd;
    }

    /**
     * Every decomposition in LAPACK, singular vectors included.
     *
     * @return an instance named {@code nd4j-lapack} that uses no EJML
     */
    public static Nd4jLinearAlgebra lapackOnly() {
        return new Nd4jLinearAlgebra(null);
    }

    @Override
    public String name() {
        return vectorSvd == null ? "nd4j-lapack" : "nd4j-lapack+ejml";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    private static Lapack lapack() {
        return Nd4j.getBlasWrapper().lapack();
    }

    @Override
    public Svd svd(int rows, int cols, double[] a, boolean vectors) {
        LinearAlgebra.checkMatrix(rows, cols, a);
        int k = Math.min(rows, cols);
        if (k == 0) {
            return new Svd(rows, cols, new double[0], vectors ? new double[0] : null, vectors ? new double[0] : null);
        }
        if (vectors && vectorSvd != null) {
            return vectorSvd.svd(rows, cols, a, true);
        }
        INDArray m = Nd4j.create(a.clone(), new long[] {rows, cols}, 'c');
        INDArray s = Nd4j.create(DataType.DOUBLE, k);
        INDArray u = vectors ? Nd4j.create(DataType.DOUBLE, new long[] {rows, rows}, 'c') : null;
        INDArray vt = vectors ? Nd4j.create(DataType.DOUBLE, new long[] {cols, cols}, 'c') : null;
        lapack().gesvd(m, s, u, vt);
        double[] sv = s.toDoubleVector();
        if (!vectors) {
            return new Svd(rows, cols, sv, null, null);
        }
        double[] uFull = u.dup('c').data().asDouble();
        double[] vtFull = vt.dup('c').data().asDouble();
        double[] uThin = new double[rows * k];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(uFull, i * rows, uThin, i * k, k);
        }
        double[] vtThin = new double[k * cols];
        System.arraycopy(vtFull, 0, vtThin, 0, k * cols);
        return new Svd(rows, cols, sv, uThin, vtThin);
    }

    @Override
    public SymmetricEigen symmetricEigen(int n, double[] a, boolean vectors) {
        LinearAlgebra.checkMatrix(n, n, a);
        if (n == 0) {
            return new SymmetricEigen(0, new double[0], vectors ? new double[0] : null);
        }
        double[] asc;
        double[] full;
        if (OpenBlasEigen.AVAILABLE) {
            // the divide-and-conquer driver, straight on Java arrays: 3.5x faster than syev at n = 768 with vectors
            full = a.clone();
            asc = new double[n];
            OpenBlasEigen.dsyevd(n, full, asc, vectors);
        } else {
            INDArray m = Nd4j.create(a.clone(), new long[] {n, n}, 'c');
            INDArray w = Nd4j.create(DataType.DOUBLE, n);
            int status = lapack().syev(vectors ? 'V' : 'N', 'U', m, w);
            if (status != 0) {
                throw new ArithmeticException("LAPACK syev failed with info " + status + " for n=" + n);
            }
            asc = w.toDoubleVector();
            full = vectors ? m.dup('c').data().asDouble() : null;
        }
        double[] desc = new double[n];
        for (int i = 0; i < n; i++) {
            desc[i] = asc[n - 1 - i];
        }
        double[] q = null;
        if (vectors) {
            q = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    q[i * n + j] = full[i * n + (n - 1 - j)];
                }
            }
        }
        return new SymmetricEigen(n, desc, q);
    }
}
