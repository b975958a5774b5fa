package org.grokmetrics.dl4j;

import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebraContract;

/**
 * What estimators use with ND4J on the class path: the selection, whichever provider won it on this
 * machine (ND4J checked, or the pure-Java default when ND4J failed its self-check), under the contract.
 */
class DefaultLinearAlgebraTest extends LinearAlgebraContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LinearAlgebra.getDefault();
    }

    @Override
    protected boolean runsLargeShapes() {
        return false;
    }
}
