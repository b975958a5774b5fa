package org.grokmetrics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;


/**
 * Every command but inspect, driven through picocli over a table of bad options, config files and run
 * folders: each gives exactly one line on stderr, "grok COMMAND: ...", naming the problem, no stack trace,
 * no control character, and the exit code of README's table (2 a wrong command line, 1 a failed command).
 * Nothing trains: every case fails before any work.
 */
final class CliErrorsTest {

    @TempDir
    static Path dir;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static Path file(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    /** A valid config.json with one field replaced (or removed, with null). */
    private static String config(String field, String value) {
        String valid = "{\"task\":\"mod\",\"p\":31,\"op\":\"add\",\"k\":4,\"bits\":5,\"trainFraction\":0.8,\"seed\":0,"
                + "\"steps\":100,\"learningRate\":0.001,\"weightDecay\":0.2,\"spectralBeta\":0,\"weightNoise\":0,"
                + "\"embed\":32,\"hidden\":100,\"pointsPerDecade\":12,\"lmnPoints\":64,\"epsilon\":1.0}";
        if (field == null) {
            return valid;
        }
        String replaced = valid.replaceFirst("\"" + field + "\":[^,}]*", value == null ? "" : "\"" + field + "\":" + value)
                .replace(",,", ",").replace("{,", "{").replace(",}", "}");
        return replaced;
    }

    @BeforeAll
    static void files() throws Exception {
        file("valid.json", config(null, null));
        file("steps-2.7.json", config("steps", "2.7"));
        file("steps-2.0.json", config("steps", "2.0"));
        file("steps-huge.json", config("steps", "1e10"));
        file("steps-0.json", config("steps", "0"));
        file("lr-string.json", config("learningRate", "\"0.1\""));
        file("lr-inf.json", config("learningRate", "1e400"));
        file("task-null.json", config("task", "null"));
        file("no-steps.json", config("steps", null));
        file("unknown.json", config(null, null).replace("}", ",\"stpes\":5}"));
        file("array.json", "[1, 2]");
        file("empty.json", "");
        file("broken.json", "{\"task\": ");
        file("run-empty/metrics.jsonl", "");
        file("run-blank/metrics.jsonl", "\n\n  \n");
        file("run-string/metrics.jsonl", "{\"step\":1,\"train_accuracy\":\"high\"}\n");
        file("run-badstep/metrics.jsonl", "{\"step\":1.5}\n");
        file("run-notjson/metrics.jsonl", "{\"step\":1}\nnot json\n");
        file("run-estimate/metrics.jsonl", "{\"step\":1,\"estimates\":{\"lmn\":{\"value\":\"NaN\"}}}\n");
        Files.createDirectories(dir.resolve("run-dir/metrics.jsonl"));
        file("run-ok/metrics.jsonl", "{\"step\":1,\"train_accuracy\":0.5,\"validation_accuracy\":0.1,\"validation_loss\":2.0,"
                + "\"estimates\":{\"lmn\":{\"value\":3.5,\"details\":{\"l2_norm\":10}}}}\n"
                + "{\"step\":10,\"train_accuracy\":1.0,\"validation_accuracy\":null,\"validation_loss\":1.0}\n");
        Files.createDirectories(dir.resolve("out-folder.png"));
    }

    static Stream<Arguments> cases() {
        String d = dir.toString();
        List<Arguments> c = new ArrayList<>();
        // train: options (exit 2)
        c.add(Arguments.of(2, "--lr (learningRate) must be a finite number in (0, 10], was Infinity",
                new String[] {"train", "--lr", "Infinity"}));
        c.add(Arguments.of(2, "--lr (learningRate) must be a finite number in (0, 10], was NaN",
                new String[] {"train", "--lr", "NaN"}));
        c.add(Arguments.of(2, "was Infinity", new String[] {"train", "--lr", "1e400"}));
        c.add(Arguments.of(2, "--lr (learningRate) must be a finite number in (0, 10], was -1",
                new String[] {"train", "--lr", "-1"}));
        c.add(Arguments.of(2, "'2.7' is not an int", new String[] {"train", "--steps", "2.7"}));
        c.add(Arguments.of(2, "--steps (steps) must be an integer in [1, 100000000], was 0",
                new String[] {"train", "--steps", "0"}));
        c.add(Arguments.of(2, "was 1000000000", new String[] {"train", "--steps", "1000000000"}));
        c.add(Arguments.of(2, "--train-fraction (trainFraction) must be a finite number in (0, 1), was 1",
                new String[] {"train", "--train-fraction", "1"}));
        c.add(Arguments.of(2, "--wd (weightDecay)", new String[] {"train", "--wd", "-0.1"}));
        c.add(Arguments.of(2, "--beta (spectralBeta)", new String[] {"train", "--beta", "Infinity"}));
        c.add(Arguments.of(2, "--noise (weightNoise)", new String[] {"train", "--noise", "NaN"}));
        c.add(Arguments.of(2, "--embed (embed)", new String[] {"train", "--embed", "0"}));
        c.add(Arguments.of(2, "--hidden (hidden)", new String[] {"train", "--hidden", "100000"}));
        c.add(Arguments.of(2, "--points-per-decade", new String[] {"train", "--points-per-decade", "0"}));
        c.add(Arguments.of(2, "--lmn-points (lmnPoints) must be 0 (off) or an integer in [2, 4096], was 1",
                new String[] {"train", "--lmn-points", "1"}));
        c.add(Arguments.of(2, "--epsilon (epsilon)", new String[] {"train", "--epsilon", "0"}));
        c.add(Arguments.of(2, "modulus p must be a prime in [2, 1000], was 32", new String[] {"train", "--p", "32"}));
        c.add(Arguments.of(2, "unknown task 'nosuch'", new String[] {"train", "--task", "nosuch"}));
        c.add(Arguments.of(2, "unknown task '\\u001B[31mred\\u000A'", new String[] {"train", "--task", "\u001b[31mred\n"}));
        c.add(Arguments.of(2, "Unknown option: '--nope'", new String[] {"train", "--nope"}));
        c.add(Arguments.of(2, "Missing required parameter", new String[] {"train", "--lr"}));
        // train: config files (exit 1)
        c.add(Arguments.of(1, "no such file: " + d + "/missing.json", new String[] {"train", "--config", d + "/missing.json"}));
        c.add(Arguments.of(1, "steps-2.7.json: field 'steps' must be an integer, was 2.7",
                new String[] {"train", "--config", d + "/steps-2.7.json"}));
        c.add(Arguments.of(1, "field 'steps' must be an integer in [-2147483648, 2147483647], was 1.0E10",
                new String[] {"train", "--config", d + "/steps-huge.json"}));
        c.add(Arguments.of(1, "steps-0.json: --steps (steps) must be an integer in [1, 100000000], was 0",
                new String[] {"train", "--config", d + "/steps-0.json"}));
        c.add(Arguments.of(1, "field 'learningRate' must be a number, found the string \"0.1\"",
                new String[] {"train", "--config", d + "/lr-string.json"}));
        c.add(Arguments.of(1, "field 'learningRate' must be a finite number", new String[] {"train", "--config",
            d + "/lr-inf.json"}));
        c.add(Arguments.of(1, "field 'task' must be a string, found null", new String[] {"train", "--config",
            d + "/task-null.json"}));
        c.add(Arguments.of(1, "missing field 'steps'", new String[] {"train", "--config", d + "/no-steps.json"}));
        c.add(Arguments.of(1, "unknown field 'stpes'; known: task, p, op", new String[] {"train", "--config",
            d + "/unknown.json"}));
        c.add(Arguments.of(1, "expected a JSON object of settings, found array [1,2]", new String[] {"train", "--config",
            d + "/array.json"}));
        c.add(Arguments.of(1, "empty.json: empty", new String[] {"train", "--config", d + "/empty.json"}));
        c.add(Arguments.of(1, "broken.json: not valid JSON at line 1", new String[] {"train", "--config",
            d + "/broken.json"}));
        // demo, reproduce, bench: options (exit 2; nothing runs)
        c.add(Arguments.of(2, "--steps (steps) must be an integer in [1, 100000000], was 0",
                new String[] {"demo", "--steps", "0"}));
        c.add(Arguments.of(2, "--seeds must be an integer in [1, 100], was 0", new String[] {"reproduce", "lmn", "--seeds", "0"}));
        c.add(Arguments.of(2, "--steps must be an integer in [1, 100000000], was -1",
                new String[] {"reproduce", "lmn", "--steps", "-1"}));
        c.add(Arguments.of(2, "unknown experiment 'nosuch'", new String[] {"reproduce", "nosuch"}));
        c.add(Arguments.of(2, "--device must be cpu or gpu, was 'tpu'", new String[] {"reproduce", "lmn", "--device", "tpu"}));
        c.add(Arguments.of(2, "name an EXPERIMENT", new String[] {"reproduce"}));
        c.add(Arguments.of(2, "mul", new String[] {"reproduce", "mdl", "--tasks", "mul"}));
        c.add(Arguments.of(2, "unknown suite 'nosuch'", new String[] {"bench", "--suite", "codecs,nosuch"}));
        // every suite the switch runs passes validation: the error is the next option's, not the suite's
        c.add(Arguments.of(2, "--sizes must be an integer in [1, 8192], was 0", new String[] {"bench", "--suite",
            String.join(",", BenchCommand.SUITES), "--sizes", "0"}));
        c.add(Arguments.of(2, "unknown --scale-sizes preset '5M'; known: 0.4M, 7M, 30M, 124M", new String[] {"bench",
            "--suite", "scale", "--scale-sizes", "5M"}));
        c.add(Arguments.of(2, "unknown --scale-tasks case 'lmn512'; known: numpy, inspect, compress, spectral, lmn256, "
                + "lmn1024", new String[] {"bench", "--suite", "scale", "--scale-tasks", "lmn512"}));
        c.add(Arguments.of(2, "--sizes must be an integer in [1, 8192], was 0", new String[] {"bench", "--sizes", "0"}));
        c.add(Arguments.of(2, "--lmn-sizes must be an integer in [2, 4096], was 1", new String[] {"bench", "--lmn-sizes", "1"}));
        c.add(Arguments.of(2, "--listener-iterations", new String[] {"bench", "--listener-iterations", "0"}));
        c.add(Arguments.of(2, "'x' is not an int", new String[] {"bench", "--transformer-steps", "x"}));
        // plot: run folders (exit 1), options (exit 2)
        c.add(Arguments.of(1, "no such file: " + d + "/nowhere/metrics.jsonl (not a run folder (no metrics.jsonl))",
                new String[] {"plot", d + "/nowhere"}));
        c.add(Arguments.of(1, "run-empty/metrics.jsonl: no measurements (the file is empty)", new String[] {"plot", d + "/run-empty"}));
        c.add(Arguments.of(1, "run-blank/metrics.jsonl: no measurements", new String[] {"plot", d + "/run-blank"}));
        c.add(Arguments.of(1, "run-string/metrics.jsonl line 1: 'train_accuracy' must be a number or null, found the string "
                + "\"high\"", new String[] {"plot", d + "/run-string"}));
        c.add(Arguments.of(1, "line 1: 'step' must be an integer >= 0, found 1.5", new String[] {"plot", d + "/run-badstep"}));
        c.add(Arguments.of(1, "run-notjson/metrics.jsonl line 2: not JSON", new String[] {"plot", d + "/run-notjson"}));
        c.add(Arguments.of(1, "estimate 'lmn': 'value' must be a number or null, found the string \"NaN\"",
                new String[] {"plot", d + "/run-estimate"}));
        c.add(Arguments.of(1, "run-dir/metrics.jsonl: not a file", new String[] {"plot", d + "/run-dir"}));
        c.add(Arguments.of(1, "cannot write: folder " + d + "/nowhere does not exist",
                new String[] {"plot", "--compare", d + "/run-ok", "--out", d + "/nowhere/c.png"}));
        c.add(Arguments.of(1, "out-folder.png: is a folder", new String[] {"plot", "--compare", d + "/run-ok", "--out",
            d + "/out-folder.png"}));
        c.add(Arguments.of(1, "run-string/metrics.jsonl line 1", new String[] {"plot", "--compare", d + "/run-ok",
            d + "/run-string", "--out", d + "/c.png"}));
        c.add(Arguments.of(2, "--names has 1 names for 2 folders", new String[] {"plot", "--compare", d + "/run-ok",
            d + "/run-ok", "--names", "a", "--out", d + "/c.png"}));
        return c.stream();
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("cases")
    void aBadCommandLineGivesOneLineAndItsExitCode(int code, String message, String[] args) {
        CliRun r = run(args);
        String command = "grok " + args[0] + ": ";
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().endsWith("\n") && r.err().indexOf('\n') == r.err().length() - 1,
                "exactly one line on stderr: " + r.err());
        assertTrue(r.err().startsWith(command), r.err());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.err());
        assertFalse(r.err().strip().chars().anyMatch(Character::isISOControl), "control characters: " + r.err());
        assertFalse(r.err().contains("Exception:") || r.err().contains("\tat "), r.err());
    }

