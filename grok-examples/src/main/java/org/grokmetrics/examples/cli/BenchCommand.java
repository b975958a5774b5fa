package org.grokmetrics.examples.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.grokmetrics.dl4j.Nd4jLinearAlgebra;
import org.grokmetrics.examples.bench.ArchitectureListenerBenchmark;
import org.grokmetrics.examples.bench.CodecBenchmark;
import org.grokmetrics.examples.bench.CompressorBenchmark;
import org.grokmetrics.examples.bench.DocsSection;
import org.grokmetrics.examples.bench.GramValuesBenchmark;
import org.grokmetrics.examples.bench.LinalgBenchmark;
import org.grokmetrics.examples.bench.DjlBenchmark;
import org.grokmetrics.examples.bench.ListenerBenchmark;
import org.grokmetrics.examples.bench.LmnBenchmark;
import org.grokmetrics.examples.train.Range;
import org.grokmetrics.examples.bench.ScaleBenchmark;
import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebra;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code grok bench}: timing figures for docs/performance.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs benchmarks and prints their figures; with --write, also replaces the matching "
                + "generated sections of a Markdown file (docs/performance.md).",
            "Suites: linalg (spectral entropy and gradient, pure Java vs ND4J LAPACK), codecs (throughput, ratio), "
                + "lmn (linear mapping number of a 100->100->31 MLP, N = 64..512), compress (coarse-grained complexity: "
                + "tightness against paper mode and an exhaustive grid, own cost), listener (DL4J training-time overhead), djl-listener (the same on DJL), djl-spectral (spectral-entropy "
                + "loss per step on a 2-layer transformer), gram-values (singular values of GPT-2's matrix shapes: EJML SVD "
                + "against the Gram path, CPU time), scale (GPT-2-shaped 0.4M..124M parameters: inspect, compressor, "
                + "spectral entropy, LMN, wall time and peak RSS per case in its own JVM, beside NumPy; not in the default "
                + "set, it takes long)."},
        footer = {"", "Example (one thread, as in docs/performance.md):",
            "  OMP_NUM_THREADS=1 ./grok bench --suite linalg,codecs --write docs/performance.md"})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--suite", split = ",", defaultValue = "linalg,codecs,lmn,compress,listener,djl-listener,djl-spectral",
            description = "suites to run: linalg, codecs, lmn, compress, listener, listener-architectures (not in the "
                    + "default), djl-listener, djl-spectral, gram-values, scale "
                + "(default: ${DEFAULT-VALUE})")
    List<String> suites;

    @Option(names = "--sizes", split = ",", defaultValue = "128,256,512,1024",
            description = "square matrix sizes for linalg, each in " + SIZES + " (default: ${DEFAULT-VALUE})")
    int[] sizes;

    @Option(names = "--lmn-sizes", split = ",", defaultValue = "64,128,256,512",
            description = "sample counts N for the lmn suite, each in " + LMN_SIZES + " (default: ${DEFAULT-VALUE})")
    int[] lmnSizes;

    @Option(names = "--listener-iterations", defaultValue = "2000",
            description = "training iterations per condition for the listener suite, in " + ITERATIONS
                + " (default: ${DEFAULT-VALUE})")
    int listenerIterations;

    @Option(names = "--listener-architecture-iterations", defaultValue = "300",
            description = "training iterations per condition for the listener-architectures suite (default: ${DEFAULT-VALUE})")
    int listenerArchitectureIterations;

    @Option(names = "--transformer-steps", defaultValue = "60",
            description = "optimiser steps per condition for the djl-spectral suite, in " + ITERATIONS
                + " (default: ${DEFAULT-VALUE})")
    int transformerSteps;

    @Option(names = "--weights-dir", defaultValue = "examples",
            description = "folder with the shipped mod31-mlp checkpoints, for the compress suite (default: ${DEFAULT-VALUE})")
    Path weightsDir;

    @Option(names = "--scale-sizes", split = ",", defaultValue = "0.4M,7M,30M,124M",
            description = "presets of the scale suite (default: ${DEFAULT-VALUE})")
    List<String> scaleSizes;

    @Option(names = "--scale-tasks", split = ",", defaultValue = "numpy,inspect,compress,spectral,lmn256,lmn1024",
            description = "cases of the scale suite (default: ${DEFAULT-VALUE})")
    List<String> scaleTasks;

    @Option(names = "--scale-timeout", defaultValue = "1200",
            description = "seconds each case of the scale suite may take (default: ${DEFAULT-VALUE})")
    long scaleTimeout;

    @Option(names = "--scale-heap", defaultValue = "6g",
            description = "-Xmx of the scale suite's child JVMs (default: ${DEFAULT-VALUE})")
    String scaleHeap;

    @Option(names = "--scale-dir", defaultValue = "grok-examples/target/scale",
            description = "where the scale suite writes its safetensors files (default: ${DEFAULT-VALUE})")
    Path scaleDir;

    @Option(names = "--write", paramLabel = "FILE", description = "Markdown file whose generated sections to update")
    Path write;

    static final String SIZES = "[1, 8192]";
    static final String LMN_SIZES = "[2, 4096]";
    static final String ITERATIONS = "[1, 10000000]";
    /** Every suite {@link #call} runs, in the order of its switch: the one list validation and messages use. */
    static final List<String> SUITES = List.of("linalg", "codecs", "lmn", "compress", "listener",
            "listener-architectures", "djl-listener", "djl-spectral", "gram-values", "scale");

    @Spec
    CommandSpec spec;

    /** Every option checked before any suite runs. */
    private void validate() {
        GrokCli.fromOptions(spec, () -> {
            for (String suite : suites) {
                if (!SUITES.contains(suite.trim())) {
                    throw new IllegalArgumentException("unknown suite '" + suite
                            + "'; known: " + String.join(", ", SUITES));
                }
            }
            for (int n : sizes) {
                Range.of(SIZES).check("--sizes", (long) n);
            }
            for (int n : lmnSizes) {
                Range.of(LMN_SIZES).check("--lmn-sizes", (long) n);
            }
            Range.of(ITERATIONS).check("--listener-iterations", (long) listenerIterations);
            Range.of(ITERATIONS).check("--transformer-steps", (long) transformerSteps);
            List<String> presets = ScaleBenchmark.PRESETS.stream().map(ScaleBenchmark.Preset::label).toList();
            for (String size : scaleSizes) {
                if (!presets.contains(size)) {
                    throw new IllegalArgumentException("unknown --scale-sizes preset '" + size + "'; known: "
                            + String.join(", ", presets));
                }
            }
            List<String> tasks = new ArrayList<>(List.of("numpy"));
            tasks.addAll(ScaleBenchmark.TASKS);
            for (String task : scaleTasks) {
                if (!tasks.contains(task)) {
                    throw new IllegalArgumentException("unknown --scale-tasks case '" + task + "'; known: "
                            + String.join(", ", tasks));
                }
            }
            return null;
        });
    }

    @Override
    public Integer call() throws Exception {
        validate();
        String env = String.format("%s, Java %s, %d available processors, OMP_NUM_THREADS=%s, %s", LocalDate.now(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), System.getProperty("os.arch"));
        for (String suite : suites) {
            switch (suite.trim()) {
                case "linalg" -> {
                    List<LinearAlgebra> providers = new ArrayList<>();
                    providers.add(new EjmlLinearAlgebra());
                    try {
                        providers.add(Nd4jLinearAlgebra.lapackOnly());
                        providers.add(new Nd4jLinearAlgebra());
                    } catch (RuntimeException | LinkageError e) {
                        System.out.println("  (ND4J LAPACK not available: " + e + ")");
                    }
                    providers.add(LinearAlgebra.getDefault());
                    String choice = LinearAlgebra.selection().describe();
                    System.out.println("linalg: spectral entropy (+ gradient), square n x n, median ms, one thread");
                    System.out.println("  default linear algebra: " + choice);
                    var rows = LinalgBenchmark.run(providers, sizes);
                    String overhead = LinalgBenchmark.checkOverhead(LinearAlgebra.getDefault(), sizes);
                    System.out.print(overhead);
                    if (write != null) {
                        DocsSection.write(write, "linalg", "Measured " + env + " with `OMP_NUM_THREADS=1 ./grok bench "
                                + "--suite linalg --sizes " + java.util.Arrays.stream(sizes).mapToObj(String::valueOf)
                                .collect(java.util.stream.Collectors.joining(",")) + " --write docs/performance.md`; the default linear algebra was `" + choice
                                + "`:\n\n" + LinalgBenchmark.markdown(rows) + overhead);
                    }
                    System.out.print(LinalgBenchmark.markdown(rows));
                }
                case "codecs" -> {
                    System.out.println("codecs: 1,000,000 values");
                    var rows = CodecBenchmark.run(1_000_000);
                    if (write != null) {
                        DocsSection.write(write, "codecs", "Measured " + env + " with `./grok bench --suite codecs "
                                + "--write docs/performance.md` (1,000,000 values):\n\n" + CodecBenchmark.markdown(rows));
                    }
                }
                case "lmn" -> {
                    System.out.println("lmn: Java 100->100->31 SiLU MLP, T = 21, one thread");
                    var rows = LmnBenchmark.run(lmnSizes);
                    if (write != null) {
                        DocsSection.write(write, "lmn", "Measured " + env + " with `./grok bench --suite lmn "
                                + "--write docs/performance.md`:\n\n" + LmnBenchmark.markdown(rows));
                    }
                    System.out.print(LmnBenchmark.markdown(rows));
                }
                case "compress" -> {
                    System.out.println("compress: coarse-grained complexity on " + weightsDir);
                    var rows = CompressorBenchmark.tightness(weightsDir, new double[] {1.0, 0.1}, 12);
                    var cost = CompressorBenchmark.ownCost(3);
                    String md = CompressorBenchmark.markdown(rows, cost);
                    if (write != null) {
                        DocsSection.write(write, "compress", "Measured " + env + " with `./grok bench --suite compress "
                                + "--write docs/performance.md`:\n\n" + md);
                    }
                    System.out.print(md);
                }
                case "listener" -> {
                    System.out.println("listener: DL4J LMN-paper MLP, a+b mod 31, estimates every 100 iterations");
                    var rows = ListenerBenchmark.run(listenerIterations);
                    String md = ListenerBenchmark.markdown(rows);
                    if (write != null) {
                        DocsSection.write(write, "listener", "Measured " + env + " with `./grok bench --suite listener "
                                + "--write docs/performance.md`:\n\n" + md);
                    }
                    System.out.print(md);
                }
                case "listener-architectures" -> {
                    System.out.println("listener-architectures: DL4J CNN + batch norm and LSTM, full batch, default "
                            + "estimators every 10 iterations, with and without maxOverhead(0.10)");
                    String md = ArchitectureListenerBenchmark.markdown(ArchitectureListenerBenchmark.run(
                            listenerArchitectureIterations));
                    if (write != null) {
                        DocsSection.write(write, "listener-architectures", "Measured " + env + " with `./grok bench "
                                + "--suite listener-architectures --write docs/performance.md`:\n\n" + md);
                    }
                    System.out.print(md);
                }
                case "djl-listener" -> {
                    System.out.println("djl-listener: DJL MLP 62-100-100-31 (SiLU), a+b mod 31, full batch, estimates "
                            + "every 100 steps");
                    String md = DjlBenchmark.listenerMarkdown(DjlBenchmark.listener(listenerIterations));
                    if (write != null) {
                        DocsSection.write(write, "djl-listener", "Measured " + env + " with `./grok bench --suite "
                                + "djl-listener --write docs/performance.md`:\n\n" + md);
                    }
                    System.out.print(md);
                }
                case "djl-spectral" -> {
                    System.out.println("djl-spectral: 2-layer transformer (d 128, 4 heads, MLP 512), mod 97, batch 512");
                    String md = DjlBenchmark.stepMarkdown(DjlBenchmark.spectralLoss(transformerSteps));
                    if (write != null) {
                        DocsSection.write(write, "djl-spectral", "Measured " + env + " with `./grok bench --suite "
                                + "djl-spectral --write docs/performance.md`:\n\n" + md);
                    }
                    System.out.print(md);
                }
                case "gram-values" -> {
                    System.out.println("gram-values: singular values of GPT-2-shaped matrices, EJML SVD vs Gram path, CPU time");
                    String md = GramValuesBenchmark.markdown(GramValuesBenchmark.run());
                    if (write != null) {
                        DocsSection.write(write, "gram-values", "Measured " + env + " with `./grok bench --suite "
                                + "gram-values --write docs/performance.md`:\n\n" + md);
                    }
                    System.out.print(md);
                }
                case "scale" -> {
                    System.out.println("scale: GPT-2-shaped snapshots " + scaleSizes + ", each case in its own JVM");
                    var rows = ScaleBenchmark.run(scaleSizes, scaleTasks, scaleDir, scaleHeap, scaleTimeout, Path.of(""));
                    String md = ScaleBenchmark.markdown(rows, scaleHeap);
                    if (write != null) {
                        DocsSection.write(write, "scale", "Measured " + env + " with `./grok bench --suite scale "
                                + "--scale-sizes " + String.join(",", scaleSizes) + " --scale-tasks "
                                + String.join(",", scaleTasks) + " --scale-timeout " + scaleTimeout
                                + " --scale-heap " + scaleHeap + " --write docs/performance.md`:\n\n" + md);
                    }
                    System.out.print(md);
                }
                default -> throw new IllegalStateException("suite '" + suite + "' is in SUITES but has no case");
            }
        }
        return 0;
    }
}
