package org.grokmetrics.examples.readme;

import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.lmn.LinearMappingNumber;

/** README.md, "Use it as a library": ReadmeSnippetsTest keeps this file and the README block equal. */
final class LmnSnippet {

    static double lmn(FunctionOracle subNetwork, double[][] hiddenActivations) {   // double[N][d1] -> double[N][d2]
        return LinearMappingNumber.lmn(subNetwork, hiddenActivations);          // 2^S, between 1 and N
    }
}
