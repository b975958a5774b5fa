package org.grokmetrics.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

/**
 * What a DJL {@link Loss} says about a model's outputs, derived once per loss: the unit of its values
 * ({@code "nats"} for log-losses, else the loss class's name: its own units) and whether accuracy is defined.
 * Accuracy is defined only for {@link SoftmaxCrossEntropyLoss} (classification): the arg-max of the first output
 * over the loss's class axis (default the last; read from the loss) agrees with the first label, given as class
 * indices (the output's shape without the class axis, optionally with a trailing 1) or one-hot (the output's
 * shape), counted per position (per example, per time step of a sequence). NaN anywhere in an output makes the
 * loss and the accuracy NaN. Immutable.
 */
final class DjlLoss {

    private final Loss loss;
    private final Integer classAxis;
    private final String unit;

    private DjlLoss(Loss loss) {
        this.loss = loss;
        this.classAxis = loss instanceof SoftmaxCrossEntropyLoss sce ? classAxis(sce) : null;
        this.unit = loss instanceof SoftmaxCrossEntropyLoss || loss instanceof SigmoidBinaryCrossEntropyLoss
                ? "nats" : loss.getClass().getSimpleName();
    }

    static DjlLoss of(Loss loss) {
        return new DjlLoss(java.util.Objects.requireNonNull(loss, "loss"));
    }

    Loss loss() {
        return loss;
    }

    String unit() {
        return unit;
    }

    boolean hasAccuracy() {
        return classAxis != null;
    }

    /** The class axis a softmax cross-entropy is configured with (DJL keeps it private; -1 is its default). */
    private static Integer classAxis(SoftmaxCrossEntropyLoss sce) {
        try {
            java.lang.reflect.Field f = SoftmaxCrossEntropyLoss.class.getDeclaredField("classAxis");
            f.setAccessible(true);
            return f.getInt(sce);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // unknown: no accuracy rather than a guess
        }
    }

    /**
     * {correct, counted} in one batch, or null if the labels do not have one of the layouts above (accuracy is then
     * NaN, never a guess).
     */
    long[] count(NDArray scores, NDArray labels) {
        Shape s = scores.getShape();
        int rank = s.dimension();
        if (classAxis == null || labels == null || rank < 2) {
            return null;
        }
        int axis = Math.floorMod(classAxis, rank);
        long positions = s.size() / s.get(axis);
        NDArray predicted = scores.argMax(axis).toType(DataType.INT64, false);
        NDArray truth;
        Shape l = labels.getShape();
        if (l.equals(s)) {
            truth = labels.argMax(axis).toType(DataType.INT64, false);
        } else if (l.size() == positions) {
            truth = labels.reshape(predicted.getShape()).toType(DataType.INT64, false);
        } else {
            return null;
        }
        return new long[] {predicted.eq(truth).countNonzero().getLong(), positions};
    }
}
