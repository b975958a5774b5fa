package org.grokmetrics.linalg;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider wrong the way ND4J 1.0.0-M2.1's LAPACK is under OpenBLAS 0.3.19's AVX-512 kernels: right on
 * square or small matrices, wrong (and different on every call) on non-square matrices whose short side
 * exceeds 128 with an aspect ratio of 1.6 or more, and wrong singular vectors beyond 128. The symmetric
 * eigen-decomposition is right unless {@link #wrongEigen} is set. Shared by the api's and the adapters'
 * tests (api test-jar).
 */
public final class FaultyLinearAlgebra implements LinearAlgebra {

    private final LinearAlgebra right = new EjmlLinearAlgebra();
    private final AtomicInteger calls = new AtomicInteger();
    private final boolean wrongEigen;

    private FaultyLinearAlgebra(boolean wrongEigen) {
        this.wrongEigen = wrongEigen;
    }

    /** Wrong SVDs on the shapes described above. */
    public static FaultyLinearAlgebra likeOpenBlas019() {
        return new FaultyLinearAlgebra(false);
    }

    /** Right SVDs, eigenvalues off by 10<sup>&minus;6</sup> relative beyond order 128. */
    public static FaultyLinearAlgebra wrongEigen() {
        return new FaultyLinearAlgebra(true);
    }

    /** Whether this provider would get an SVD of this shape wrong. */
    public static boolean wrongFor(int rows, int cols, boolean vectors) {
        int k = Math.min(rows, cols);
        int big = Math.max(rows, cols);
        return k > 128 && (vectors || big >= 1.6 * k);
    }

    /** How many decompositions it was asked for. */
    public int calls() {
        return calls.get();
    }

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public Svd svd(int rows, int cols, double[] a, boolean vectors) {
        int call = calls.incrementAndGet();
        Svd svd = right.svd(rows, cols, a, vectors);
        if (!wrongEigen && wrongFor(rows, cols, vectors)) {
            double[] s = svd.singularValues().clone();
            for (int i = 0; i < s.length; i++) {
                s[i] *= 1 + 0.3 * (call % 7 + 1) * (s.length - i) / s.length;
            }
            double[] u = svd.u();
            if (vectors) {
                u = u.clone();
                int k = s.length;
                for (int i = 0; i < rows; i++) {
                    u[i * k] = -u[i * k] + 1e-3;
                }
            }
            return new Svd(rows, cols, s, u, svd.vt());
        }
        return svd;
    }

    @Override
    public SymmetricEigen symmetricEigen(int n, double[] a, boolean vectors) {
        calls.incrementAndGet();
        SymmetricEigen e = right.symmetricEigen(n, a, vectors);
        if (wrongEigen && n > 128) {
            double[] l = e.eigenvalues().clone();
            l[0] *= 1 + 1e-6;
            return new SymmetricEigen(n, l, e.vectors());
        }
        return e;
    }
}
