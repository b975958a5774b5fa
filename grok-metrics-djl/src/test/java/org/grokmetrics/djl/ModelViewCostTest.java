package org.grokmetrics.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/**
 * Counts (not times) the walks over the block's parameter list and the parameter stores built per
 * measurement, with the debug counters {@link DjlModels#PARAMETER_WALKS} and
 * {@link SnapshotParameterStore#CREATED} (issue 20: three walks per loss evaluation, a store per LMN batch).
 */
class ModelViewCostTest {

    @Test
    void parameterWalksAndStoresPerMeasurement() throws Exception {
        try (ModularMlp data = new ModularMlp(11, 0.5, 3, 16)) {
            ComplexityTrainingListener l = ComplexityTrainingListener.builder().trainData(data.trainData())
                    .validationData(data.validationData()).lmnAt("03Linear").lmnPoints(16).build();
            Pair<Model, Trainer> mt = data.trainer(21, 20, Loss.softmaxCrossEntropyLoss(), l);
            long walks;
            long stores;
            try (Trainer t = mt.getValue(); Model m = mt.getKey()) {
                l.measureNow(t);
                long w0 = DjlModels.PARAMETER_WALKS.get();
                long s0 = SnapshotParameterStore.CREATED.get();
                l.measureNow(t);
                walks = DjlModels.PARAMETER_WALKS.get() - w0;
                stores = SnapshotParameterStore.CREATED.get() - s0;
            }
            l.close();
            assertEquals(2, l.history().size());
            l.history().get(1).estimates().forEach(e -> assertTrue(e.succeeded(), e.estimator() + ": " + e.failure()));
            int evaluations = l.history().get(1).estimate("coarse-grained").orElseThrow().cost().lossEvaluations();
            System.out.printf("DJL listener: per measurement (defaults + LMN + metrics): %d parameter walks, "
                    + "%d parameter stores (coarse-grained: %d loss evaluations)%n", walks, stores, evaluations);
            // before the model view: 58 walks and 20 stores (three walks per loss evaluation, a store per LMN
            // batch); now the view walks the block once, when the listener first measures it, and builds one
            // store per loss evaluation (the compressor's, train and validation metrics) and one for LMN
            assertEquals(0, walks, "the block's parameter list is walked once per listener, not per measurement");
            assertEquals(evaluations + 3, stores, "one store per loss evaluation, train, validation and LMN");
        }
    }
}
