package org.grokmetrics.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.mdl.PruningMdlEstimator;
import org.grokmetrics.monitor.ComplexityRecord;
import org.grokmetrics.spectral.SpectralEntropyEstimator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every training listener (DL4J's, DJL's) promises, run by one subclass per adapter: training is
 * bit-identical with and without the listener; records come at the schedule's steps with the shared
 * columns; a failing estimator is NaN with a reason while training and the other estimators go on.
 *
 * <p>A subclass trains one fixed, deterministic workload with {@link #train(Spec)}, the listener built
 * from the spec with the adapter's builder (or no listener for a null spec), and says which steps a
 * listener measuring every {@link #every()} steps records.
 */
public abstract class ListenerContract {

    @TempDir
    protected Path dir;

    /**
     * The listener a test asks for.
     *
     * @param estimators the estimators, or null for the adapter's defaults (with LMN)
     * @param csv        a CSV sink's path, or null for none
     */
    public record Spec(List<ComplexityEstimator> estimators, Path csv) {
    }

    /**
     * What a training run left.
     *
     * @param parameters the final parameters, in the model's order
     * @param history    the listener's records (empty without a listener)
     */
    public record Run(List<float[]> parameters, List<ComplexityRecord> history) {
    }

    /**
     * Trains the adapter's workload, with the listener {@code spec} describes (train and validation data, LMN
     * where the defaults are asked for, a measurement every {@link #every()} steps), or without one for null;
     * closes the listener. Must not let anything escape from the listener.
     */
    protected abstract Run train(Spec spec) throws Exception;

    /** The steps between measurements the subclass's listener is built with. */
    protected abstract int every();

    /** The steps at which a listener measuring every {@link #every()} steps records in {@link #train}. */
    protected abstract List<Long> expectedSteps();

    /** The estimators the adapter runs by default, with LMN and train data. */
    protected List<String> defaultEstimators() {
        return List.of("coarse-grained", "spectral-entropy", "pruning-mdl", "lmn");
    }

    private List<float[]> plain;

    private List<float[]> plain() throws Exception {
        if (plain == null) {
            plain = train(null).parameters();
        }
        return plain;
    }

    /** Asserts that two runs' final parameters are equal bit for bit. */
    public static void assertBitIdentical(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size(), "parameter count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "bit-identical parameters (tensor " + i + ")");
        }
    }

    /** The steps of the records. */
    public static List<Long> steps(List<ComplexityRecord> history) {
        return history.stream().map(ComplexityRecord::step).toList();
    }

    private Run watched(Spec spec) {
        Run[] run = new Run[1];
        TestEstimators.assertNothingEscapes("training with the listener", () -> run[0] = train(spec));
        return run[0];
    }

    @Test
    void attachingTheListenerChangesNothing() throws Exception {
        Run watched = watched(new Spec(null, null));
        assertBitIdentical(plain(), watched.parameters());
        assertEquals(expectedSteps(), steps(watched.history()));
        for (ComplexityRecord r : watched.history()) {
            for (String name : defaultEstimators()) {
                ComplexityEstimate e = r.estimate(name).orElseThrow();
                assertTrue(e.succeeded() && Double.isFinite(e.value()), name + ": " + e.failure());
            }
            assertTrue(Double.isFinite(r.trainLoss()) && r.trainLoss() > 0, "train loss " + r.trainLoss());
            assertTrue(r.trainAccuracy() >= 0 && r.trainAccuracy() <= 1, "train accuracy " + r.trainAccuracy());
            assertTrue(r.validationAccuracy() >= 0 && r.validationAccuracy() <= 1);
        }
    }

    @Test
    void recordsAtTheScheduleWithTheSharedColumns() throws Exception {
        Path csv = dir.resolve("run/metrics.csv");
        Run watched = watched(new Spec(null, csv));
        assertEquals(expectedSteps(), steps(watched.history()));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(expectedSteps().size() + 1, lines.size(), "a header and one line per record");
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(List.of("step", "epoch", "elapsed_ms", "train_loss", "train_accuracy", "validation_loss",
                "validation_accuracy"), header.subList(0, 7));
        for (String name : defaultEstimators()) {
            for (String col : List.of(name, name + ".seconds", name + ".error")) {
                assertTrue(header.contains(col), col + " in " + header);
            }
        }
        for (String col : List.of("coarse-grained.naive_bits", "spectral-entropy.effective_rank", "lmn.l2_norm")) {
            assertTrue(header.contains(col), col + " in " + header);
        }
        for (int i = 1; i < lines.size(); i++) {
            assertEquals(expectedSteps().get(i - 1).toString(), lines.get(i).split(",")[0]);
        }
    }

    @Test
    void aFailingEstimatorIsNaNWithAReasonWhileTrainingGoesOn() throws Exception {
        Run watched = watched(new Spec(List.of(SpectralEntropyEstimator.of(),
                TestEstimators.throwing("broken", "boom"), PruningMdlEstimator.of()), null));
        assertBitIdentical(plain(), watched.parameters());
        assertEquals(expectedSteps(), steps(watched.history()));
        for (ComplexityRecord r : watched.history()) {
            ComplexityEstimate broken = r.estimate("broken").orElseThrow();
            assertTrue(Double.isNaN(broken.value()));
            assertEquals("IllegalStateException: boom", broken.failure().orElseThrow());
            assertTrue(Double.isFinite(r.value("spectral-entropy")) && Double.isFinite(r.value("pruning-mdl")),
                    "the others still have values at step " + r.step());
        }
    }
}
