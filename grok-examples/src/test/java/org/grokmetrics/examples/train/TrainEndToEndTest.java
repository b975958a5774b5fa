package org.grokmetrics.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.grokmetrics.examples.cli.GrokCli;
import org.grokmetrics.examples.RunFolders;
import org.grokmetrics.monitor.TfEventsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code grok train} for a few hundred steps, through the CLI, and its output folder. */
class TrainEndToEndTest {

    @TempDir
    Path dir;

    static int run(StringWriter err, String... args) {
        CommandLine cl = GrokCli.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void trainWritesAFolderThatRepeatsExactly() throws Exception {
        Path out = dir.resolve("run");
        String[] args = {"train", "--task", "mod", "--p", "7", "--op", "add", "--train-fraction", "0.6", "--steps", "300",
            "--lr", "3e-3", "--wd", "0.5", "--hidden", "32", "--embed", "8", "--points-per-decade", "4", "--lmn-points",
            "12", "--out", out.toString(), "--no-progress"};
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, args), err.toString());
        for (String f : List.of("config.json", "metrics.csv", "metrics.jsonl", "summary.json", "rate_distortion.csv",
                "rate_distortion.json", "curves.png", "lmn_vs_test_loss.png", "rate_distortion.png", "loss_trace.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(csv.get(0).startsWith("step,epoch,elapsed_ms,train_loss"), csv.get(0));
        assertTrue(csv.size() >= 10, "log-spaced measurements: " + csv.size());
        assertTrue(csv.get(csv.size() - 1).startsWith("300,"), "the last step is measured");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(300, summary.get("final_step").asInt());
        assertTrue(summary.get("measures").has("coarse-grained") && summary.get("measures").has("lmn"));
        assertTrue(summary.get("final_train_accuracy").asDouble() > 0.9, "it fits the training set");
        assertTrue(summary.get("phases").get("memorized_step").isNumber(), summary.toString());
        assertTrue(summary.get("loss_spikes").isArray(), summary.toString());
        assertTrue(summary.get("lmn_mean_off_diagonal_connectivity").get("init").isNumber(), summary.toString());
        List<String> trace = Files.readAllLines(out.resolve("loss_trace.csv"));
        assertEquals("step,train_loss", trace.get(0));
        assertEquals(1 + 1 + 300 / 10, trace.size(), "step 1 and every 10th step");

        // rate_distortion.csv is a plain table (the compressor's choice is in rate_distortion.json)
        List<String> rd = Files.readAllLines(out.resolve("rate_distortion.csv"));
        assertEquals("bits,tau,estimated_bits,loss,distortion,within_bound", rd.get(0));
        for (String row : rd.subList(1, rd.size())) {
            assertEquals(6, row.split(",", -1).length, row);
            Integer.parseInt(row.split(",")[0]);
        }
        JsonNode chosen = new ObjectMapper().readTree(out.resolve("rate_distortion.json").toFile());
        List<String> header = List.of(csv.get(0).split(","));
        String[] last = csv.get(csv.size() - 1).split(",", -1);
        assertEquals(Double.parseDouble(last[header.indexOf("coarse-grained")]), chosen.get("chosen_bits").asDouble(),
                "the chosen description is the final measurement's");

        // the TensorBoard event file: one event per metrics.csv row, each with the row's step and train loss
        Path events;
        try (var files = Files.list(out)) {
            events = files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                    .orElseThrow();
        }
        List<TfEventsReader.Event> ev = TfEventsReader.events(events);
        assertEquals("brain.Event:2", ev.get(0).fileVersion());
        assertEquals(csv.size() - 1, ev.size() - 1);
        for (int i = 1; i < csv.size(); i++) {
            String[] row = csv.get(i).split(",", -1);
            assertEquals(Long.parseLong(row[0]), ev.get(i).step());
            assertEquals((float) Double.parseDouble(row[header.indexOf("train_loss")]),
                    ev.get(i).scalars().get("loss/train"), "step " + row[0]);
            assertEquals((float) Double.parseDouble(row[header.indexOf("coarse-grained")]),
                    ev.get(i).scalars().get("coarse-grained"), "step " + row[0]);
        }

        // same config.json -> same metrics (timings aside)
        Path again = dir.resolve("again");
        assertEquals(0, run(err, "train", "--config", out.resolve("config.json").toString(), "--out", again.toString(),
                "--no-progress"), err.toString());
        List<String> a = RunFolders.withoutTimes(Files.readAllLines(out.resolve("metrics.csv")));
        List<String> b = RunFolders.withoutTimes(Files.readAllLines(again.resolve("metrics.csv")));
        assertEquals(a, b);

        // plot redraws
        Files.delete(out.resolve("curves.png"));
        assertEquals(0, run(err, "plot", out.toString()));
        assertTrue(Files.exists(out.resolve("curves.png")));
    }

    @Test
    void theEarlierModelAndDoublePrecisionTrainToo() throws Exception {
        Path out = dir.resolve("old64");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "train", "--task", "mod", "--p", "5", "--steps", "40", "--hidden", "16", "--embed", "4",
                "--points-per-decade", "2", "--lmn-points", "8", "--model", "one-hot-linear", "--precision", "float64",
                "--out", out.toString(), "--no-progress"), err.toString());
        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("one-hot-linear", config.get("model").asText());
        assertEquals("float64", config.get("precision").asText());
        assertTrue(Files.readAllLines(out.resolve("metrics.csv")).size() > 3);
    }

    @Test
    void badOptionsGetClearMessages() {
        StringWriter err = new StringWriter();
        // option values out of range are usage errors: exit 2 (README's table)
        assertEquals(2, run(err, "train", "--task", "mod", "--p", "30", "--out", dir.toString()));
        assertTrue(err.toString().contains("grok train: modulus p must be a prime"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "train", "--op", "pow", "--out", dir.toString()));
        assertTrue(err.toString().contains("unknown operation 'pow'"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "train", "--train-fraction", "1.5", "--out", dir.toString()));
        assertTrue(err.toString().contains("--train-fraction (trainFraction) must be a finite number in (0, 1), was 1.5"),
                err.toString());
        err = new StringWriter();
        assertEquals(1, run(err, "plot", dir.resolve("nowhere").toString()));
        assertTrue(err.toString().contains("no such file"), err.toString());
    }
}
