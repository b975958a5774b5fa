package org.grokmetrics.dl4j;

import java.util.Map;
import java.util.Optional;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.api.FactoredFunctionOracle;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.LossOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.monitor.Metrics;
import org.grokmetrics.monitor.ModelMeasurement;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The listener's view of one DL4J model, built once: the model's kind (MultiLayerNetwork or
 * ComputationGraph), its parameter table, a private clone with its own parameter table, the data and the
 * LMN cut of the clone. A snapshot is written into the clone only when it differs from the one the clone
 * holds, so the metrics, the LMN points and every call of the sub-network oracle share one load.
 *
 * <p>{@link #snapshot()} runs on the training thread; everything else on the monitor's evaluation thread,
 * one measurement at a time.
 */
final class Dl4jModelView implements ModelMeasurement.View {

    private final Model source;
    private final Map<String, INDArray> sourceParams;
    private final Dl4jModels.Kind kind;
    private final Model clone;
    private final Map<String, INDArray> cloneParams;
    private final DataSet trainData;
    private final DataSet validationData;
    private final int lmnLayer;
    private final INDArray lmnFeatures;
    private FunctionOracle lmnCut;
    private volatile ParameterSnapshot loaded;

    /**
     * @param lmnLayer    the layer LMN's sub-network starts at, or -1 for none
     * @param lmnFeatures the features whose representations are LMN's sample points (null without LMN)
     * @throws IllegalArgumentException if the model is neither a MultiLayerNetwork nor a ComputationGraph
     */
    Dl4jModelView(Model model, DataSet trainData, DataSet validationData, int lmnLayer, INDArray lmnFeatures) {
        this.source = model;
        this.kind = Dl4jModels.Kind.of(model);
        this.sourceParams = kind.paramTable(model);
        this.clone = Dl4jModels.outsideWorkspaces(() -> kind.cloneOf(model));
        this.cloneParams = kind.paramTable(clone);
        this.trainData = trainData;
        this.validationData = validationData;
        this.lmnLayer = lmnLayer;
        this.lmnFeatures = lmnFeatures;
    }

    /** Whether this is the view of {@code model}. */
    boolean isOf(Model model) {
        return source == model;
    }

    /** The source model's weights now (on the training thread). */
    ParameterSnapshot snapshot() {
        return Dl4jModels.outsideWorkspaces(() -> Dl4jModels.snapshotOf(sourceParams));
    }

    /** Writes {@code p} into the clone unless the clone holds it already. */
    private void load(ParameterSnapshot p) {
        if (p == loaded) {
            return;
        }
        loaded = null;
        Dl4jModels.outsideWorkspaces(() -> Dl4jModels.loadInto(cloneParams, p));
        loaded = p;
    }

    private Dl4jModels.Evaluation evaluate(ParameterSnapshot p, DataSet data) {
        load(p);
        return Dl4jModels.evaluate(kind, clone, data);
    }

    @Override
    public Optional<LossOracle> trainLoss() {
        return trainData == null ? Optional.empty() : Optional.of(p -> evaluate(p, trainData).loss());
    }

    @Override
    public long trainExamples() {
        return trainData == null ? 0 : trainData.numExamples();
    }

    @Override
    public Optional<ModelMeasurement.SubNetwork> subNetwork(ParameterSnapshot weights) {
        if (lmnLayer < 0 || !(clone instanceof MultiLayerNetwork net)) {
            return Optional.empty();
        }
        if (lmnCut == null) {
            lmnCut = Dl4jModels.subNetworkOf(net, lmnLayer);
        }
        load(weights);
        double[][] points = Dl4jModels.representations(net, lmnFeatures, lmnLayer);
        return Optional.of(new ModelMeasurement.SubNetwork(at(weights, lmnCut), points));
    }

    /** The sub-network oracle at these weights (the compressor may have loaded others into the clone since). */
    private FunctionOracle at(ParameterSnapshot weights, FunctionOracle f) {
        if (f instanceof FactoredFunctionOracle ff) {
            return new FactoredFunctionOracle() {
                @Override
                public double[][] affinePrefix(double[][] in) {
                    load(weights);
                    return ff.affinePrefix(in);
                }

                @Override
                public double[][] applyAfterPrefix(double[][] z) {
                    load(weights);
                    return ff.applyAfterPrefix(z);
                }
            };
        }
        return in -> {
            load(weights);
            return f.apply(in);
        };
    }

    @Override
    public Metrics metrics(ParameterSnapshot weights) {
        return Metrics.of(trainData == null ? null : evaluate(weights, trainData),
                validationData == null ? null : evaluate(weights, validationData));
    }
}
