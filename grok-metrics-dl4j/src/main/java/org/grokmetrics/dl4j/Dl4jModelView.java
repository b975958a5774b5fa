package org.grokmetrics.dl4j;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.monitor.Metrics;
import org.grokmetrics.monitor.ModelMeasurement;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The listener's view of one DL4J model, built once: the model's kind (MultiLayerNetwork or
 * ComputationGraph), its parameter table, its outputs' loss functions ({@link Dl4jLoss}), a private clone with
 * its own parameter table, the data, and for LMN a second private clone with logit outputs and the position
 * ({@link Dl4jLmn}). A snapshot is written into a clone only when it differs from the one the clone holds, so
 * the metrics and every call of the loss oracle share one load, and the LMN points and the sub-network another.
 *
 * <p>{@link #snapshot()} runs on the training thread; everything else on the monitor's evaluation thread,
 * one measurement at a time.
 */
final class Dl4jModelView implements ModelMeasurement.View {

    /** A private copy of the model and the snapshot it holds. */
    private static final class Replica {
        final Model model;
        final Map<String, INDArray> params;
        private volatile ParameterSnapshot loaded;

        Replica(Model model, Dl4jModels.Kind kind) {
            this.model = model;
            this.params = kind.paramTable(model);
        }

        /** Writes {@code p} into the copy unless it holds it already. */
        void load(ParameterSnapshot p) {
            if (p == loaded) {
                return;
            }
            loaded = null;
            Dl4jModels.outsideWorkspaces(() -> Dl4jModels.loadInto(params, p));
            loaded = p;
        }
    }

    private final Model source;
    private final Map<String, INDArray> sourceParams;
    private final Dl4jModels.Kind kind;
    private final Dl4jLoss loss;
    private final Replica eval;
    private final Dl4jData trainData;
    private final Dl4jData validationData;
    private final Dl4jLmn lmn;
    private final RuntimeException lmnInvalid;
    private final int lmnPoints;
    private Replica lmnReplica;
    private MultiDataSet lmnData;

    /**
     * @param lmnPosition the LMN position ({@link Dl4jLmn#at}), or null for none
     * @throws IllegalArgumentException if the model is neither a MultiLayerNetwork nor a ComputationGraph (an
     *                                  invalid LMN position fails {@link #subNetwork} alone)
     * @throws IllegalStateException    if the model is not initialised
     */
    Dl4jModelView(Model model, Dl4jData trainData, Dl4jData validationData, String lmnPosition, int lmnPoints) {
        this.kind = Dl4jModels.Kind.of(model);
        requireInitialised(model);
        this.source = model;
        this.sourceParams = kind.paramTable(model);
        this.loss = Dl4jLoss.of(model);
        Dl4jLmn at = null;
        RuntimeException invalid = null;
        if (lmnPosition != null) {
            try {
                at = Dl4jLmn.at(model, lmnPosition);
            } catch (RuntimeException e) {
                invalid = e; // the LMN estimate's failure alone
            }
        }
        this.lmn = at;
        this.lmnInvalid = invalid;
        this.eval = new Replica(Dl4jModels.outsideWorkspaces(() -> kind.cloneOf(model)), kind);
        this.trainData = trainData;
        this.validationData = validationData;
        this.lmnPoints = lmnPoints;
    }

    /**
     * @throws IllegalStateException if {@code init()} has not been called on the model
     */
    static void requireInitialised(Model model) {
        boolean ready = model instanceof MultiLayerNetwork net ? net.isInitCalled() && net.params() != null
                : ((ComputationGraph) model).getVertices() != null && model.params() != null;
        if (!ready) {
            throw new IllegalStateException("the " + model.getClass().getSimpleName()
                    + " is not initialised: call init() before measuring it (or before fit)");
        }
    }

    /** Whether this is the view of {@code model}. */
    boolean isOf(Model model) {
        return source == model;
    }

    /** The unit of the losses this view reports. */
    String lossUnit() {
        return loss.unit();
    }

    /** The source model's weights now (on the training thread). */
    ParameterSnapshot snapshot() {
        return Dl4jModels.outsideWorkspaces(() -> Dl4jModels.snapshotOf(sourceParams));
    }

    private Dl4jModels.Evaluation evaluate(ParameterSnapshot p, Dl4jData data, boolean accuracy) {
        eval.load(p);
        return Dl4jModels.evaluate(kind, loss, eval.model, data, accuracy);
    }

    @Override
    public Optional<LossOracle> trainLoss() {
        return trainData == null ? Optional.empty() : Optional.of(p -> evaluate(p, trainData, false).loss());
    }

    @Override
    public long trainExamples() {
        return trainData == null ? 0 : trainData.populationSize();
    }

    @Override
    public Optional<ModelMeasurement.SubNetwork> subNetwork(ParameterSnapshot weights) {
        if (lmnInvalid != null) {
            throw lmnInvalid;
        }
        if (lmn == null) {
            return Optional.empty();
        }
        if (lmnReplica == null) {
            lmnData = trainData.head(lmnPoints);
            lmnReplica = new Replica(Dl4jModels.outsideWorkspaces(() -> Dl4jLmn.withLogitOutputs(kind.cloneOf(source))),
                    kind);
        }
        Replica r = lmnReplica;
        r.load(weights);
        INDArray reps = Dl4jModels.outsideWorkspaces(() -> lmn.representations(r.model, lmnData));
        long[] shape = Arrays.copyOfRange(reps.shape(), 1, reps.rank());
        double[][] points = Dl4jModels.toRows(reps);
        FunctionOracle cut = lmn.cut(r.model, shape);
        return Optional.of(new ModelMeasurement.SubNetwork(at(r, weights, cut), points));
    }

    /** The sub-network oracle at these weights (another measurement may have loaded others since). */
    private static FunctionOracle at(Replica r, ParameterSnapshot weights, FunctionOracle f) {
        if (f instanceof FactoredFunctionOracle ff) {
            return new FactoredFunctionOracle() {
                @Override
                public double[][] affinePrefix(double[][] in) {
                    r.load(weights);
                    return ff.affinePrefix(in);
                }

                @Override
                public double[][] applyAfterPrefix(double[][] z) {
                    r.load(weights);
                    return ff.applyAfterPrefix(z);
                }
            };
        }
        return in -> {
            r.load(weights);
            return f.apply(in);
        };
    }

    @Override
    public Metrics metrics(ParameterSnapshot weights) {
        return Metrics.of(trainData == null ? null : evaluate(weights, trainData, true),
                validationData == null ? null : evaluate(weights, validationData, true)).withLossUnit(loss.unit());
    }
}
