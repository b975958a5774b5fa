package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.lmn.LinearMappingNumber;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Counts (not times) the snapshot loads into the listener's evaluation clone per measurement, with the debug
 * counter {@link Dl4jModels#LOADS}: issue 20 found the same snapshot reloaded from six call sites.
 */
class ModelViewCostTest {

    private static final DataSet[] DATA = ModularData.split(7, 0.5, 1);

    private static int coarseGrainedEvaluations;

    /** Loads during the second measurement of the same listener (the first one builds what it keeps). */
    private static long loadsPerMeasurement(ComplexityListener l, MultiLayerNetwork net) {
        l.measureNow(net, 1, 0);
        long before = Dl4jModels.LOADS.get();
        l.measureNow(net, 2, 0);
        long loads = Dl4jModels.LOADS.get() - before;
        l.close();
        assertEquals(2, l.history().size());
        l.history().get(1).estimates().forEach(e -> assertTrue(e.succeeded(), e.estimator() + ": " + e.failure()));
        coarseGrainedEvaluations = l.history().get(1).estimate("coarse-grained")
                .map(e -> e.cost().lossEvaluations()).orElse(0);
        return loads;
    }

    @Test
    void snapshotLoadsPerMeasurement() {
        MultiLayerNetwork net = ModularData.net(7, 16, 11);
        for (int i = 0; i < 10; i++) {
            net.fit(DATA[0]);
        }
        long lmn = loadsPerMeasurement(ComplexityListener.builder().trainData(DATA[0]).lmnLayer(2).lmnPoints(20)
                .estimators(List.of(LinearMappingNumber.withOptions(
                        LinearMappingNumber.Options.defaults().withSampleCount(0)))).build(), net);
        long defaults = loadsPerMeasurement(ComplexityListener.builder().trainData(DATA[0]).validationData(DATA[1])
                .lmnLayer(2).lmnPoints(20).build(), net);
        System.out.printf("DL4J listener: snapshot loads per measurement: LMN alone %d, defaults + LMN + metrics %d "
                + "(coarse-grained: %d loss evaluations)%n", lmn, defaults, coarseGrainedEvaluations);
        // before the model view: 5 and 19 (the same snapshot loaded again for the metrics, the points and every
        // call of the sub-network oracle); now the measurement's snapshot is loaded once, and the compressor's
        // loss oracle loads each weights it asks about, at most once. LMN evaluates on a second private copy (its
        // outputs switched to logits), which loads the snapshot once more
        assertEquals(2, lmn, "one load for the metrics, one for the points and every sub-network call");
        assertTrue(defaults <= coarseGrainedEvaluations + 2, defaults + " loads");
    }
}
