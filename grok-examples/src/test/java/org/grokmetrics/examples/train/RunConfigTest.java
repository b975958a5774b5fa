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
        assertEquals(new RunConfig("mod", 31, "add", 4, 5, 0.8, 0, 6000, 3e-3, 0.5, 0, 0, 32, 100, 12, 64, 1.0, "paper",
                "float32"), demo);
    }

    @Test
    void everySetterReachesItsComponentAndToBuilderRoundTrips() throws Exception {
        RunConfig c = RunConfig.builder().task("perm").p(7).op("mul").k(5).bits(6).trainFraction(0.3).seed(42)
                .steps(123).learningRate(2e-4).weightDecay(0.1).spectralBeta(0.05).weightNoise(0.01).embed(16)
                .hidden(48).pointsPerDecade(7).lmnPoints(9).epsilon(0.25).model("one-hot-linear").precision("float64").build();
        assertEquals(new RunConfig("perm", 7, "mul", 5, 6, 0.3, 42, 123, 2e-4, 0.1, 0.05, 0.01, 16, 48, 7, 9, 0.25,
                "one-hot-linear", "float64"), c);
        assertEquals(c, c.toBuilder().build());
        assertEquals(77, c.withSteps(77).steps());
        Path f = dir.resolve("config.json");
        c.write(f);
        assertEquals(c, RunConfig.read(f));
        assertTrue(Files.readString(f).contains("\"learningRate\""), "config.json keeps the component names");
    }

    @Test
    void aConfigWrittenBeforeTheModelFieldRepeatsTheOneHotLinearRunInFloat32() throws Exception {
        Path f = dir.resolve("old.json");
        Files.writeString(f, "{\"task\":\"mod\",\"p\":31,\"op\":\"add\",\"k\":4,\"bits\":5,\"trainFraction\":0.8,"
                + "\"seed\":0,\"steps\":6000,\"learningRate\":0.003,\"weightDecay\":0.5,\"spectralBeta\":0.0,"
                + "\"weightNoise\":0.0,\"embed\":32,\"hidden\":100,\"pointsPerDecade\":12,\"lmnPoints\":64,"
                + "\"epsilon\":1.0}");
        RunConfig c = RunConfig.read(f);
        assertEquals("one-hot-linear", c.model());
        assertEquals("float32", c.precision());
        assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().model("cnn").build());
        assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().precision("float16").build());
    }

    @Test
    void badSettingsNameTheOption() {
        var e = assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().trainFraction(1.5).build());
        assertTrue(e.getMessage().startsWith("--train-fraction"), e.getMessage());
        var lmn = assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().lmnPoints(1).build());
        assertTrue(lmn.getMessage().startsWith("--lmn-points"), lmn.getMessage());
    }
}
