package org.grokmetrics.dl4j;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grokmetrics.testing.ListenerContract;
import org.nd4j.linalg.dataset.DataSet;

/** The listener contract on DL4J: a MultiLayerNetwork on a+b mod 7, 30 full-batch fits, every 5 iterations. */
class Dl4jListenerContractTest extends ListenerContract {

    private static final DataSet[] DATA = ModularData.split(7, 0.5, 1);

    @Override
    protected Run train(Spec spec) {
        MultiLayerNetwork net = ModularData.net(7, 16, 11);
        ComplexityListener l = null;
        if (spec != null) {
            ComplexityListener.Builder b = ComplexityListener.builder().trainData(DATA[0]).validationData(DATA[1])
                    .everyIterations(every());
            if (spec.estimators() == null) {
                b.lmnLayer(2).lmnPoints(20);
            } else {
                b.estimators(spec.estimators());
            }
            if (spec.csv() != null) {
                b.csv(spec.csv());
            }
            l = b.build();
            net.setListeners(l);
        }
        for (int i = 0; i < 30; i++) {
            net.fit(DATA[0]);
        }
        if (l == null) {
            return new Run(List.of(net.params().data().asFloat()), List.of());
        }
        l.close();
        return new Run(List.of(net.params().data().asFloat()), l.history());
    }

    @Override
    protected int every() {
        return 5;
    }

    @Override
    protected List<Long> expectedSteps() {
        return List.of(5L, 10L, 15L, 20L, 25L, 30L);
    }
}
