package org.grokmetrics.djl;

import java.util.List;

import ai.djl.Model;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import org.grokmetrics.testing.ListenerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The listener contract on DJL: an MLP on a+b mod 11, 3 epochs of 4 shuffled batches, a measurement at step 0
 * ({@code measureNow}) and every 2 steps.
 */
class DjlListenerContractTest extends ListenerContract {

    private static ModularMlp data;

    @BeforeAll
    static void setUp() {
        data = new ModularMlp(11, 0.5, 3, 16);
    }

    @AfterAll
    static void tearDown() {
        data.close();
    }

    @Override
    protected Run train(Spec spec) throws Exception {
        ComplexityTrainingListener l = null;
        if (spec != null) {
            ComplexityTrainingListener.Builder b = ComplexityTrainingListener.builder().trainData(data.trainData())
                    .validationData(data.validationData()).everyBatches(every());
            if (spec.estimators() == null) {
                b.lmnAt("03Linear").lmnPoints(16);
            } else {
                b.estimators(spec.estimators());
            }
            if (spec.csv() != null) {
                b.csv(spec.csv());
            }
            l = b.build();
        }
        Pair<Model, Trainer> mt = l == null ? data.trainer(21, 20, Loss.softmaxCrossEntropyLoss())
                : data.trainer(21, 20, Loss.softmaxCrossEntropyLoss(), l);
        List<float[]> parameters;
        try (Trainer t = mt.getValue(); Model m = mt.getKey()) {
            if (l != null) {
                l.measureNow(t);
            }
            EasyTrain.fit(t, 3, data.train, data.validation);
            parameters = ModularMlp.parameters(m);
        }
        if (l == null) {
            return new Run(parameters, List.of());
        }
        l.close();
        return new Run(parameters, l.history());
    }

    @Override
    protected int every() {
        return 2;
    }

    @Override
    protected List<Long> expectedSteps() {
        return List.of(0L, 2L, 4L, 6L, 8L, 10L, 12L);
    }
}
