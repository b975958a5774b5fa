package org.grokmetrics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.io.SafeTensors;
import org.grokmetrics.linalg.MatrixCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * {@code grok inspect} on the shipped weights (references computed with NumPy 2.4.6 straight from the
 * file bytes: np.linalg.svd of each float32 matrix in float64) and on bad input.
 */
class InspectCommandTest {

    static final Path SHIPPED = Path.of("..", "examples", "mod31-mlp.safetensors");

    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void jsonOnShippedFileMatchesNumpy() throws Exception {
        CliRun r = run("inspect", "--json", "--codecs", "gzip,xz,zstd,bzip2", SHIPPED.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        Map<String, Double> numpyEntropy = Map.of(
                "embedding.weight", 3.174714210259516,
                "layers.0.weight", 3.9393383896016725,
                "layers.1.weight", 4.249603906437033,
                "layers.2.weight", 3.300290077449786);
        int seen = 0;
        for (JsonNode t : doc.get("tensors")) {
            Double ref = numpyEntropy.get(t.get("name").asText());
            if (ref != null) {
                assertEquals(ref, t.get("spectral_entropy_nats").asDouble(), 1e-10, t.get("name").asText());
                seen++;
            } else {
                assertTrue(t.get("spectral_entropy_nats") == null, "vectors have no entropy");
            }
        }
        assertEquals(4, seen);
        JsonNode s = doc.get("summary");
        assertEquals(20723, s.get("parameters").asLong());
        assertEquals(20206, s.get("pruning_mdl").asLong());
        assertEquals(3.6659866459370014, s.get("mean_spectral_entropy_nats").asDouble(), 1e-10);
        assertEquals(54.88780975461771, s.get("weighted_effective_rank").asDouble(), 1e-8);
        assertEquals(4, s.get("naive_bits").size());
        assertEquals("6000", doc.get("metadata").get("step").asText());
    }

    /**
     * Wide and tall matrices past the 128 crossover, where ND4J's LAPACK has been seen wrong: the entropy
     * of each equals NumPy's (values from {@code scripts/linalg_reference.py}, NumPy 2.4.6), whichever
     * provider this machine selected, and the report says which one and why.
     */
    @Test
    void nonSquareMatricesMatchNumPyAndTheProviderIsShown() throws Exception {
        Path f = dir.resolve("wide.safetensors");
        SafeTensors.write(f, ParameterSnapshot.of(List.of(matrix("tall", 300, 150, 4), matrix("wide", 150, 300, 5),
                matrix("mlp", 784, 256, 7))), Map.of());
        CliRun r = run("inspect", "--json", "--codecs", "zstd", f.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        Map<String, Double> numpy = Map.of("tall", 4.933816976449665, "wide", 4.933277309656864, "mlp", 5.499075526276227);
        for (JsonNode t : doc.get("tensors")) {
            String name = t.get("name").asText();
            assertEquals(numpy.get(name), t.get("spectral_entropy_nats").asDouble(), 1e-10, name);
        }
        String choice = doc.get("linear_algebra_choice").asText();
        assertTrue(choice.startsWith(doc.get("linear_algebra").asText() + ": "), choice);
        CliRun table = run("inspect", "--codecs", "zstd", f.toString());
        assertTrue(table.out().contains("linear algebra: " + choice), table.out());
    }

    private static Tensor matrix(String name, int rows, int cols, long seed) {
        double[] a = MatrixCases.splitmix(rows, cols, seed);
        float[] w = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            w[i] = (float) a[i];
        }
        return Tensor.matrix(name, rows, cols, w);
    }

    @Test
    void tableListsEveryTensorAndTheSummary() {
        CliRun r = run("inspect", SHIPPED.toString());
        assertEquals(0, r.code(), r.err());
        for (String name : List.of("embedding.weight", "layers.0.weight", "layers.2.bias")) {
            assertTrue(r.out().contains(name), name);
        }
        assertTrue(r.out().contains("pruning MDL |w| > 0.01: 20206 parameters"), r.out());
        assertTrue(r.out().contains("mean spectral entropy 3.6660 nats"), r.out());
    }

    @Test
    void anyValidFileWorksIncludingNonFiniteValues() throws Exception {
        Path f = dir.resolve("odd.safetensors");
        SafeTensors.write(f, ParameterSnapshot.of(List.of(
                new Tensor("conv", new int[] {2, 1, 2, 2}, new float[] {1, 0, 0, 1, 0, 1, 1, 0}),
                Tensor.matrix("broken", 1, 2, new float[] {Float.NaN, 1}))), Map.of());
        CliRun r = run("inspect", "--codecs", "best", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("non-finite value NaN at flat index 0"), r.out());
        assertTrue(r.out().contains("WARNING: non-finite values in [broken]"), r.out());
    }

    @Test
    void badInputGetsOneLineErrors() throws Exception {
        CliRun missing = run("inspect", dir.resolve("nope.safetensors").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("grok inspect: no such file: "), missing.err());
        assertEquals(1, missing.err().strip().lines().count());

        Path trunc = dir.resolve("trunc.safetensors");
        byte[] ok = Files.readAllBytes(SHIPPED);
        Files.write(trunc, java.util.Arrays.copyOf(ok, ok.length - 100));
        CliRun t = run("inspect", trunc.toString());
        assertEquals(1, t.code());
        assertTrue(t.err().contains("truncated"), t.err());
        assertEquals(1, t.err().strip().lines().count(), t.err());

        CliRun codec = run("inspect", "--codecs", "lz4", SHIPPED.toString());
        assertEquals(1, codec.code());
        assertTrue(codec.err().contains("unknown codec 'lz4'"), codec.err());

        CliRun thr = run("inspect", "--threshold", "-1", SHIPPED.toString());
        assertTrue(thr.err().contains("--threshold"), thr.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : List.of("inspect", "bench", "demo", "train", "reproduce", "plot")) {
            CliRun r = run(cmd, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("Usage: grok " + cmd), r.out());
            assertTrue(!r.err().contains("Could not format"), cmd + ": " + r.err());
        }
    }

    @Test
    void theDefaultCodecIsTheFastOne() throws Exception {
        CliRun r = run("inspect", "--json", SHIPPED.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode naive = new ObjectMapper().readTree(r.out()).get("summary").get("naive_bits");
        assertEquals(List.of("zstd-3"), iterator(naive.fieldNames()));
    }

    private static List<String> iterator(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void badOptionsNameTheOptionInOneLine() {
        for (String[] bad : List.of(new String[] {"--codecs", ","}, new String[] {"--codecs", ""},
                new String[] {"--codecs", "gzip,,zstd"}, new String[] {"--codecs", "zstd-0"},
                new String[] {"--codecs", "gzip,gzip"}, new String[] {"--codecs", "lz\u001b4"},
                new String[] {"--threads", "0"}, new String[] {"--svd-limit", "0"},
                new String[] {"--threshold", "NaN"}, new String[] {"--threshold", "Infinity"})) {
            String[] args = {"inspect", bad[0], bad[1].replace("\\u001b", "\u001b"), SHIPPED.toString()};
            CliRun r = run(args);
            assertEquals(1, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("grok inspect: " + bad[0]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().strip().chars().noneMatch(c -> c < 0x20), r.err());
        }
    }

    /**
     * Every dtype family in one file: integers and BOOL are listed as skipped (the file is not rejected),
     * FP8 and F16 are measured; the F8_E4M3 bytes 0x38 0xC0 0x40 0x00 are 1, -2, 2, 0.
     */
    @Test
    void integerTensorsAreSkippedAndFp8IsMeasured() throws Exception {
        String h = "{\"position_ids\":{\"dtype\":\"I64\",\"shape\":[1,2],\"data_offsets\":[0,16]},"
                + "\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[16,24]},"
                + "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[24,26]},"
                + "\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[2,2],\"data_offsets\":[26,30]}}";
        byte[] data = new byte[30];
        data[26] = 0x38;
        data[27] = (byte) 0xC0;
        data[28] = 0x40;
        Path f = dir.resolve("mixed.safetensors");
        Files.write(f, image(h, data));
        CliRun r = run("inspect", "--json", f.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        JsonNode q = null;
        for (JsonNode t : doc.get("tensors")) {
            if (t.get("dtype").asText().equals("I64") || t.get("dtype").asText().equals("BOOL")) {
                assertTrue(t.get("skipped").asText().contains("skipped by the measures"), t.toString());
                assertTrue(t.get("spectral_entropy_nats") == null && t.get("naive_bits") == null, t.toString());
            } else {
                q = t;
            }
        }
        // [[1, -2], [2, 0]]: A^T A = [[5, -2], [-2, 4]], singular values sqrt((9 +- sqrt(17)) / 2)
        double s1 = Math.sqrt((9 + Math.sqrt(17)) / 2);
        double s2 = Math.sqrt((9 - Math.sqrt(17)) / 2);
        double p1 = s1 / (s1 + s2);
        double p2 = s2 / (s1 + s2);
        assertEquals(-(p1 * Math.log(p1) + p2 * Math.log(p2)), q.get("spectral_entropy_nats").asDouble(), 1e-12);
        assertEquals(3, q.get("pruning_count").asLong());
        JsonNode s = doc.get("summary");
        assertEquals(4, s.get("parameters").asLong());
        assertEquals(3, s.get("skipped_tensors").size());
        assertEquals(5, s.get("skipped_parameters").asLong());
        CliRun table = run("inspect", f.toString());
        assertTrue(table.out().contains("- skipped: I64 integer tensor"), table.out());
        assertTrue(table.out().contains("skipped by the measures: 3 tensors, 5 elements"), table.out());
    }

    @Test
    void namesAreEscapedInTheTable() throws Exception {
        Path f = dir.resolve("evil.safetensors");
        SafeTensors.write(f, ParameterSnapshot.of(List.of(Tensor.vector("evil\r\n\u001b[31mred", new float[] {1}),
                Tensor.vector("n".repeat(500), new float[] {2}))), Map.of("k\u001b", "v\n"));
        CliRun r = run("inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("evil\\r\\n\\u001B[31mred"), r.out());
        assertTrue(r.out().chars().noneMatch(c -> c < 0x20 && c != '\n'), r.out());
        assertTrue(r.out().contains("...(500 chars)"), r.out());
        CliRun j = run("inspect", "--json", f.toString());
        assertEquals("evil\r\n\u001b[31mred", new ObjectMapper().readTree(j.out()).get("tensors").get(0).get("name")
                .asText(), "JSON carries the name itself, escaped the JSON way");
    }

    @Test
    void parallelRunsPrintTheSameAsOneThread() {
        CliRun one = run("inspect", "--json", "--threads", "1", SHIPPED.toString());
        CliRun four = run("inspect", "--json", "--threads", "4", SHIPPED.toString());
        assertEquals(0, four.code(), four.err());
        assertEquals(one.out(), four.out());
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aHundredThousandEmptyTensors() throws Exception {
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i < 100_000; i++) {
            h.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0,3],"
                    + "\"data_offsets\":[0,0]}");
        }
        Path f = dir.resolve("many.safetensors");
        Files.write(f, image(h.append('}').toString(), new byte[0]));
        CliRun r = run("inspect", "--json", "--codecs", "gzip,xz,zstd-3", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(100_000, new ObjectMapper().readTree(r.out()).get("summary").get("tensors").asInt());
    }

    /**
     * A sparse file with a 2 GiB + 4 B vector (more bytes than an array holds): streamed for the pruning
     * count (its one non-zero, 7.0 in the last place), a note instead of the naive sizes, and the small
     * tensor after it (offsets past 2^31) read exactly.
     */
    @Test
    void tensorsPastTwoGigabytesStreamOrGetANote() throws Exception {
        long mid = 4L * ((1L << 29) + 1);
        String header = "{\"big\":{\"dtype\":\"F32\",\"shape\":[536870913],\"data_offsets\":[0," + mid + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[" + mid + "," + (mid + 8) + "]}}";
        byte[] hb = header.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Path f = dir.resolve("big.safetensors");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(8 + hb.length + mid + 8);
            raf.write(java.nio.ByteBuffer.allocate(8 + hb.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(hb.length).put(hb).array());
            raf.seek(8 + hb.length + mid - 4);
            raf.write(java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(7f)
                    .putFloat(3f).putFloat(-4f).array());
        }
        CliRun r = run("inspect", "--json", f.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode t = new ObjectMapper().readTree(r.out()).get("tensors");
        assertEquals(1, t.get(0).get("pruning_count").asLong());
        assertTrue(t.get(0).get("notes").get(0).asText().contains("exceed a byte array"), t.toString());
        assertEquals(2, t.get(1).get("pruning_count").asLong());
        assertEquals(0.0, t.get(1).get("spectral_entropy_nats").asDouble(), 0.0, "a 1x2 matrix has one singular value");
    }

    @Test
    void progressPrintsOneLinePerTenPercentWithoutATerminal() {
        StringWriter sw = new StringWriter();
        InspectProgress p = new InspectProgress(new PrintWriter(sw), false, true, 1000, 100, 0);
        for (int i = 0; i < 100; i++) {
            p.advance(10);
        }
        List<String> lines = sw.toString().lines().toList();
        assertEquals(10, lines.size(), sw.toString());
        assertTrue(lines.get(0).startsWith("grok inspect:  10%  10/100 tensors"), lines.get(0));
        assertTrue(lines.get(9).contains("100%  100/100 tensors") && lines.get(9).contains("ETA 0 s"), lines.get(9));
        StringWriter quiet = new StringWriter();
        InspectProgress q = new InspectProgress(new PrintWriter(quiet), false, false, 1000, 100, 0);
        q.advance(1000);
        assertEquals("", quiet.toString());
    }

    private static byte[] image(String header, byte[] data) {
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(8 + h.length + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }
}
