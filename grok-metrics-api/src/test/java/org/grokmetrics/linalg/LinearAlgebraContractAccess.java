package org.grokmetrics.linalg;

/** Test helper: row arrays for Commons Math, shared by tests in other packages. */
public final class LinearAlgebraContractAccess {

    private LinearAlgebraContractAccess() {
    }

    /** An m&times;n row-major array as rows. */
    public static double[][] rows(double[] a, int m, int n) {
        return LinearAlgebraContract.rows(a, m, n);
    }
}
