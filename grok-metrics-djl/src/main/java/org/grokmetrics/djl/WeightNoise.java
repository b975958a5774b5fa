package org.grokmetrics.djl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;

/**
 * Noisy-weight training (SPEC &sect;2, the "ours" condition of DeMoss et al.): each step's forward and
 * backward pass run at &theta; + &delta;&middot;N(0, 1), fresh noise per step, and the optimiser's update
 * is applied to the clean &theta;.
 *
 * <pre>{@code
 * WeightNoise noise = WeightNoise.of(1e-2, 42);
 * for (Batch batch : trainer.iterateDataset(train)) {
 *     noise.trainBatch(trainer, batch);     // instead of EasyTrain.trainBatch
 *     trainer.step();
 *     batch.close();
 * }
 * }</pre>
 * or {@link #fit(Trainer, int, Dataset, Dataset)} in place of {@code EasyTrain.fit}.
 *
 * <p>{@link #trainBatch} adds the noise to every trainable parameter in place, runs forward, loss and
 * backward in a gradient collector, puts the clean values back bit for bit (from a copy, not by
 * subtracting), and only then notifies the training listeners, so listeners (and
 * {@link ComplexityTrainingListener}) see the clean weights. The noise comes from a Java
 * {@link SplittableRandom} seeded here, independent of DJL's random generators: the same seed gives the
 * same noise on any engine and device. A &delta; of 0 makes it exactly {@code EasyTrain.trainBatch}.
 * Single-device trainers only. Not thread-safe: one instance per training loop.
 */
public final class WeightNoise {

    private final double delta;
    private final SplittableRandom random;

    private WeightNoise(double delta, long seed) {
        this.delta = delta;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Weight noise of standard deviation &delta; drawn from a generator seeded by {@code seed}.
     *
     * @param delta the noise scale &delta; (SPEC: 1e-2 for + and &times;, 1e-3 for &minus; and &divide;)
     * @param seed  seed of the noise sequence
     * @return the noise, one instance per training loop
     * @throws IllegalArgumentException if delta is negative or not finite
     */
    public static WeightNoise of(double delta, long seed) {
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("weight noise delta must be finite and >= 0, was " + delta);
        }
        return new WeightNoise(delta, seed);
    }

    /**
     * &delta;.
     *
     * @return the noise's standard deviation, finite and {@code >= 0}
     */
    public double delta() {
        return delta;
    }

    /**
     * One training batch with noisy weights: forward, loss and backward at &theta; + &delta;&middot;N(0,1),
     * then &theta; restored and the trainer's listeners notified. Call {@code trainer.step()} afterwards.
     *
     * @param trainer the single-device trainer (not null)
     * @param batch   the batch; the caller closes it (not null)
     * @throws IllegalArgumentException if the trainer uses several devices
     */
    public void trainBatch(Trainer trainer, Batch batch) {
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(batch, "batch");
        Device[] devices = trainer.getDevices();
        if (devices.length != 1) {
            throw new IllegalArgumentException("weight noise supports single-device trainers, this one has "
                    + devices.length + " devices");
        }
        List<NDArray[]> saved = delta == 0 ? List.of() : perturb(trainer);
        TrainingListener.BatchData data = new TrainingListener.BatchData(batch, new ConcurrentHashMap<>(),
                new ConcurrentHashMap<>());
        try (GradientCollector collector = trainer.newGradientCollector()) {
            Batch split = batch.split(devices, false)[0];
            NDList x = split.getData();
            NDList y = split.getLabels();
            NDList predictions = trainer.forward(x, y);
            NDArray loss = trainer.getLoss().evaluate(y, predictions);
            collector.backward(loss);
            Map<Device, NDList> labels = data.getLabels();
            labels.put(y.get(0).getDevice(), y);
            data.getPredictions().put(predictions.get(0).getDevice(), predictions);
        } finally {
            restore(saved);
        }
        trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, data));
    }

    /**
     * {@code EasyTrain.fit} with noisy-weight steps: epochs of {@link #trainBatch} + {@code step()}, then
     * validation (if given) and the epoch notification.
     *
     * @param trainer    the single-device trainer
     * @param epochs     the number of passes over {@code train}; none if {@code <= 0}
     * @param train      the training set
     * @param validation the validation set evaluated after each epoch, or null for none
     * @throws IOException              if a batch of a dataset cannot be read
     * @throws TranslateException       if a dataset's records cannot be translated to arrays
     * @throws IllegalArgumentException if the trainer uses several devices
     */
    public void fit(Trainer trainer, int epochs, Dataset train, Dataset validation)
            throws IOException, TranslateException {
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batch batch : trainer.iterateDataset(train)) {
                try (batch) {
                    trainBatch(trainer, batch);
                    trainer.step();
                }
            }
            if (validation != null) {
                ai.djl.training.EasyTrain.evaluateDataset(trainer, validation);
            }
            trainer.notifyListeners(listener -> listener.onEpoch(trainer));
        }
    }

    /** Adds noise to every trainable parameter; returns (parameter array, clean copy) pairs. */
    private List<NDArray[]> perturb(Trainer trainer) {
        List<NDArray[]> saved = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            Parameter param = p.getValue();
            if (!param.requiresGradient() || !param.isInitialized()) {
                continue;
            }
            NDArray w = param.getArray();
            NDArray clean = w.duplicate();
            float[] noise = new float[Math.toIntExact(w.size())];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (delta * random.nextGaussian());
            }
            NDArray n = w.getManager().create(noise, w.getShape());
            if (w.getDataType() != DataType.FLOAT32) {
                n = n.toType(w.getDataType(), false);
            }
            w.addi(n);
            n.close();
            saved.add(new NDArray[] {w, clean});
        }
        return saved;
    }

    private static void restore(List<NDArray[]> saved) {
        for (NDArray[] pair : saved) {
            pair[1].copyTo(pair[0]);
            pair[1].close();
        }
    }
}
