package org.grokmetrics.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Pure-Java linear algebra on EJML's dense decompositions (implicit-QR SVD after bidiagonalisation,
 * symmetric QR eigen-decomposition). The default when no native provider is present.
 *
 * <p>Thread-safe: a fresh decomposition object is made per call.
 */
public final class EjmlLinearAlgebra implements LinearAlgebra {

    @Override
    public String name() {
        return "ejml";
    }

    @Override
    public Svd svd(int rows, int cols, double[] a, boolean vectors) {
        LinearAlgebra.checkMatrix(rows, cols, a);
        int k = Math.min(rows, cols);
        if (k == 0) {
            return new Svd(rows, cols, new double[0], vectors ? new double[0] : null, vectors ? new double[0] : null);
        }
        // EJML is fastest on wide-or-square inputs when it can transpose internally; it handles both.
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        System.arraycopy(a, 0, m.data, 0, a.length);
        SingularValueDecomposition_F64<DMatrixRMaj> dec =
                DecompositionFactory_DDRM.svd(rows, cols, vectors, vectors, true);
        if (!dec.decompose(m)) {
            throw new ArithmeticException("EJML SVD did not converge for a " + rows + "x" + cols + " matrix");
        }
        if (!vectors) {
            double[] s = dec.getSingularValues().clone();
            double[] sv = java.util.Arrays.copyOf(s, k);
            java.util.Arrays.sort(sv);
            reverse(sv);
            return new Svd(rows, cols, sv, null, null);
        }
        DMatrixRMaj u = dec.getU(null, false);
        DMatrixRMaj w = dec.getW(null);
        DMatrixRMaj vt = dec.getV(null, true);
        SingularOps_DDRM.descendingOrder(u, false, w, vt, true);
        double[] sv = new double[k];
        for (int i = 0; i < k; i++) {
            sv[i] = w.get(i, i);
        }
        // compact U is rows x k, compact V^T is k x cols
        return new Svd(rows, cols, sv, u.data.length == rows * k ? u.data : trimColumns(u, k), vt.data.length == k * cols ? vt.data : trimRows(vt, k));
    }

    private static double[] trimColumns(DMatrixRMaj u, int k) {
        double[] out = new double[u.numRows * k];
        for (int i = 0; i < u.numRows; i++) {
            System.arraycopy(u.data, i * u.numCols, out, i * k, k);
        }
        return out;
    }

    private static double[] trimRows(DMatrixRMaj vt, int k) {
        double[] out = new double[k * vt.numCols];
        System.arraycopy(vt.data, 0, out, 0, out.length);
        return out;
    }

    private static void reverse(double[] x) {
        for (int i = 0, j = x.length - 1; i < j; i++, j--) {
            double t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }

    @Override
    public SymmetricEigen symmetricEigen(int n, double[] a, boolean vectors) {
        LinearAlgebra.checkMatrix(n, n, a);
        if (n == 0) {
            return new SymmetricEigen(0, new double[0], vectors ? new double[0] : null);
        }
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        System.arraycopy(a, 0, m.data, 0, a.length);
        EigenDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.eig(n, vectors, true);
        if (!dec.decompose(m)) {
            throw new ArithmeticException("EJML symmetric eigen-decomposition did not converge for n=" + n);
        }
        Integer[] order = new Integer[n];
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            ev[i] = dec.getEigenvalue(i).getReal();
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(ev[y], ev[x]));
        double[] sorted = new double[n];
        double[] q = vectors ? new double[n * n] : null;
        for (int j = 0; j < n; j++) {
            sorted[j] = ev[order[j]];
            if (vectors) {
                DMatrixRMaj v = dec.getEigenVector(order[j]);
                for (int i = 0; i < n; i++) {
                    q[i * n + j] = v.get(i, 0);
                }
            }
        }
        return new SymmetricEigen(n, sorted, q);
    }
}
