package org.grokmetrics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.grokmetrics.examples.RunFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code grok reproduce demoss|mdl} through the CLI, a few steps each. */
class ReproduceTransformerTest {

    @TempDir
    Path dir;

    private static int run(StringWriter err, String... args) {
        CommandLine cl = GrokCli.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void mdlWritesRunFoldersAndTheStudyComparison() throws Exception {
        Path out = dir.resolve("mdl");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "reproduce", "mdl", "--tasks", "add", "--steps", "3", "--seeds", "1", "--out",
                out.toString(), "--no-progress"), err.toString());
        Path run = out.resolve("mod97-add-seed0");
        for (String f : List.of("config.json", "metrics.csv", "summary.json", "curves.png")) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        JsonNode cmp = new ObjectMapper().readTree(out.resolve("study_comparison.json").toFile());
        assertEquals(2363, cmp.get(0).get("study_step_99").asInt());
        assertTrue(Files.readString(out.resolve("table.md")).contains("mod97-add"));
        // the run repeats from its config.json
        Path again = dir.resolve("again");
        assertEquals(0, run(err, "reproduce", "--config", run.resolve("config.json").toString(), "--out", again.toString(),
                "--no-progress"), err.toString());
        assertEquals(RunFolders.withoutTimes(run.resolve("metrics.csv")), RunFolders.withoutTimes(again.resolve("metrics.csv")));
    }

    @Test
    void demossComparesConditions() throws Exception {
        Path out = dir.resolve("demoss");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "reproduce", "demoss", "--tasks", "add", "--conditions", "unregularized,ours", "--steps",
                "2", "--out", out.toString(), "--no-progress"), err.toString());
        assertTrue(Files.size(out.resolve("mod113-add-seed0-conditions.png")) > 0);
        JsonNode rows = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(2, rows.size());
        assertEquals("ours", rows.get(1).get("condition").asText());
        assertTrue(rows.get(1).get("complexity_final_bits").asDouble() > 0);
        assertTrue(rows.get(1).get("generalization_bound").asDouble() > 0);
        // the same chart from the folders, by hand
        Path png = dir.resolve("by-hand.png");
        assertEquals(0, run(err, "plot", "--compare", out.resolve("mod113-add-unregularized-seed0").toString(),
                out.resolve("mod113-add-ours-seed0").toString(), "--names", "unregularized,ours", "--out", png.toString()),
                err.toString());
        assertTrue(Files.size(png) > 0);
        assertEquals(2, run(err, "plot", "--compare", out.toString(), "--names", "a,b"), "a usage error");
    }

    @Test
    void badOptionsAreNamed() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "reproduce", "mdl", "--tasks", "mul", "--out", dir.toString()), "a usage error");
        assertTrue(err.toString().contains("mul"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "reproduce", "demoss", "--conditions", "dropout", "--out", dir.toString()));
        assertTrue(err.toString().contains("dropout"), err.toString());
        err = new StringWriter();
        assertEquals(1, run(err, "reproduce", "mdl", "--device", "gpu", "--steps", "1", "--tasks", "add", "--out",
                dir.toString()));
        assertTrue(err.toString().contains("--device gpu"), err.toString());
    }
}
