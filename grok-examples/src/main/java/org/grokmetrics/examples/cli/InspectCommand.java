package org.grokmetrics.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;
import org.grokmetrics.io.SafeTensors;
import org.grokmetrics.io.SafeTensorsEntry;
import org.grokmetrics.io.SafeTensorsFile;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebraSelection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grok inspect FILE}: per-tensor complexity figures of a safetensors file, streamed: the header
 * is validated first (the format's rules, {@link SafeTensorsFile}), then the tensors are measured in
 * parallel on {@code --threads} workers, each holding one tensor (read from the file when its turn
 * comes; a heap budget keeps large tensors from running side by side), and printed in file order.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Reads a safetensors file (every dtype of the format; floating tensors, FP8 included, are "
                + "measured, integer/BOOL/complex/sub-byte tensors are listed as skipped) and prints, per tensor: "
                + "shape, spectral entropy H (nats), effective rank exp(H), pruning count |w| > threshold, and naive "
                + "compressed size in bits per codec; then a model summary. Progress (with ETA) goes to stderr: a "
                + "bar on a terminal, otherwise one line per 10%%, after the first second."},
        footer = {"", "Example:", "  grok inspect examples/mod31-mlp.safetensors",
            "  grok inspect --json --threshold 1e-3 model.safetensors",
            "  grok inspect --codecs gzip,xz,zstd,bzip2 model.safetensors   (the papers' codecs: slower)"})
final class InspectCommand implements Callable<Integer> {

    /** The codecs measured unless {@code --codecs} says otherwise: the fast ones. */
    static final String DEFAULT_CODECS = "zstd-3";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a .safetensors weights file")
    Path file;

    @Option(names = "--json", description = "print one JSON document instead of a table")
    boolean json;

    @Option(names = "--threshold", defaultValue = "1e-2",
            description = "pruning threshold epsilon for |w| > epsilon, finite and >= 0 (default: ${DEFAULT-VALUE})")
    double threshold;

    @Option(names = "--codecs", split = ",", defaultValue = DEFAULT_CODECS,
            description = "codecs for the naive size, comma-separated from gzip, xz, zstd, bzip2, best, zstd-N "
                    + "(zstd at level N, 1..22); zstd-3 is fast, gzip (level 9), xz, zstd (level 19), bzip2 and best "
                    + "take minutes on a 500 MB file (default: ${DEFAULT-VALUE})")
    List<String> codecIds;

    @Option(names = "--threads", description = "tensors measured in parallel, 1..1024 (default: the available "
            + "processors)")
    Integer threads;

    @Option(names = "--svd-limit", defaultValue = "67108864", description = "largest matrix, in elements, whose "
            + "spectral entropy is computed (larger ones get a note), 1..2147483639 (default: ${DEFAULT-VALUE})")
    long svdLimit;

