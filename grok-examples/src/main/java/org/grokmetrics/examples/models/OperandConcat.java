package org.grokmetrics.examples.models;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.BaseInputPreProcessor;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Concatenates the embeddings of a sequence of operands into one feature vector: [N, e, T] (the NCW output of an
 * {@code EmbeddingSequenceLayer}) &rarr; [N, T&middot;e] = [E[x<sub>1</sub>], &hellip;, E[x<sub>T</sub>]], the
 * input of the LMN paper's first dense layer. Backprop is the inverse permutation. Immutable.
 */
public final class OperandConcat extends BaseInputPreProcessor {

    private static final long serialVersionUID = 1L;

    private final int operands;

    /**
     * @param operands T, the number of operands (sequence length) concatenated
     * @throws IllegalArgumentException if operands &lt; 1
     */
    @JsonCreator
    public OperandConcat(@JsonProperty("operands") int operands) {
        if (operands < 1) {
            throw new IllegalArgumentException("operands must be >= 1, was " + operands);
        }
        this.operands = operands;
    }

    /** T, the number of operands concatenated. */
    @JsonProperty("operands")
    public int getOperands() {
        return operands;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() != 3 || input.size(2) != operands) {
            throw new IllegalArgumentException("operand embeddings must be [N, e, T], got " + java.util.Arrays.toString(
                    input.shape()) + " for T = " + operands);
        }
        long n = input.size(0);
        long e = input.size(1);
        long t = input.size(2);
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, input.permute(0, 2, 1), 'c').reshape('c', n, t * e);
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        // dL/d[N, T*e] back to dL/d[N, e, T]
        long n = output.size(0);
        long e = output.size(1) / operands;
        INDArray grad = output.reshape('c', n, operands, e).permute(0, 2, 1); // a view, or a copy if not c-ordered
        return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, grad, 'c');
    }

    @Override
    public OperandConcat clone() {
        return new OperandConcat(operands);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        if (inputType instanceof InputType.InputTypeRecurrent r && r.getTimeSeriesLength() == operands) {
            return InputType.feedForward(r.getSize() * r.getTimeSeriesLength());
        }
        throw new IllegalArgumentException("operand embeddings need a recurrent input type with a fixed length, got "
                + inputType);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                           int minibatchSize) {
        return new Pair<>(null, currentMaskState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OperandConcat c && c.operands == operands;
    }

    @Override
    public int hashCode() {
        return 31 * OperandConcat.class.hashCode() + operands;
    }
}
