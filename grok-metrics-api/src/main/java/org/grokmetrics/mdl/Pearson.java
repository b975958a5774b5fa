package org.grokmetrics.mdl;

/**
 * Pearson's sample correlation coefficient, computed in two passes (means first, then the centred sums
 * {@code Σ(x-x̄)(y-ȳ) / √(Σ(x-x̄)² Σ(y-ȳ)²)}), which keeps its accuracy when the series are far from zero.
 * Replaces Commons Math's {@code PearsonsCorrelation} at run time (2 MB for one formula);
 * {@code PearsonTest} checks it against that class.
 */
public final class Pearson {

    private Pearson() {
    }

    /**
     * Pearson's r of two series of equal length.
     *
     * @param x the first series
     * @param y the second series, as long as {@code x}
     * @return r in [-1, 1]; NaN if fewer than 2 points, if a series is constant, or if any value is not finite
     * @throws IllegalArgumentException if the lengths differ
     */
    public static double correlation(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("Pearson correlation needs series of equal length, got "
                    + x.length + " and " + y.length);
        }
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (!(sxx > 0) || !(syy > 0) || !Double.isFinite(sxy)) {
            return Double.NaN;
        }
        double r = sxy / Math.sqrt(sxx * syy);
        return Math.max(-1.0, Math.min(1.0, r));
    }
}
