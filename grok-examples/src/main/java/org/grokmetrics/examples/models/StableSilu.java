package org.grokmetrics.examples.models;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SiLU (swish), f(x) = x&middot;&sigma;(x), with the derivative written as
 * f'(x) = &sigma;(x)&middot;(1 + x&middot;(1 &minus; &sigma;(x))), which is finite for every finite x.
 *
 * <p>Why not {@code Activation.SWISH}: ND4J 1.0.0-M2.1 computes the derivative as
 * e<sup>x</sup>(x + e<sup>x</sup> + 1) / (e<sup>x</sup> + 1)<sup>2</sup>, whose numerator and denominator both
 * overflow for x &gt; ln&radic;(max) &asymp; 44.4 in float32 (&asymp; 354.9 in float64): the gradient becomes
 * NaN and so do all weights after the next update (measured: {@code StableSiluTest}). Late in full-batch
 * training, once the weight norm grows, pre-activations above 44 occur, which is why DL4J runs of the LMN
 * paper's MLP went to NaN where PyTorch's (a stable SiLU) recover from the loss spike.
 *
 * <p>Stateless; serialised by class name in a DL4J configuration.
 */
public final class StableSilu extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        INDArray sig = Transforms.sigmoid(in, true);
        return in.muli(sig);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray sig = Transforms.sigmoid(in, true);
        // sigma * (1 + x * (1 - sigma)), computed in place in 'in'
        INDArray oneMinus = sig.rsub(1.0);
        in.muli(oneMinus).addi(1.0).muli(sig).muli(epsilon);
        return new Pair<>(in, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StableSilu;
    }

    @Override
    public int hashCode() {
        return StableSilu.class.hashCode();
    }

    @Override
    public String toString() {
        return "silu";
    }
}
