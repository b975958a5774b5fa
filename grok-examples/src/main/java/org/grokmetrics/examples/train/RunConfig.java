package org.grokmetrics.examples.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.grokmetrics.examples.models.MlpModel;
import org.grokmetrics.examples.tasks.Task;
import org.grokmetrics.examples.tasks.Tasks;
import org.nd4j.linalg.api.buffer.DataType;

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
 * @param model           the MLP's parameterisation, an {@link MlpModel} id: {@code paper} (the LMN paper's) or
 *                        {@code one-hot-linear} (the earlier one; a config.json without this field was made with
 *                        it, so reading such a file repeats that run)
 * @param precision       {@code float32} or {@code float64}: the network's data type
 */
public record RunConfig(String task, int p, String op, int k, int bits, double trainFraction, long seed, int steps,
                        double learningRate, double weightDecay, double spectralBeta, double weightNoise, int embed,
                        int hidden, int pointsPerDecade, int lmnPoints, double epsilon, String model,
                        String precision) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The valid values of each numeric setting, as {@code --help} shows them (see {@link Range}). */
    public static final String TRAIN_FRACTION = "(0, 1)";
    public static final String STEPS = "[1, 100000000]";
    public static final String LEARNING_RATE = "(0, 10]";
    public static final String WEIGHT_DECAY = "[0, 1000]";
    public static final String SPECTRAL_BETA = "[0, 1000]";
    public static final String WEIGHT_NOISE = "[0, 100]";
    public static final String WIDTH = "[1, 4096]";
    public static final String POINTS_PER_DECADE = "[1, 1000]";
    /** LMN points: 0 (off) or this. */
    public static final String LMN_POINTS = "[2, 4096]";
    public static final String EPSILON = "(0, 1000000]";

    /**
     * @throws IllegalArgumentException naming the option and the config.json field at fault, and the range
     */
    public RunConfig {
        Range.of(TRAIN_FRACTION).check("--train-fraction (trainFraction)", trainFraction);
        Range.of(STEPS).check("--steps (steps)", (long) steps);
        Range.of(LEARNING_RATE).check("--lr (learningRate)", learningRate);
        Range.of(WEIGHT_DECAY).check("--wd (weightDecay)", weightDecay);
        Range.of(SPECTRAL_BETA).check("--beta (spectralBeta)", spectralBeta);
        Range.of(WEIGHT_NOISE).check("--noise (weightNoise)", weightNoise);
        Range.of(WIDTH).check("--embed (embed)", (long) embed);
        Range.of(WIDTH).check("--hidden (hidden)", (long) hidden);
        Range.of(POINTS_PER_DECADE).check("--points-per-decade (pointsPerDecade)", (long) pointsPerDecade);
        if (lmnPoints != 0 && !Range.of(LMN_POINTS).contains(lmnPoints)) {
            throw new IllegalArgumentException("--lmn-points (lmnPoints) must be 0 (off) or an integer in " + LMN_POINTS
                    + ", was " + lmnPoints);
        }
        Range.of(EPSILON).check("--epsilon (epsilon)", epsilon);
        if (task == null || op == null) {
            throw new IllegalArgumentException(task == null ? "--task (task) is missing" : "--op (op) is missing");
        }
        if (model == null) {
            model = MlpModel.ONE_HOT_LINEAR.id();
        }
        MlpModel.of(model);
        if (precision == null) {
            precision = "float32";
        }
        dataType(precision);
        buildTask(task, p, op, k, bits);
    }

    private static DataType dataType(String precision) {
        return switch (precision) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("--precision must be float32 or float64, was '" + precision + "'");
        };
    }

    /** The network's data type. */
    public DataType dataType() {
        return dataType(precision);
    }

    /** The MLP's parameterisation. */
    public MlpModel mlpModel() {
        return MlpModel.of(model);
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
        return builder().build();
    }

    /** The same run with another number of steps. */
    public RunConfig withSteps(int newSteps) {
        return toBuilder().steps(newSteps).build();
    }

    /** A builder starting from the {@link #demo()} settings; {@link Builder#build()} validates. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.task = task;
        b.p = p;
        b.op = op;
        b.k = k;
        b.bits = bits;
        b.trainFraction = trainFraction;
        b.seed = seed;
        b.steps = steps;
        b.learningRate = learningRate;
        b.weightDecay = weightDecay;
        b.spectralBeta = spectralBeta;
        b.weightNoise = weightNoise;
        b.embed = embed;
        b.hidden = hidden;
        b.pointsPerDecade = pointsPerDecade;
        b.lmnPoints = lmnPoints;
        b.epsilon = epsilon;
        b.model = model;
        b.precision = precision;
        return b;
    }

    /** Named settings instead of 17 positional ones; each setter's meaning is the component's. */
    public static final class Builder {
        private String task = "mod";
        private int p = 31;
        private String op = "add";
        private int k = 4;
        private int bits = 5;
        private double trainFraction = 0.8;
        private long seed;
        private int steps = 6000;
        private double learningRate = 3e-3;
        private double weightDecay = 0.5;
        private double spectralBeta;
        private double weightNoise;
        private int embed = 32;
        private int hidden = 100;
        private int pointsPerDecade = 12;
        private int lmnPoints = 64;
        private double epsilon = 1.0;
        private String model = MlpModel.PAPER.id();
        private String precision = "float32";

        private Builder() {
        }

        public Builder task(String task) {
            this.task = task;
            return this;
        }

        /** A modular task: {@code task("mod")}, modulus and operation. */
        public Builder mod(int modulus, String operation) {
            this.task = "mod";
            this.p = modulus;
            this.op = operation;
            return this;
        }

        public Builder p(int p) {
            this.p = p;
            return this;
        }

        public Builder op(String op) {
            this.op = op;
            return this;
        }

        public Builder k(int k) {
            this.k = k;
            return this;
        }

        public Builder bits(int bits) {
            this.bits = bits;
            return this;
        }

        public Builder trainFraction(double trainFraction) {
            this.trainFraction = trainFraction;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder spectralBeta(double spectralBeta) {
            this.spectralBeta = spectralBeta;
            return this;
        }

        public Builder weightNoise(double weightNoise) {
            this.weightNoise = weightNoise;
            return this;
        }

        public Builder embed(int embed) {
            this.embed = embed;
            return this;
        }

        public Builder hidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        public Builder pointsPerDecade(int pointsPerDecade) {
            this.pointsPerDecade = pointsPerDecade;
            return this;
        }

        public Builder lmnPoints(int lmnPoints) {
            this.lmnPoints = lmnPoints;
            return this;
        }

        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** {@code paper} or {@code one-hot-linear} ({@link MlpModel}). */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** {@code float32} or {@code float64}. */
        public Builder precision(String precision) {
            this.precision = precision;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the option at fault
         */
        public RunConfig build() {
            return new RunConfig(task, p, op, k, bits, trainFraction, seed, steps, learningRate, weightDecay,
                    spectralBeta, weightNoise, embed, hidden, pointsPerDecade, lmnPoints, epsilon, model, precision);
        }
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(this));
    }

    /**
     * Reads a config.json field by field ({@link ConfigFiles}): every field present, of its type (integers
     * integral), none unknown, each in its range.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException (one line naming the file and the field) if it is not a valid configuration
     */
    public static RunConfig read(Path file) throws IOException {
        return ConfigFiles.read(file, RunConfig.class, java.util.Set.of("model", "precision"));
    }
}
