package org.grokmetrics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The list of suites that {@code grok bench} validates against is the list its switch runs: a suite added
 * to one and not the other was once refused as unknown although it existed.
 */
final class BenchSuitesTest {

    @Test
    void validatedSuitesAreExactlyTheSuitesTheCommandRuns() throws IOException {
        String source = Files.readString(Path.of("src/main/java/org/grokmetrics/examples/cli/BenchCommand.java"));
        Matcher m = Pattern.compile("^\\s+case \"([a-z0-9-]+)\" ->", Pattern.MULTILINE).matcher(source);
        List<String> cases = new ArrayList<>();
        while (m.find()) {
            cases.add(m.group(1));
        }
        assertEquals(BenchCommand.SUITES, cases);
    }
}
