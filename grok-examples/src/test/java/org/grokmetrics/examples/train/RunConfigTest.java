package org.grokmetrics.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named builder sets each component, round-trips through config.json, and validates by name. */
final class RunConfigTest {

    @TempDir
    Path dir;

    @Test
    void theDemoIsTheBuildersStartingPoint() {
        RunConfig demo = RunConfig.demo();
        assertEquals(new RunConfig("mod", 31, "add", 4, 5, 0.8, 0, 6000, 3e-3, 0.5, 0, 0, 32, 100, 12, 64, 1.0), demo);
    }

    @Test
    void everySetterReachesItsComponentAndToBuilderRoundTrips() throws Exception {
        RunConfig c = RunConfig.builder().task("perm").p(7).op("mul").k(5).bits(6).trainFraction(0.3).seed(42)
                .steps(123).learningRate(2e-4).weightDecay(0.1).spectralBeta(0.05).weightNoise(0.01).embed(16)
                .hidden(48).pointsPerDecade(7).lmnPoints(9).epsilon(0.25).build();
        assertEquals(new RunConfig("perm", 7, "mul", 5, 6, 0.3, 42, 123, 2e-4, 0.1, 0.05, 0.01, 16, 48, 7, 9, 0.25), c);
        assertEquals(c, c.toBuilder().build());
        assertEquals(77, c.withSteps(77).steps());
        Path f = dir.resolve("config.json");
        c.write(f);
        assertEquals(c, RunConfig.read(f));
        assertTrue(Files.readString(f).contains("\"learningRate\""), "config.json keeps the component names");
    }

    @Test
    void badSettingsNameTheOption() {
        var e = assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().trainFraction(1.5).build());
        assertTrue(e.getMessage().startsWith("--train-fraction"), e.getMessage());
        var lmn = assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().lmnPoints(1).build());
        assertTrue(lmn.getMessage().startsWith("--lmn-points"), lmn.getMessage());
    }
}
