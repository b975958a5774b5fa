package org.grokmetrics.examples.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.grokmetrics.examples.tasks.Task;
import org.grokmetrics.examples.tasks.Tasks;

/**
 * Everything that determines a training run. Saved as {@code config.json} in the run folder; the same
 * file given back ({@code grok train --config FILE}) repeats the run (same seed, same metrics on the same
 * machine and thread count).
 *
 * @param task            task name: mod, perm/s4/s5, xor
 * @param p               modulus for mod tasks
 * @param op              operation for mod tasks: add, sub, mul, div, squares
 * @param k               group size for permutation tasks
 * @param bits            width for xor
 * @param trainFraction   fraction of all pairs used for training, in (0, 1)
 * @param seed            seed of the split, the initialisation and the weight noise
 * @param steps           full-batch optimiser steps
 * @param learningRate    Adam learning rate
 * @param weightDecay     decoupled (AdamW) weight decay
 * @param spectralBeta    spectral-entropy penalty &beta; on the mean entropy (0: off)
 * @param weightNoise     weight-noise &delta; (0: off)
 * @param embed           embedding width per operand
 * @param hidden          hidden width
 * @param pointsPerDecade measurements per factor of ten in steps (log-spaced)
 * @param lmnPoints       sample points for the linear mapping number (0: LMN off)
 * @param epsilon         distortion bound &epsilon; (nats) of the coarse-grained complexity
 */
public record RunConfig(String task, int p, String op, int k, int bits, double trainFraction, long seed, int steps,
                        double learningRate, double weightDecay, double spectralBeta, double weightNoise, int embed,
                        int hidden, int pointsPerDecade, int lmnPoints, double epsilon) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @throws IllegalArgumentException naming the option at fault
     */
    public RunConfig {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("--train-fraction must be in (0, 1), was " + trainFraction);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, was " + steps);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--lr must be > 0, was " + learningRate);
        }
        if (!(weightDecay >= 0) || !(spectralBeta >= 0) || !(weightNoise >= 0)) {
            throw new IllegalArgumentException("--wd, --beta and --noise must be >= 0");
        }
        if (embed < 1 || hidden < 1) {
            throw new IllegalArgumentException("--embed and --hidden must be >= 1");
        }
        if (pointsPerDecade < 1) {
            throw new IllegalArgumentException("--points-per-decade must be >= 1, was " + pointsPerDecade);
        }
        if (lmnPoints == 1 || lmnPoints < 0) {
            throw new IllegalArgumentException("--lmn-points must be 0 (off) or >= 2, was " + lmnPoints);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("--epsilon must be > 0, was " + epsilon);
        }
        buildTask(task, p, op, k, bits);
    }

    private static Task buildTask(String task, int p, String op, int k, int bits) {
        return Tasks.of(task, p, op, k, bits);
    }

    /** The task this configuration names. */
    public Task buildTask() {
        return buildTask(task, p, op, k, bits);
    }

    /** The flagship demo: the LMN paper's MLP groks a+b mod 31 (80% train, AdamW lr 3e-3, wd 0.5). */
    public static RunConfig demo() {
        return new RunConfig("mod", 31, "add", 4, 5, 0.8, 0, 6000, 3e-3, 0.5, 0, 0, 32, 100, 12, 64, 1.0);
    }

    /** The same run with another number of steps. */
    public RunConfig withSteps(int newSteps) {
        return new RunConfig(task, p, op, k, bits, trainFraction, seed, newSteps, learningRate, weightDecay, spectralBeta,
                weightNoise, embed, hidden, pointsPerDecade, lmnPoints, epsilon);
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(this));
    }

    /**
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it is not a valid configuration
     */
    public static RunConfig read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), RunConfig.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + ": not a valid run configuration: " + e.getOriginalMessage(), e);
        }
    }
}
