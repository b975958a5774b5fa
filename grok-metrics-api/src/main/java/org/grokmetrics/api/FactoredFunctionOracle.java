package org.grokmetrics.api;

/**
 * A sub-network f = g &#8728; A whose first step A is an affine map (a dense layer's
 * x &#8614; Wx + b, before its activation).
 *
 * <p>Affine maps send straight lines to straight lines: A(x<sub>i</sub> + &lambda;(x<sub>j</sub> &minus;
 * x<sub>i</sub>)) = A x<sub>i</sub> + &lambda;(A x<sub>j</sub> &minus; A x<sub>i</sub>). The linear mapping
 * number therefore interpolates between A x<sub>i</sub> and A x<sub>j</sub> and evaluates only g on the
 * interpolated points: the same result (up to rounding) without paying for A on every one of the
 * N(N&minus;1)/2 &times; 19 interpolated points. Implementations must make
 * {@code apply(x)} equal {@code applyAfterPrefix(affinePrefix(x))}, which the default does.
 */
public interface FactoredFunctionOracle extends FunctionOracle {

    /**
     * A(x) for each row: the affine first step.
     *
     * @param inputs one input x per row
     * @return one row A(x) per input row, in the same order
     */
    double[][] affinePrefix(double[][] inputs);

    /**
     * g(z) for each row: everything after the affine first step.
     *
     * @param prefixed one row z per point, in the space {@link #affinePrefix} maps to
     * @return one output row g(z) per input row, in the same order
     */
    double[][] applyAfterPrefix(double[][] prefixed);

    @Override
    default double[][] apply(double[][] inputs) {
        return applyAfterPrefix(affinePrefix(inputs));
    }
}
