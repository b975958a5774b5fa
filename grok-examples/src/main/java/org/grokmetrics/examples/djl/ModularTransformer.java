package org.grokmetrics.examples.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The decoder-only transformer of the grokking papers (SPEC &sect;5): token and learned positional
 * embeddings, {@code layers} post-LayerNorm layers (d_model, heads, MLP width with GELU), an optional
 * causal mask and final LayerNorm, and logits over the answer classes from the last position.
 *
 * <p>Input: token ids, shape (B, S) (any numeric type). Output: logits (B, classes). Embeddings are
 * N(0, 1) like PyTorch's {@code nn.Embedding}; linear layers are initialised like PyTorch's {@code nn.Linear}
 * (uniform &plusmn;1/&radic;fan_in), LayerNorms with scale 1 and shift 0. Parameter
 * names (keys of {@code getParameters()}): {@code token_embedding}, {@code position_embedding},
 * {@code 01layer0_01attention_02queryProjection_weight}, ..., {@code 04unembed_weight} (DJL numbers the
 * children: with one layer and no final norm the unembedding is {@code 02unembed_weight}).
 */
public final class ModularTransformer extends AbstractBlock {

    /** Architecture. */
    public record Architecture(int vocab, int sequence, int classes, int layers, int dModel, int heads, int mlp,
                         boolean causal, boolean finalNorm) {
    }

    private final Architecture shape;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final DecoderLayer[] layers;
    private final LayerNorm finalNorm;
    private final Linear unembed;

    public ModularTransformer(Architecture shape) {
        this.shape = shape;
        tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(shape.vocab(), shape.dModel())).optInitializer(new NormalInitializer(1f)).build());
        positionEmbedding = addParameter(Parameter.builder().setName("position_embedding")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(shape.sequence(), shape.dModel()))
                .optInitializer(new NormalInitializer(1f)).build());
        layers = new DecoderLayer[shape.layers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = addChildBlock("layer" + i, new DecoderLayer(shape.dModel(), shape.heads(), shape.mlp()));
        }
        finalNorm = shape.finalNorm() ? addChildBlock("finalNorm", LayerNorm.builder().axis(2).build()) : null;
        unembed = addChildBlock("unembed", DecoderLayer.torchDefault(Linear.builder().setUnits(shape.classes()).build(),
                shape.dModel()));
    }

    public Architecture architecture() {
        return shape;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();
        Device device = tokens.getDevice();
        long b = tokens.getShape().get(0);
        long s = tokens.getShape().get(1);
        NDArray e = ps.getValue(tokenEmbedding, device, training);
        NDArray p = ps.getValue(positionEmbedding, device, training);
        // one-hot x embedding: a gather with a gradient for the embedding matrix, on every engine
        NDArray x = tokens.toType(DataType.INT64, false).oneHot(shape.vocab()).matMul(e);
        x = x.add(p.get(new NDIndex("0:{}", s)));
        NDArray mask = shape.causal() ? causalMask(tokens.getManager(), b, s) : null;
        for (DecoderLayer layer : layers) {
            x = layer.forward(ps, mask == null ? new NDList(x) : new NDList(x, mask), training).singletonOrThrow();
        }
        if (finalNorm != null) {
            x = finalNorm.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        NDArray last = x.get(new NDIndex(":, -1, :"));
        return unembed.forward(ps, new NDList(last), training);
    }

    private static NDArray causalMask(NDManager m, long b, long s) {
        float[] v = new float[(int) (s * s)];
        for (int t = 0; t < s; t++) {
            for (int f = 0; f <= t; f++) {
                v[(int) (t * s + f)] = 1;
            }
        }
        return m.create(v, new Shape(1, s, s)).repeat(0, b);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), shape.classes())};
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        Shape hidden = new Shape(b, shape.sequence(), shape.dModel());
        for (DecoderLayer layer : layers) {
            layer.initialize(manager, dataType, hidden);
        }
        if (finalNorm != null) {
            finalNorm.initialize(manager, dataType, hidden);
        }
        unembed.initialize(manager, dataType, new Shape(b, shape.dModel()));
    }
}