    @Test
    void theControlsSucceed() throws Exception {
        // positive controls of the table: the same paths, valid
        CliRun plot = run("plot", dir.resolve("run-ok").toString());
        assertEquals(0, plot.code(), plot.err());
        assertTrue(Files.size(dir.resolve("run-ok/curves.png")) > 1000);
        CliRun compare = run("plot", "--compare", dir.resolve("run-ok").toString(), "--out", dir.resolve("c.png").toString());
        assertEquals(0, compare.code(), compare.err());
        assertTrue(Files.size(dir.resolve("c.png")) > 1000);
        assertEquals(100, org.grokmetrics.examples.train.RunConfig.read(dir.resolve("valid.json")).steps());
        assertEquals(2, org.grokmetrics.examples.train.RunConfig.read(dir.resolve("steps-2.0.json")).steps(),
                "an integral 2.0 is the integer 2");
    }

    @Test
    void helpShowsEveryRange() {
        CliRun help = run("train", "--help");
        assertEquals(0, help.code());
        for (String range : new String[] {"(0, 10]", "(0, 1)", "[1, 100000000]", "[0, 1000]", "[1, 4096]", "[2, 1000]",
            "0 (off) or in [2, 4096]", "(0, 1000000]"}) {
            assertTrue(help.out().contains(range), range + " in:\n" + help.out());
        }
        assertTrue(run("bench", "--help").out().contains("[1, 8192]"));
        assertTrue(run("reproduce", "--help").out().contains("[1, 100]"));
        assertTrue(run("--help").out().contains("Exit codes"));
    }
}
