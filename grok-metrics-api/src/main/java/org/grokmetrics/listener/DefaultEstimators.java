package org.grokmetrics.listener;

import java.util.ArrayList;
import java.util.List;

import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.lmn.LinearMappingNumber;
import org.grokmetrics.lmn.LinearMappingNumberEstimator;
import org.grokmetrics.mdl.PruningMdlEstimator;
import org.grokmetrics.spectral.SpectralEntropyEstimator;

/**
 * The estimators a training listener runs unless told otherwise, in one place, in this order:
 * <ol>
 *   <li>{@code coarse-grained}: {@link CoarseGrainCompressor#of(double)} with &epsilon; = 1 nats
 *       ({@link #DEFAULT_EPSILON}), only when the listener has train data for its loss oracle;</li>
 *   <li>{@code spectral-entropy}: {@link SpectralEntropyEstimator#of()};</li>
 *   <li>{@code pruning-mdl}: {@link PruningMdlEstimator#of()};</li>
 *   <li>{@code lmn}: {@link LinearMappingNumberEstimator} with the default options but no sub-sampling
 *       (the listener already chose its sample points), only when the listener asks for it.</li>
 * </ol>
 * Immutable; {@link #select} builds new estimators at each call.
 */
public final class DefaultEstimators {

    /** &epsilon; of the default coarse-grained estimator, in nats (the paper's figures use 1). */
    public static final double DEFAULT_EPSILON = 1.0;

    private static final DefaultEstimators STANDARD = new DefaultEstimators(DEFAULT_EPSILON);

    private final double epsilon;

    private DefaultEstimators(double epsilon) {
        this.epsilon = epsilon;
    }

    /**
     * The default set with &epsilon; = {@value #DEFAULT_EPSILON}.
     *
     * @return the shared default set
     */
    public static DefaultEstimators standard() {
        return STANDARD;
    }

    /**
     * The default set with the coarse-grained estimator's &epsilon; replaced.
     *
     * @param epsilon the coarse-grained estimator's loss tolerance &epsilon;, in nats, finite and &gt; 0
     * @return a new set with that &epsilon;
     * @throws IllegalArgumentException naming {@code epsilon} if it is not finite and &gt; 0 (the
     *                                  compressor's own check, made now rather than when a listener is built)
     */
    public DefaultEstimators withEpsilon(double epsilon) {
        CoarseGrainCompressor.of(epsilon);
        return new DefaultEstimators(epsilon);
    }

    /**
     * &epsilon; of the coarse-grained estimator, in nats.
     *
     * @return &epsilon;, in nats, finite and &gt; 0
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * New instances of the default estimators, in the order of the class comment.
     *
     * @param trainLoss whether the listener can give a train-loss oracle (else no coarse-grained estimator)
     * @param lmn       whether the listener gives a sub-network and its sample points (else no LMN)
     * @return a new, modifiable list of new estimators
     */
    public List<ComplexityEstimator> select(boolean trainLoss, boolean lmn) {
        List<ComplexityEstimator> list = new ArrayList<>();
        if (trainLoss) {
            list.add(CoarseGrainCompressor.of(epsilon));
        }
        list.add(SpectralEntropyEstimator.of());
        list.add(PruningMdlEstimator.of());
        if (lmn) {
            // the listener already chose its sample points: use them all
            list.add(LinearMappingNumberEstimator.of(
                    LinearMappingNumber.Options.defaults().withSampleCount(0)));
        }
        return list;
    }
}
