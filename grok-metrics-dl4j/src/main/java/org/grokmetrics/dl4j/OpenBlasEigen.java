package org.grokmetrics.dl4j;

import org.bytedeco.openblas.global.openblas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LAPACK's divide-and-conquer symmetric eigen-decomposition ({@code LAPACKE_dsyevd}) of the OpenBLAS that
 * ND4J's CPU backend ({@code nd4j-native}) loads through JavaCPP, called on Java arrays. ND4J's own
 * {@code Lapack} offers only {@code syev} (QR iteration), which takes 3.5&times; as long for the eigenvectors
 * of a 768&times;768 Gram matrix on one thread (420 ms against 120 ms). {@link #AVAILABLE} is false where
 * that library is not on the class path or does not load (ND4J's CUDA backend, another BLAS): the caller
 * then uses {@code syev}. Results are checked like every provider's ({@link org.grokmetrics.linalg.CheckedLinearAlgebra}).
 */
final class OpenBlasEigen {

    private static final Logger LOG = LoggerFactory.getLogger(OpenBlasEigen.class);

    /** {@code LAPACK_ROW_MAJOR} of lapacke.h. */
    private static final int ROW_MAJOR = 101;

    /** Whether {@code LAPACKE_dsyevd} can be called: the library loads and decomposes a 2&times;2 matrix right. */
    static final boolean AVAILABLE = probe();

    private OpenBlasEigen() {
    }

    /**
     * Eigenvalues (ascending) and, with {@code vectors}, eigenvectors of the symmetric n&times;n matrix {@code a}
     * (row-major, upper triangle read), in place: on return row i of {@code a} holds component i of every
     * eigenvector, column j the eigenvector of {@code w[j]}.
     *
     * @throws ArithmeticException if LAPACK reports an error
     */
    static void dsyevd(int n, double[] a, double[] w, boolean vectors) {
        int info = openblas.LAPACKE_dsyevd(ROW_MAJOR, (byte) (vectors ? 'V' : 'N'), (byte) 'U', n, a, n, w);
        if (info != 0) {
            throw new ArithmeticException("LAPACK dsyevd failed with info " + info + " for n=" + n);
        }
    }

    private static boolean probe() {
        try {
            // [[2, 1], [1, 2]]: eigenvalues 1 and 3
            double[] a = {2, 1, 1, 2};
            double[] w = new double[2];
            dsyevd(2, a, w, true);
            boolean ok = Math.abs(w[0] - 1) < 1e-12 && Math.abs(w[1] - 3) < 1e-12;
            if (!ok) {
                LOG.warn("OpenBLAS dsyevd gave eigenvalues {} and {} for [[2, 1], [1, 2]]; using ND4J's syev", w[0], w[1]);
            }
            return ok;
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("OpenBLAS dsyevd not available ({}); using ND4J's syev", e.toString());
            return false;
        }
    }
}
