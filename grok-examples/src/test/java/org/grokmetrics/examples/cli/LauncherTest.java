package org.grokmetrics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's {@code ./grok} under {@code set -euo pipefail}: on a fresh clone (no jar yet) its jar lookup
 * must not end the script before the build (it once did, silently: {@code ./grok demo} printed nothing).
 */
final class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "grok");

    private static String findJar(Path here) throws Exception {
        String script = "set -euo pipefail\n"
                + "eval \"$(sed -n '/^find_jar()/,/^}/p' '" + LAUNCHER.toAbsolutePath() + "')\"\n"
                + "here='" + here + "'\nfind_jar\necho \"found:$jar\"\n";
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aFreshCloneWithoutAJarGoesOnToTheBuild(@TempDir Path here) throws Exception {
        assertTrue(Files.readString(LAUNCHER).contains("find_jar()"), "the launcher's jar lookup moved");
        assertEquals("found:", findJar(here));
    }

    @Test
    void theCliJarIsFoundAndTheOtherJarsAreNot(@TempDir Path here) throws Exception {
        Path target = Files.createDirectories(here.resolve("grok-examples/target"));
        for (String f : new String[] {"grok-examples-1.2.3.jar", "grok-examples-1.2.3-sources.jar",
            "grok-examples-1.2.3-javadoc.jar", "grok-examples-1.2.3-tests.jar"}) {
            Files.writeString(target.resolve(f), "");
        }
        assertEquals("found:" + target.resolve("grok-examples-1.2.3.jar"), findJar(here));
    }
}
