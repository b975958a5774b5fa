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

import picocli.CommandLine;

/**
 * {@code grok inspect} on the shipped weights (references computed with NumPy 2.4.6 straight from the
 * file bytes: np.linalg.svd of each float32 matrix in float64) and on bad input.
 */
class InspectCommandTest {

    static final Path SHIPPED = Path.of("..", "examples", "mod31-mlp.safetensors");

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = GrokCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonOnShippedFileMatchesNumpy() throws Exception {
        Run r = run("inspect", "--json", SHIPPED.toString());
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
        Run r = run("inspect", "--json", "--codecs", "zstd", f.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        Map<String, Double> numpy = Map.of("tall", 4.933816976449665, "wide", 4.933277309656864, "mlp", 5.499075526276227);
        for (JsonNode t : doc.get("tensors")) {
            String name = t.get("name").asText();
            assertEquals(numpy.get(name), t.get("spectral_entropy_nats").asDouble(), 1e-10, name);
        }
        String choice = doc.get("linear_algebra_choice").asText();
        assertTrue(choice.startsWith(doc.get("linear_algebra").asText() + ": "), choice);
        Run table = run("inspect", "--codecs", "zstd", f.toString());
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
        Run r = run("inspect", SHIPPED.toString());
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
        Run r = run("inspect", "--codecs", "best", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("non-finite value NaN at flat index 0"), r.out());
        assertTrue(r.out().contains("WARNING: non-finite values in [broken]"), r.out());
    }

    @Test
    void badInputGetsOneLineErrors() throws Exception {
        Run missing = run("inspect", dir.resolve("nope.safetensors").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("grok inspect: no such file: "), missing.err());
        assertEquals(1, missing.err().strip().lines().count());

        Path trunc = dir.resolve("trunc.safetensors");
        byte[] ok = Files.readAllBytes(SHIPPED);
        Files.write(trunc, java.util.Arrays.copyOf(ok, ok.length - 100));
        Run t = run("inspect", trunc.toString());
        assertEquals(1, t.code());
        assertTrue(t.err().contains("truncated"), t.err());
        assertEquals(1, t.err().strip().lines().count(), t.err());

        Run codec = run("inspect", "--codecs", "lz4", SHIPPED.toString());
        assertEquals(1, codec.code());
        assertTrue(codec.err().contains("unknown codec 'lz4'"), codec.err());

        Run thr = run("inspect", "--threshold", "-1", SHIPPED.toString());
        assertTrue(thr.err().contains("--threshold"), thr.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : List.of("inspect", "bench", "demo", "train", "reproduce", "plot")) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("Usage: grok " + cmd), r.out());
            assertTrue(!r.err().contains("Could not format"), cmd + ": " + r.err());
        }
    }
}
