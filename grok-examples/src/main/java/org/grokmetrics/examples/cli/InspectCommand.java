package org.grokmetrics.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;
import org.grokmetrics.codec.NaiveCompression;
import org.grokmetrics.io.SafeTensors;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebraSelection;
import org.grokmetrics.mdl.PruningMdl;
import org.grokmetrics.spectral.SpectralEntropy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grok inspect FILE}: per-tensor complexity figures of a safetensors file. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Reads a safetensors file (F32, F16, BF16, F64) and prints, per tensor: shape, spectral "
                + "entropy H (nats), effective rank exp(H), pruning count |w| > threshold, and naive compressed "
                + "size in bits per codec; then a model summary."},
        footer = {"", "Example:", "  grok inspect examples/mod31-mlp.safetensors",
            "  grok inspect --json --threshold 1e-3 model.safetensors"})
final class InspectCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a .safetensors weights file")
    Path file;

    @Option(names = "--json", description = "print one JSON document instead of a table")
    boolean json;

    @Option(names = "--threshold", defaultValue = "1e-2",
            description = "pruning threshold epsilon for |w| > epsilon (default: ${DEFAULT-VALUE})")
    double threshold;

    @Option(names = "--codecs", split = ",", defaultValue = "gzip,xz,zstd,bzip2",
            description = "codecs for the naive size, comma-separated from gzip, xz, zstd, bzip2, best "
                    + "(default: ${DEFAULT-VALUE})")
    List<String> codecIds;

    @Override
    public Integer call() throws Exception {
        List<Codec> codecs = new ArrayList<>();
        for (String id : codecIds) {
            codecs.add(Codecs.byId(id.trim()));
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("--threshold must be finite and >= 0, was " + threshold);
        }
        SafeTensors.Contents contents = SafeTensors.readContents(file);
        Map<String, Object> report = report(file, contents, threshold, codecs, LinearAlgebra.selection());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            printTable(out, report, codecs);
        }
        out.flush();
        return 0;
    }

    /** The report as an ordered map (the JSON document). */
    static Map<String, Object> report(Path file, SafeTensors.Contents contents, double threshold, List<Codec> codecs,
                                      LinearAlgebraSelection selection) {
        LinearAlgebra la = selection.linearAlgebra();
        ParameterSnapshot p = contents.parameters();
        List<Map<String, Object>> tensors = new ArrayList<>();
        Map<String, Long> naiveTotals = new LinkedHashMap<>();
        codecs.forEach(c -> naiveTotals.put(c.id(), 0L));
        double hSum = 0;
        double rankWeighted = 0;
        int matrices = 0;
        long pruned = 0;
        List<String> nonFinite = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Tensor t : p.tensors()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", t.name());
            row.put("dtype", contents.dtypes().get(t.name()));
            row.put("shape", t.shape());
            row.put("parameters", t.size());
            int bad = t.firstNonFinite();
            if (bad >= 0) {
                nonFinite.add(t.name());
                row.put("error", "non-finite value " + t.get(bad) + " at flat index " + bad);
            } else {
                Optional<SpectralEntropy.Result> spectrum = Optional.empty();
                if (t.isMatrix()) {
                    try {
                        spectrum = Optional.of(SpectralEntropy.analyze(t, false, la));
                    } catch (ArithmeticException e) {
                        // no decomposition passed its checks: no number rather than a wrong one
                        row.put("error", "spectral entropy: " + e.getMessage());
                        failed.add(t.name());
                    }
                }
                if (spectrum.isPresent()) {
                    SpectralEntropy.Result r = spectrum.get();
                    row.put("spectral_entropy_nats", r.entropy());
                    row.put("effective_rank", r.effectiveRank());
                    hSum += r.entropy();
                    rankWeighted += r.effectiveRank() * t.size();
                    matrices++;
                }
                long kept = PruningMdl.count(t, threshold);
                row.put("pruning_count", kept);
                pruned += kept;
            }
            Map<String, Long> naive = new LinkedHashMap<>();
            for (Codec c : codecs) {
                long bits = NaiveCompression.bits(t, c);
                naive.put(c.id(), bits);
                naiveTotals.merge(c.id(), bits, Long::sum);
            }
            row.put("naive_bits", naive);
            tensors.add(row);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("tensors", p.tensorCount());
        summary.put("parameters", p.size());
        summary.put("matrices", matrices);
        summary.put("mean_spectral_entropy_nats", matrices == 0 ? null : hSum / matrices);
        summary.put("weighted_effective_rank", matrices == 0 ? null : rankWeighted / p.size());
        summary.put("pruning_threshold", threshold);
        summary.put("pruning_mdl", pruned);
        summary.put("raw_bits", 32L * p.size());
        summary.put("naive_bits", naiveTotals);
        if (!nonFinite.isEmpty()) {
            summary.put("non_finite_tensors", nonFinite);
        }
        if (!failed.isEmpty()) {
            summary.put("spectral_entropy_failed", failed);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", file.toString());
        doc.put("metadata", contents.metadata());
        doc.put("linear_algebra", la.name());
        doc.put("linear_algebra_choice", selection.describe());
        doc.put("tensors", tensors);
        doc.put("summary", summary);
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(PrintWriter out, Map<String, Object> report, List<Codec> codecs) {
        List<Map<String, Object>> tensors = (List<Map<String, Object>>) report.get("tensors");
        Map<String, Object> summary = (Map<String, Object>) report.get("summary");
        int nameWidth = Math.max(6, tensors.stream().mapToInt(t -> ((String) t.get("name")).length()).max().orElse(6));
        StringBuilder head = new StringBuilder(String.format("%-" + nameWidth + "s  %-14s %9s %8s %8s %9s",
                "tensor", "shape", "params", "H(nats)", "erank", "|w|>eps"));
        for (Codec c : codecs) {
            head.append(String.format(" %10s", c.id() + "(b)"));
        }
        out.println("file: " + report.get("file"));
        out.println("linear algebra: " + report.get("linear_algebra_choice"));
        Map<String, String> meta = (Map<String, String>) report.get("metadata");
        if (!meta.isEmpty()) {
            Map<String, String> shown = new LinkedHashMap<>();
            meta.forEach((k, v) -> shown.put(k, v.length() <= 60 ? v : v.substring(0, 40) + "... (" + v.length()
                    + " characters)"));
            out.println("metadata: " + shown);
        }
        out.println(head);
        for (Map<String, Object> t : tensors) {
            StringBuilder row = new StringBuilder(String.format("%-" + nameWidth + "s  %-14s %9d %8s %8s %9s",
                    t.get("name"), java.util.Arrays.toString((int[]) t.get("shape")).replace(" ", ""),
                    (Integer) t.get("parameters"), fmt(t.get("spectral_entropy_nats"), "%.4f"),
                    fmt(t.get("effective_rank"), "%.2f"), fmt(t.get("pruning_count"), "%d")));
            Map<String, Long> naive = (Map<String, Long>) t.get("naive_bits");
            for (Codec c : codecs) {
                row.append(String.format(" %10d", naive.get(c.id())));
            }
            if (t.containsKey("error")) {
                row.append("  ! ").append(t.get("error"));
            }
            out.println(row);
        }
        out.println();
        out.printf("parameters %d in %d tensors (%d matrices); raw %d bits%n", summary.get("parameters"),
                summary.get("tensors"), summary.get("matrices"), summary.get("raw_bits"));
        out.printf("mean spectral entropy %s nats; parameter-weighted effective rank %s%n",
                fmt(summary.get("mean_spectral_entropy_nats"), "%.4f"), fmt(summary.get("weighted_effective_rank"), "%.3f"));
        out.printf("pruning MDL |w| > %s: %d parameters%n", summary.get("pruning_threshold"), summary.get("pruning_mdl"));
        Map<String, Long> totals = (Map<String, Long>) summary.get("naive_bits");
        StringBuilder naive = new StringBuilder("naive compressed size (bits):");
        totals.forEach((k, v) -> naive.append(' ').append(k).append('=').append(v));
        out.println(naive);
        if (summary.containsKey("non_finite_tensors")) {
            out.println("WARNING: non-finite values in " + summary.get("non_finite_tensors")
                    + "; spectral and pruning figures skip them");
        }
        if (summary.containsKey("spectral_entropy_failed")) {
            out.println("WARNING: no decomposition passed its checks for " + summary.get("spectral_entropy_failed")
                    + "; the spectral figures skip them");
        }
    }

    private static String fmt(Object v, String format) {
        return v == null ? "-" : String.format(format, v);
    }
}
