package org.grokmetrics.mdl;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The grokking analysis of the pruning-MDL study (SPEC &sect;4) over recorded time series.
 *
 * <ul>
 *   <li><b>Grokking point</b>: the first step whose validation accuracy is &ge; a level (95% in the
 *       study, 99% also reported). Empty if never reached.</li>
 *   <li><b>MDL transition point</b>: the step of the steepest MDL drop between consecutive
 *       measurements, drop measured per training step, (MDL<sub>i+1</sub> &minus; MDL<sub>i</sub>) /
 *       (step<sub>i+1</sub> &minus; step<sub>i</sub>); the step reported is step<sub>i+1</sub>, the
 *       first measurement at which the drop is seen. Empty if MDL never falls.</li>
 *   <li><b>MDL&ndash;accuracy correlation</b>: Pearson correlation of the min&ndash;max normalised MDL
 *       with validation accuracy at the MDL steps (normalisation does not change Pearson's r; it is kept
 *       for fidelity). Negative when MDL falls as accuracy rises; the study's figures plot MDL
 *       <em>reduction</em> against accuracy, which is {@link Result#mdlReductionAccuracyCorrelation()}
 *       = &minus;r.</li>
 *   <li><b>MDL transition rate</b>: the minimum of the MDL gradient with respect to the step, the
 *       gradient taken as NumPy's {@code np.gradient(mdl, steps)} (second-order central differences
 *       inside, first-order at the ends); units: parameters per step.</li>
 *   <li><b>Generalisation gap</b>: train &minus; validation accuracy, at each step where both exist.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class GrokkingAnalysis {

    private GrokkingAnalysis() {
    }

    /**
     * Everything the analysis reports.
     *
     * @param grokkingStep95             first step with validation accuracy &ge; 0.95
     * @param grokkingStep99             first step with validation accuracy &ge; 0.99
     * @param mdlTransitionStep          step of the steepest MDL drop
     * @param mdlAccuracyCorrelation     Pearson r of normalised MDL and validation accuracy; empty if
     *                                   fewer than 2 common steps or a series is constant
     * @param mdlTransitionRate          minimum of d MDL / d step; empty with fewer than 2 points
     * @param finalGeneralizationGap     train &minus; validation accuracy at the last common step
     */
    public record Result(OptionalLong grokkingStep95, OptionalLong grokkingStep99, OptionalLong mdlTransitionStep,
                         OptionalDouble mdlAccuracyCorrelation, OptionalDouble mdlTransitionRate,
                         OptionalDouble finalGeneralizationGap) {

        /**
         * &minus;r: the correlation of MDL reduction with accuracy, as the study's figure plots it.
         *
         * @return &minus;{@link #mdlAccuracyCorrelation()}, in [&minus;1, 1]; empty where that is
         */
        public OptionalDouble mdlReductionAccuracyCorrelation() {
            return mdlAccuracyCorrelation.isPresent() ? OptionalDouble.of(-mdlAccuracyCorrelation.getAsDouble())
                    : OptionalDouble.empty();
        }
    }

    /**
     * Runs the whole analysis.
     *
     * @param mdl           pruning MDL over steps
     * @param validationAcc validation accuracy in [0, 1] over steps
     * @param trainAcc      train accuracy in [0, 1] over steps (may be null)
     * @return every figure of {@link Result}; the generalization gap is empty without {@code trainAcc} or common
     *         steps
     */
    public static Result analyze(TimeSeries mdl, TimeSeries validationAcc, TimeSeries trainAcc) {
        Objects.requireNonNull(mdl, "mdl");
        Objects.requireNonNull(validationAcc, "validationAcc");
        OptionalDouble gap = OptionalDouble.empty();
        if (trainAcc != null) {
            TimeSeries g = generalizationGap(trainAcc, validationAcc);
            if (g.size() > 0) {
                gap = OptionalDouble.of(g.value(g.size() - 1));
            }
        }
        return new Result(grokkingPoint(validationAcc, 0.95), grokkingPoint(validationAcc, 0.99),
                transitionPoint(mdl), mdlAccuracyCorrelation(mdl, validationAcc), transitionRate(mdl), gap);
    }

    /**
     * First step with value &ge; level (NaN values never qualify).
     *
     * @param validationAcc validation accuracy over steps
     * @param level         the accuracy to reach, e.g. 0.95
     * @return the first step at which it is reached, empty if never
     */
    public static OptionalLong grokkingPoint(TimeSeries validationAcc, double level) {
        for (int i = 0; i < validationAcc.size(); i++) {
            if (validationAcc.value(i) >= level) {
                return OptionalLong.of(validationAcc.step(i));
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Step ending the steepest per-step MDL drop; empty if MDL never decreases.
     *
     * @param mdl pruning MDL over steps
     * @return the later step of the pair of consecutive points with the most negative slope
     */
    public static OptionalLong transitionPoint(TimeSeries mdl) {
        double steepest = 0;
        long at = -1;
        for (int i = 0; i + 1 < mdl.size(); i++) {
            double slope = (mdl.value(i + 1) - mdl.value(i)) / (double) (mdl.step(i + 1) - mdl.step(i));
            if (slope < steepest) {
                steepest = slope;
                at = mdl.step(i + 1);
            }
        }
        return at < 0 ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /**
     * Pearson correlation of min&ndash;max normalised MDL with validation accuracy, over the MDL steps
     * at which accuracy was recorded (both finite).
     *
     * @param mdl           pruning MDL over steps
     * @param validationAcc validation accuracy over steps
     * @return r in [&minus;1, 1]; empty if MDL is constant, fewer than 2 steps are common, or r is undefined
     */
    public static OptionalDouble mdlAccuracyCorrelation(TimeSeries mdl, TimeSeries validationAcc) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : mdl.values()) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(hi > lo)) {
            return OptionalDouble.empty();
        }
        double[] x = new double[mdl.size()];
        double[] y = new double[mdl.size()];
        int n = 0;
        for (int i = 0; i < mdl.size(); i++) {
            OptionalDouble acc = validationAcc.at(mdl.step(i));
            if (acc.isPresent() && Double.isFinite(acc.getAsDouble()) && Double.isFinite(mdl.value(i))) {
                x[n] = (mdl.value(i) - lo) / (hi - lo);
                y[n] = acc.getAsDouble();
                n++;
            }
        }
        if (n < 2) {
            return OptionalDouble.empty();
        }
        double r = Pearson.correlation(java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n));
        return Double.isFinite(r) ? OptionalDouble.of(r) : OptionalDouble.empty();
    }

    /**
     * The MDL gradient with respect to the step, as NumPy's {@code np.gradient(values, steps)}.
     *
     * @param s the series
     * @return the gradient at every step (one-sided at the ends, second order inside); a single point gives NaN
     */
    public static TimeSeries gradient(TimeSeries s) {
        int n = s.size();
        double[] g = new double[n];
        if (n < 2) {
            return TimeSeries.of(s.steps(), n == 1 ? new double[] {Double.NaN} : g);
        }
        g[0] = (s.value(1) - s.value(0)) / (s.step(1) - s.step(0));
        g[n - 1] = (s.value(n - 1) - s.value(n - 2)) / (s.step(n - 1) - s.step(n - 2));
        for (int i = 1; i < n - 1; i++) {
            double h1 = s.step(i) - s.step(i - 1);
            double h2 = s.step(i + 1) - s.step(i);
            g[i] = (h1 * h1 * s.value(i + 1) - h2 * h2 * s.value(i - 1) + (h2 * h2 - h1 * h1) * s.value(i))
                    / (h1 * h2 * (h1 + h2));
        }
        return TimeSeries.of(s.steps(), g);
    }

    /**
     * Minimum of {@link #gradient}; empty with fewer than 2 points.
     *
     * @param mdl pruning MDL over steps
     * @return the most negative rate of change per step; empty with fewer than 2 points or no finite minimum
     */
    public static OptionalDouble transitionRate(TimeSeries mdl) {
        if (mdl.size() < 2) {
            return OptionalDouble.empty();
        }
        double min = Double.POSITIVE_INFINITY;
        for (double v : gradient(mdl).values()) {
            if (v < min) {
                min = v;
            }
        }
        return Double.isFinite(min) ? OptionalDouble.of(min) : OptionalDouble.empty();
    }

    /**
     * Train &minus; validation accuracy at every step recorded in both.
     *
     * @param trainAcc      train accuracy over steps
     * @param validationAcc validation accuracy over steps
     * @return the gap at the common steps, in [&minus;1, 1] for accuracies; empty if none are common
     */
    public static TimeSeries generalizationGap(TimeSeries trainAcc, TimeSeries validationAcc) {
        long[] steps = new long[trainAcc.size()];
        double[] gap = new double[trainAcc.size()];
        int n = 0;
        for (int i = 0; i < trainAcc.size(); i++) {
            OptionalDouble v = validationAcc.at(trainAcc.step(i));
            if (v.isPresent()) {
                steps[n] = trainAcc.step(i);
                gap[n] = trainAcc.value(i) - v.getAsDouble();
                n++;
            }
        }
        return TimeSeries.of(java.util.Arrays.copyOf(steps, n), java.util.Arrays.copyOf(gap, n));
    }
}
