package org.grokmetrics.examples.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.grokmetrics.examples.tasks.Task;
import org.grokmetrics.examples.tasks.Tasks;

/**
 * Everything that determines a transformer run on DJL. Saved as {@code config.json} in the run folder;
 * {@code grok train-transformer --config FILE} repeats it (same seed, same metrics on the same machine,
 * device and thread count).
 *
 * @param condition       a label: unregularized, weight-decay, ours, or the study's name
 * @param task            mod or s5
 * @param p               modulus for mod tasks
 * @param op              add, sub, mul, div
 * @param trainFraction   fraction of all pairs used for training
 * @param seed            seed of the split, the initialisation, the batch order and the weight noise
 * @param steps           optimiser steps (mini-batches)
 * @param batchSize       examples per step
 * @param layers          transformer layers
 * @param causal          causal attention mask
 * @param finalNorm       LayerNorm after the last layer
 * @param learningRate    AdamW learning rate
 * @param beta2           AdamW &beta;2 (&beta;1 = 0.9)
 * @param weightDecay     AdamW decoupled weight decay
 * @param warmupSteps     linear learning-rate warm-up from 0 (0: constant)
 * @param spectralBeta    spectral-entropy loss &beta; (0: off)
 * @param weightNoise     weight-noise &delta; (0: off)
 * @param pointsPerDecade log-spaced measurements per factor of ten in steps (0: use measureEvery)
 * @param measureEvery    a measurement every N steps when pointsPerDecade is 0
 * @param complexity      measure the coarse-grained complexity (the expensive estimator)
 * @param epsilon         its distortion bound &epsilon; (nats)
 * @param device          cpu or gpu
 */
public record TransformerConfig(String condition, String task, int p, String op, double trainFraction, long seed,
                                int steps, int batchSize, int layers, boolean causal, boolean finalNorm,
                                double learningRate, double beta2, double weightDecay, int warmupSteps,
                                double spectralBeta, double weightNoise, int pointsPerDecade, int measureEvery,
                                boolean complexity, double epsilon, String device) {

    /** Model width (SPEC &sect;5). */
    public static final int D_MODEL = 128;
    /** Attention heads. */
    public static final int HEADS = 4;
    /** MLP width. */
    public static final int MLP = 512;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @throws IllegalArgumentException naming the field at fault
     */
    public TransformerConfig {
        java.util.Map<String, Double> reals = new java.util.LinkedHashMap<>();
        reals.put("trainFraction", trainFraction);
        reals.put("learningRate", learningRate);
        reals.put("beta2", beta2);
        reals.put("weightDecay", weightDecay);
        reals.put("spectralBeta", spectralBeta);
        reals.put("weightNoise", weightNoise);
        reals.put("epsilon", epsilon);
        reals.forEach((name, v) -> {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " must be finite, was " + v);
            }
        });
        if (condition == null || task == null || op == null || device == null) {
            throw new IllegalArgumentException("condition, task, op and device must be given");
        }
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("train fraction must be in (0, 1), was " + trainFraction);
        }
        if (steps < 1 || batchSize < 1 || layers < 1) {
            throw new IllegalArgumentException("steps, batch size and layers must be >= 1");
        }
        if (!(learningRate > 0) || !(beta2 > 0 && beta2 < 1)) {
            throw new IllegalArgumentException("need lr > 0 and 0 < beta2 < 1");
        }
        if (!(weightDecay >= 0) || !(spectralBeta >= 0) || !(weightNoise >= 0) || warmupSteps < 0) {
            throw new IllegalArgumentException("weight decay, beta, noise and warm-up must be >= 0");
        }
        if (pointsPerDecade < 0 || (pointsPerDecade == 0 && measureEvery < 1)) {
            throw new IllegalArgumentException("need points per decade >= 1, or measureEvery >= 1");
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, was " + epsilon);
        }
        if (!device.equals("cpu") && !device.equals("gpu")) {
            throw new IllegalArgumentException("--device must be cpu or gpu, was '" + device + "'");
        }
        Tasks.of(task, p, op, 5, 5);
    }

    /** The task. */
    public Task buildTask() {
        return Tasks.of(task, p, op, 5, 5);
    }

    /** The same run with other steps, seed and device. */
    public TransformerConfig with(int newSteps, long newSeed, String newDevice) {
        return new TransformerConfig(condition, task, p, op, trainFraction, newSeed, newSteps, batchSize, layers, causal,
                finalNorm, learningRate, beta2, weightDecay, warmupSteps, spectralBeta, weightNoise, pointsPerDecade,
                measureEvery, complexity, epsilon, newDevice);
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(this));
    }

    /**
     * Reads a config.json field by field ({@link org.grokmetrics.examples.train.ConfigFiles}).
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException (one line naming the file and the field) if it is not a valid configuration
     */
    public static TransformerConfig read(Path file) throws IOException {
        return org.grokmetrics.examples.train.ConfigFiles.read(file, TransformerConfig.class);
    }
}
