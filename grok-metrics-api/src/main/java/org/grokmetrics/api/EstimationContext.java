package org.grokmetrics.api;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything an estimator may look at for one estimate: the weights, and optionally oracles that run
 * the network and the sample points of a sub-network.
 *
 * <p>Estimators take what they need and report a clear failure when something they need is absent
 * (see {@link #requireTrainLoss(String)}). The points supplier is called at most once per estimator
 * that needs it, lazily, so a listener pays for representations only when LMN runs.
 *
 * @param parameters       the weights to measure
 * @param trainLoss        the model's mean train loss for given weights, for the compressor
 * @param subNetwork       the sub-network whose linear mapping number is measured
 * @param points           sample points in the sub-network's input space (rows are samples)
 * @param trainingExamples number of training examples n, for description lengths; 0 if unknown
 */
public record EstimationContext(ParameterSnapshot parameters, Optional<LossOracle> trainLoss,
                                Optional<FunctionOracle> subNetwork, Optional<Supplier<double[][]>> points,
                                long trainingExamples) {

    /**
     * Checks the components; null optionals become empty.
     *
     * @param parameters       the weights to measure (not null)
     * @param trainLoss        the train-loss oracle, null or empty for none
     * @param subNetwork       the sub-network oracle, null or empty for none
     * @param points           the sample points' supplier, null or empty for none
     * @param trainingExamples number of training examples, {@code >= 0}; 0 if unknown
     * @throws IllegalArgumentException if {@code trainingExamples} is negative
     */
    public EstimationContext {
        Objects.requireNonNull(parameters, "parameters");
        trainLoss = Objects.requireNonNullElse(trainLoss, Optional.empty());
        subNetwork = Objects.requireNonNullElse(subNetwork, Optional.empty());
        points = Objects.requireNonNullElse(points, Optional.empty());
        if (trainingExamples < 0) {
            throw new IllegalArgumentException("trainingExamples must be >= 0, was " + trainingExamples);
        }
    }

    /**
     * A context with weights only.
     *
     * @param parameters the weights to measure (not null)
     * @return a context without oracles or points, with 0 (unknown) training examples
     */
    public static EstimationContext of(ParameterSnapshot parameters) {
        return new EstimationContext(parameters, Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    /**
     * A copy with a train-loss oracle over {@code n} training examples.
     *
     * @param oracle the model's mean train loss for given weights (not null)
     * @param n      the number of training examples the loss averages over, {@code >= 0}; 0 if unknown
     * @return the copy, replacing any earlier train-loss oracle and example count
     */
    public EstimationContext withTrainLoss(LossOracle oracle, long n) {
        return new EstimationContext(parameters, Optional.of(oracle), subNetwork, points, n);
    }

    /**
     * A copy with a sub-network and its sample points.
     *
     * @param f            the sub-network whose linear mapping number is measured (not null)
     * @param samplePoints supplies the points in {@code f}'s input space, one per row; called lazily (not null)
     * @return the copy, replacing any earlier sub-network and points
     */
    public EstimationContext withSubNetwork(FunctionOracle f, Supplier<double[][]> samplePoints) {
        return new EstimationContext(parameters, trainLoss, Optional.of(f), Optional.of(samplePoints),
                trainingExamples);
    }

    /**
     * The train-loss oracle.
     *
     * @param estimator the name of the estimator asking, for the message
     * @return the oracle
     * @throws IllegalStateException if there is none
     */
    public LossOracle requireTrainLoss(String estimator) {
        return trainLoss.orElseThrow(() -> new IllegalStateException(
                estimator + " needs a train-loss oracle, and the estimation context has none"));
    }

    /**
     * The sub-network oracle.
     *
     * @param estimator the name of the estimator asking, for the message
     * @return the oracle
     * @throws IllegalStateException if there is none
     */
    public FunctionOracle requireSubNetwork(String estimator) {
        return subNetwork.orElseThrow(() -> new IllegalStateException(
                estimator + " needs a sub-network oracle, and the estimation context has none"));
    }

    /**
     * The sample points.
     *
     * @param estimator the name of the estimator asking, for the message
     * @return the points the supplier gives now, one per row
     * @throws IllegalStateException if there are none
     */
    public double[][] requirePoints(String estimator) {
        return points.orElseThrow(() -> new IllegalStateException(
                estimator + " needs sample points, and the estimation context has none")).get();
    }
}
