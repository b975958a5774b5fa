package org.grokmetrics.examples.djl;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * One post-LayerNorm transformer layer (SPEC &sect;5): x &larr; LN(x + Attention(x)), then
 * x &larr; LN(x + W2 GELU(W1 x + b1) + b2). Attention is DJL's multi-head
 * {@link ScaledDotProductAttentionBlock} (separate q, k, v and output projections) without dropout; the
 * optional mask is (B, S, S) with 1 where a position may attend. Not DJL's {@code TransformerEncoderBlock},
 * which normalises with BatchNorm (running statistics: state) and adds the layer input, not the attention
 * output, in its second residual.
 */
final class DecoderLayer extends AbstractBlock {

    private final ScaledDotProductAttentionBlock attention;
    private final LayerNorm attentionNorm;
    private final Linear mlpIn;
    private final Linear mlpOut;
    private final LayerNorm mlpNorm;
    private final int mlp;

    DecoderLayer(int dModel, int heads, int mlp) {
        this.mlp = mlp;
        attention = addChildBlock("attention", ScaledDotProductAttentionBlock.builder().setEmbeddingSize(dModel)
                .setHeadCount(heads).optAttentionProbsDropoutProb(0f).build());
        attentionNorm = addChildBlock("attentionNorm", LayerNorm.builder().axis(2).build());
        mlpIn = addChildBlock("mlpIn", Linear.builder().setUnits(mlp).build());
        mlpOut = addChildBlock("mlpOut", Linear.builder().setUnits(dModel).build());
        mlpNorm = addChildBlock("mlpNorm", LayerNorm.builder().axis(2).build());
        torchDefault(attention.getQueryProjection(), dModel);
        torchDefault(attention.getKeyProjection(), dModel);
        torchDefault(attention.getValueProjection(), dModel);
        torchDefault(attention.getResultProjection(), dModel);
        torchDefault(mlpIn, dModel);
        torchDefault(mlpOut, mlp);
    }

    /**
     * PyTorch's {@code nn.Linear} initialisation, which the papers' code used: weight and bias uniform in
     * &plusmn;1/&radic;fan_in (DJL's default is He-normal weights and zero biases, ~6&times; the variance).
     */
    static <B extends Block> B torchDefault(B linear, int fanIn) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        linear.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        linear.setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
        return linear;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDList attnIn = inputs.size() > 1 ? new NDList(x, inputs.get(1)) : new NDList(x);
        NDArray a = attention.forward(ps, attnIn, training).singletonOrThrow();
        x = attentionNorm.forward(ps, new NDList(x.add(a)), training).singletonOrThrow();
        NDArray h = Activation.gelu(mlpIn.forward(ps, new NDList(x), training).singletonOrThrow());
        NDArray m = mlpOut.forward(ps, new NDList(h), training).singletonOrThrow();
        x = mlpNorm.forward(ps, new NDList(x.add(m)), training).singletonOrThrow();
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        attention.initialize(manager, dataType, x);
        attentionNorm.initialize(manager, dataType, x);
        mlpIn.initialize(manager, dataType, x);
        mlpOut.initialize(manager, dataType, new Shape(x.get(0), x.get(1), mlp));
        mlpNorm.initialize(manager, dataType, x);
    }

    /** The layer's children, for tests. */
    List<String> childNames() {
        return getChildren().keys();
    }
}