    @Option(names = "--no-progress", description = "print no progress on stderr")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        Map<String, Codec> codecs = codecs(codecIds);
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("--threshold must be finite and >= 0, was " + threshold);
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workers < 1 || workers > 1024) {
            throw new IllegalArgumentException("--threads must be in 1..1024, was " + workers);
        }
        if (svdLimit < 1 || svdLimit > SafeTensorsEntry.MAX_ARRAY_ELEMENTS) {
            throw new IllegalArgumentException("--svd-limit must be in 1.." + SafeTensorsEntry.MAX_ARRAY_ELEMENTS
                    + ", was " + svdLimit);
        }
        LinearAlgebraSelection selection = LinearAlgebra.selection();
        Map<String, Object> report;
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            InspectTensor measures = new InspectTensor(selection.linearAlgebra(), threshold, codecs, svdLimit);
            InspectProgress progress = new InspectProgress(spec.commandLine().getErr(), System.console() != null,
                    !noProgress, totalWork(f), f.header().tensors().size());
            try {
                report = report(f, measures, selection, workers, progress);
            } finally {
                progress.finish();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            printTable(out, report, codecs.keySet());
        }
        out.flush();
        return 0;
    }

    /** The codecs of {@code --codecs}, by label; every entry must name one. */
    static Map<String, Codec> codecs(List<String> ids) {
        Map<String, Codec> out = new LinkedHashMap<>();
        if (ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("--codecs needs at least one codec (gzip, xz, zstd, bzip2, best, zstd-N)");
        }
        for (String raw : ids) {
            String id = raw.trim().toLowerCase(Locale.ROOT);
            if (id.isEmpty()) {
                throw new IllegalArgumentException("--codecs has an empty entry in '" + SafeTensors.printable(
                        String.join(",", ids)) + "'; give codecs separated by commas, e.g. gzip,zstd");
            }
            Codec c;
            if (id.matches("zstd-[0-9]{1,3}")) {
                int level = Integer.parseInt(id.substring(5));
                if (level < 1 || level > 22) {
                    throw new IllegalArgumentException("--codecs: zstd level must be in 1..22, was " + level);
                }
                c = Codecs.zstd(level);
            } else {
                try {
                    c = Codecs.byId(id);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--codecs: unknown codec '" + SafeTensors.printable(raw.trim())
                            + "'; known: gzip, xz, zstd, bzip2, best, zstd-N");
                }
            }
            String label = c.id().equals("zstd") && !id.equals("zstd") && !id.equals("zstandard") ? id : c.id();
            if (out.putIfAbsent(label, c) != null) {
                throw new IllegalArgumentException("--codecs names " + label + " twice");
            }
        }
        return out;
    }

    private static long totalWork(SafeTensorsFile f) {
        long w = 0;
        for (SafeTensorsEntry e : f.header().tensors()) {
            w += work(e);
        }
        return w;
    }

    private static long work(SafeTensorsEntry e) {
        return e.byteLength() + InspectProgress.PER_TENSOR;
    }

    /** The report as an ordered map (the JSON document). */
    static Map<String, Object> report(SafeTensorsFile f, InspectTensor measures, LinearAlgebraSelection selection,
                                      int workers, InspectProgress progress) throws Exception {
        List<SafeTensorsEntry> entries = f.header().tensors();
        // a heap budget in MiB: a tensor takes its need (at most the whole budget), so big ones run alone. Half the
        // heap, but no more than the largest tensor needs (at least 256 MiB): small tensors still run side by side,
        // and a large default heap (a quarter of the machine) is not filled by several large tensors at once
        long maxHeap = Runtime.getRuntime().maxMemory();
        long largest = entries.stream().mapToLong(InspectTensor::heapNeed).max().orElse(0);
        long budget = Math.min(maxHeap / 2, Math.max(largest, 256L << 20));
        int budgetMiB = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget / (1 << 20)));
        Semaphore heap = new Semaphore(budgetMiB);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            order.add(i);
        }
        // largest first (the long SVDs start early), results kept in file order
        order.sort(Comparator.comparingLong((Integer i) -> -entries.get(i).elements()).thenComparing(i -> i));
        List<Future<Map<String, Object>>> rows = new ArrayList<>(java.util.Collections.nCopies(entries.size(), null));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, Math.max(1, entries.size())), r -> {
            Thread t = new Thread(r, "grok-inspect");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i : order) {
                SafeTensorsEntry e = entries.get(i);
                int need = (int) Math.min(budgetMiB, Math.max(1, InspectTensor.heapNeed(e) >> 20));
                rows.set(i, pool.submit(() -> {
                    heap.acquireUninterruptibly(need);
                    try {
                        return measures.measure(f, e);
                    } finally {
                        heap.release(need);
                        progress.advance(work(e));
                    }
                }));
            }
            List<Map<String, Object>> tensors = new ArrayList<>(entries.size());
            for (Future<Map<String, Object>> row : rows) {
                try {
                    tensors.add(row.get());
                } catch (ExecutionException ex) {
                    throw ex.getCause() instanceof Exception c ? c : ex;
                }
            }
            return document(f, selection, tensors, measures.threshold());
        } finally {
            pool.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document(SafeTensorsFile f, LinearAlgebraSelection selection,
                                                List<Map<String, Object>> tensors, double threshold) {
        Map<String, Long> naiveTotals = new LinkedHashMap<>();
        double hSum = 0;
        double rankWeighted = 0;
        int matrices = 0;
        long pruned = 0;
        long parameters = 0;
        long skippedParameters = 0;
        int measured = 0;
        List<String> nonFinite = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (Map<String, Object> row : tensors) {
            String name = (String) row.get("name");
            long n = (Long) row.get("parameters");
            if (row.containsKey("skipped")) {
                skipped.put(name, (String) row.get("skipped"));
                skippedParameters += n;
                continue;
            }
            measured++;
            parameters += n;
            if (row.containsKey("spectral_entropy_nats")) {
                double h = (Double) row.get("spectral_entropy_nats");
                hSum += h;
                rankWeighted += (Double) row.get("effective_rank") * n;
                matrices++;
            }
            if (row.containsKey("spectral_failed")) {
                row.remove("spectral_failed");
                failed.add(name);
            } else if (row.containsKey("error")) {
                nonFinite.add(name);
            }
            if (row.containsKey("pruning_count")) {
                pruned += (Long) row.get("pruning_count");
            }
            ((Map<String, Long>) row.get("naive_bits")).forEach((k, v) -> naiveTotals.merge(k, v, Long::sum));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("tensors", measured);
        summary.put("parameters", parameters);
        summary.put("matrices", matrices);
        summary.put("mean_spectral_entropy_nats", matrices == 0 ? null : hSum / matrices);
        summary.put("weighted_effective_rank", matrices == 0 ? null : rankWeighted / parameters);
        summary.put("pruning_threshold", threshold);
        summary.put("pruning_mdl", pruned);
        summary.put("raw_bits", 32L * parameters);
        summary.put("naive_bits", naiveTotals);
        if (!skipped.isEmpty()) {
            summary.put("skipped_tensors", skipped);
            summary.put("skipped_parameters", skippedParameters);
        }
        if (!nonFinite.isEmpty()) {
            summary.put("non_finite_tensors", nonFinite);
        }
        if (!failed.isEmpty()) {
            summary.put("spectral_entropy_failed", failed);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", f.source());
        doc.put("metadata", f.header().metadata());
        doc.put("linear_algebra", selection.linearAlgebra().name());
        doc.put("linear_algebra_choice", selection.describe());
        doc.put("tensors", tensors);
        doc.put("summary", summary);
        return doc;
    }

    private static final int NAME_COLUMN_MAX = 60;

    /** A name for the table: escaped, and shortened past {@value #NAME_COLUMN_MAX} characters. */
    static String cell(String s) {
        String p = SafeTensors.printable(s);
        if (p.length() <= NAME_COLUMN_MAX) {
            return p;
        }
        int cut = Character.isHighSurrogate(p.charAt(NAME_COLUMN_MAX - 21)) ? NAME_COLUMN_MAX - 22 : NAME_COLUMN_MAX - 21;
        return p.substring(0, cut) + "...(" + s.length() + " chars)";
    }

    @SuppressWarnings("unchecked")
    private static void printTable(PrintWriter out, Map<String, Object> report, java.util.Collection<String> codecs) {
        List<Map<String, Object>> tensors = (List<Map<String, Object>>) report.get("tensors");
        Map<String, Object> summary = (Map<String, Object>) report.get("summary");
        int nameWidth = Math.max(6, tensors.stream().mapToInt(t -> cell((String) t.get("name")).length()).max().orElse(6));
        StringBuilder head = new StringBuilder(String.format("%-" + nameWidth + "s  %-5s %-14s %9s %8s %8s %9s",
                "tensor", "dtype", "shape", "params", "H(nats)", "erank", "|w|>eps"));
        for (String c : codecs) {
            head.append(String.format(" %10s", c + "(b)"));
        }
        out.println("file: " + SafeTensors.printable((String) report.get("file")));
        out.println("linear algebra: " + report.get("linear_algebra_choice"));
        Map<String, String> meta = (Map<String, String>) report.get("metadata");
        if (!meta.isEmpty()) {
            StringBuilder shown = new StringBuilder();
            meta.forEach((k, v) -> shown.append(shown.length() == 0 ? "" : ", ").append(cell(k)).append('=')
                    .append(v.length() <= 60 ? SafeTensors.printable(v)
                            : SafeTensors.printable(v.substring(0, Character.isHighSurrogate(v.charAt(39)) ? 39 : 40))
                            + "... (" + v.length() + " characters)"));
            out.println("metadata: {" + shown + "}");
        }
        out.println(head);
        for (Map<String, Object> t : tensors) {
            StringBuilder row = new StringBuilder(String.format("%-" + nameWidth + "s  %-5s %-14s %9d %8s %8s %9s",
                    cell((String) t.get("name")), t.get("dtype"),
                    java.util.Arrays.toString((long[]) t.get("shape")).replace(" ", ""),
                    (Long) t.get("parameters"), fmt(t.get("spectral_entropy_nats"), "%.4f"),
                    fmt(t.get("effective_rank"), "%.2f"), fmt(t.get("pruning_count"), "%d")));
            Map<String, Long> naive = (Map<String, Long>) t.getOrDefault("naive_bits", Map.of());
            for (String c : codecs) {
                row.append(String.format(" %10s", fmt(naive.get(c), "%d")));
            }
            if (t.containsKey("skipped")) {
                row.append("  - skipped: ").append(t.get("skipped"));
            }
            if (t.containsKey("error")) {
                row.append("  ! ").append(SafeTensors.printable((String) t.get("error")));
            }
            for (String note : (List<String>) t.getOrDefault("notes", List.of())) {
                row.append("  - ").append(note);
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
        if (summary.containsKey("skipped_tensors")) {
            Map<String, String> sk = (Map<String, String>) summary.get("skipped_tensors");
            out.println("skipped by the measures: " + sk.size() + " tensors, " + summary.get("skipped_parameters")
                    + " elements (not floating point: integers, BOOL, complex, sub-byte)");
        }
        if (summary.containsKey("non_finite_tensors")) {
            out.println("WARNING: non-finite values in " + names((List<String>) summary.get("non_finite_tensors"))
                    + "; spectral and pruning figures skip them");
        }
        if (summary.containsKey("spectral_entropy_failed")) {
            out.println("WARNING: no decomposition passed its checks for "
                    + names((List<String>) summary.get("spectral_entropy_failed")) + "; the spectral figures skip them");
        }
    }

    private static String names(List<String> names) {
        return names.stream().map(InspectCommand::cell).toList().toString();
    }

    private static String fmt(Object v, String format) {
        return v == null ? "-" : String.format(format, v);
    }
}
