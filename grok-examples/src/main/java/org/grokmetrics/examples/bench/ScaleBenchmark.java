package org.grokmetrics.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.grokmetrics.api.FunctionOracle;
import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.compress.CoarseGrainCompressor;
import org.grokmetrics.compress.CoarseGraining;
import org.grokmetrics.compress.QuadraticLoss;
import org.grokmetrics.dl4j.Dl4jModels;
import org.grokmetrics.examples.models.StableSilu;
import org.grokmetrics.examples.cli.GrokCli;
import org.grokmetrics.io.SafeTensors;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.lmn.LinearMappingNumber;
import org.grokmetrics.lmn.LinearMappingNumberEstimator;
import org.grokmetrics.spectral.SpectralEntropy;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * How the measures scale with the model: GPT-2-shaped snapshots (random N(0, 0.02&sup2;) weights, LayerNorm
 * gains 1, biases 0, the tensor names and shapes of {@code scripts/gpt2_shaped.py}) of about 0.4M, 7M,
 * 30M and 124M parameters, each case run in its own JVM so that its peak resident memory (VmHWM of
 * /proc/self/status) is its own: {@code grok inspect --json} of the file (the CLI's entry point),
 * the coarse-grained compressor's own cost (quadratic synthetic oracle, &epsilon; = 0.5), the spectral
 * entropy of every matrix, and the LMN of the preset's MLP block (d &rarr; 4d &rarr; d, a DL4J network evaluated
 * by ND4J through {@code Dl4jModels.subNetwork}) at N = 256 and 1024; beside {@code scripts/scale_reference.py} (NumPy: every matrix's singular values, one thread,
 * memory-mapped) on the same file in the same run.
 */
public final class ScaleBenchmark {

    /** A GPT-2-like shape: width d, layers, vocabulary and context (0: no embedding). */
    public record Preset(String label, int d, int layers, int vocab, int context) {

        /** Parameters of the snapshot. */
        public long parameters() {
            long p = (long) vocab * d + (long) context * d + 2L * d;
            return p + layers * (12L * d * d + 13L * d);
        }
    }

    /** Parameters above which the compressor's child JVM gets {@link #LARGE_MODEL_GC}. */
    static final long LARGE_MODEL = 50_000_000L;

    /**
     * 32 MB G1 regions for the compressor on a large model: an array of more than half a region is a humongous
     * object that G1 never moves, and with the 1 MB regions of a heap under 4 GB the embedding-sized arrays
     * fragmented it (124M: out of memory at -Xmx2600m with 1 MB regions, done at -Xmx2300m with 32 MB ones).
     * Smaller cases keep the default: larger regions cost them memory and time.
     */
    static final String LARGE_MODEL_GC = "-XX:G1HeapRegionSize=32m";

    /** The four sizes. */
    public static final List<Preset> PRESETS = List.of(
            new Preset("0.4M", 128, 2, 115, 4),
            new Preset("7M", 768, 1, 0, 0),
            new Preset("30M", 768, 4, 0, 1024),
            new Preset("124M", 768, 12, 50257, 1024));

    /**
     * One measured case: wall seconds, CPU seconds of the whole process (all threads; the figure that
     * matters when the machine is shared) and peak RSS (MiB), or why there is none.
     */
    public record Figure(double wallSeconds, double cpuSeconds, double peakMiB, String note) {
        static Figure none(String why) {
            return new Figure(Double.NaN, Double.NaN, Double.NaN, why);
        }

        String cell() {
            if (Double.isNaN(wallSeconds)) {
                return note;
            }
            return String.format(Locale.ROOT, "%.1f s (CPU %.1f s), %.0f MiB", wallSeconds, cpuSeconds, peakMiB)
                    + (note.isEmpty() ? "" : "; " + note);
        }
    }

    /** The figures of one preset. */
    public record Row(Preset preset, Figure numpy, Figure inspect, Figure compress, Figure spectral, Figure lmn256,
                      Figure lmn1024) {
    }

    public static final List<String> TASKS = List.of("inspect", "compress", "spectral", "lmn256", "lmn1024");

    private ScaleBenchmark() {
    }

    /** The snapshot of a preset (deterministic: seed 0). */
    public static ParameterSnapshot snapshot(Preset p) {
        SplittableRandom r = new SplittableRandom(0);
        List<Tensor> ts = new ArrayList<>();
        int d = p.d();
        if (p.vocab() > 0) {
            ts.add(gauss("wte.weight", r, p.vocab(), d));
        }
        if (p.context() > 0) {
            ts.add(gauss("wpe.weight", r, p.context(), d));
        }
        for (int i = 0; i < p.layers(); i++) {
            String h = "h." + i + ".";
            ts.add(ones(h + "ln_1.weight", d));
            ts.add(Tensor.vector(h + "ln_1.bias", new float[d]));
            ts.add(gauss(h + "attn.c_attn.weight", r, d, 3 * d));
            ts.add(Tensor.vector(h + "attn.c_attn.bias", new float[3 * d]));
            ts.add(gauss(h + "attn.c_proj.weight", r, d, d));
            ts.add(Tensor.vector(h + "attn.c_proj.bias", new float[d]));
            ts.add(ones(h + "ln_2.weight", d));
            ts.add(Tensor.vector(h + "ln_2.bias", new float[d]));
            ts.add(gauss(h + "mlp.c_fc.weight", r, d, 4 * d));
            ts.add(Tensor.vector(h + "mlp.c_fc.bias", new float[4 * d]));
            ts.add(gauss(h + "mlp.c_proj.weight", r, 4 * d, d));
            ts.add(Tensor.vector(h + "mlp.c_proj.bias", new float[d]));
        }
        ts.add(ones("ln_f.weight", d));
        ts.add(Tensor.vector("ln_f.bias", new float[d]));
        return ParameterSnapshot.of(ts);
    }

    private static Tensor gauss(String name, SplittableRandom r, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.02 * JavaMlp.gaussian(r));
        }
        return Tensor.matrix(name, rows, cols, v);
    }

    private static Tensor ones(String name, int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return Tensor.vector(name, v);
    }

    /**
     * Runs the {@code tasks} ("numpy" and {@link #TASKS}) of every preset in {@code labels}, each in a child JVM with {@code -Xmx} of
     * {@code heap} and at most {@code timeoutSeconds}; files go to {@code dir}.
     */
    public static List<Row> run(List<String> labels, List<String> tasks, Path dir, String heap, long timeoutSeconds,
                                Path repo) throws IOException, InterruptedException {
        for (String t : tasks) {
            if (!TASKS.contains(t) && !t.equals("numpy")) {
                throw new IllegalArgumentException("unknown scale task '" + t + "'; known: numpy, " + String.join(", ", TASKS));
            }
        }
        Files.createDirectories(dir);
        List<Row> rows = new ArrayList<>();
        Map<String, String> lmnByWidth = new java.util.HashMap<>();
        for (Preset p : PRESETS) {
            if (!labels.contains(p.label())) {
                continue;
            }
            Path file = dir.resolve("gpt2-shaped-" + p.label() + ".safetensors");
            if (!Files.exists(file)) {
                SafeTensors.write(file, snapshot(p), Map.of("made_by", "grok bench --suite scale", "preset", p.label()));
            }
            System.out.printf(Locale.ROOT, "scale %s: %,d parameters, %s%n", p.label(), p.parameters(), file);
            Figure numpy = tasks.contains("numpy") ? numpy(repo, file, timeoutSeconds) : Figure.none("not run");
            System.out.println("  numpy     " + numpy.cell());
            Figure[] f = new Figure[TASKS.size()];
            for (int i = 0; i < TASKS.size(); i++) {
                String task = TASKS.get(i);
                // the LMN cases depend on the width d alone (the d -> 4d -> d block): measured once per width
                String lmnKey = task + "/" + p.d();
                if (!tasks.contains(task)) {
                    f[i] = Figure.none("not run");
                } else if (task.startsWith("lmn") && lmnByWidth.containsKey(lmnKey)) {
                    f[i] = Figure.none("the same d = " + p.d() + " block as " + lmnByWidth.get(lmnKey));
                } else {
                    f[i] = child(task, p, file, heap, timeoutSeconds);
                    if (task.startsWith("lmn")) {
                        lmnByWidth.put(lmnKey, p.label());
                    }
                }
                System.out.printf(Locale.ROOT, "  %-9s %s%n", task, f[i].cell());
            }
            rows.add(new Row(p, numpy, f[0], f[1], f[2], f[3], f[4]));
        }
        return rows;
    }

    /** {@code python3 scripts/scale_reference.py FILE}: "wall_s rss_mib numpy_version", or why not. */
    static Figure numpy(Path repo, Path file, long timeoutSeconds) throws IOException, InterruptedException {
        Path script = repo.resolve("scripts/scale_reference.py");
        if (!Files.exists(script)) {
            return Figure.none("no " + script);
        }
        ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), file.toString());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("MKL_NUM_THREADS", "1");
        Optional<String> out = runFor(pb, timeoutSeconds);
        if (out.isEmpty()) {
            return Figure.none("NumPy reference did not finish in " + timeoutSeconds + " s");
        }
        String last = lastLine(out.get());
        if (!last.startsWith("RESULT ")) {
            return Figure.none("NumPy reference skipped: " + last);
        }
        String[] w = last.substring(7).trim().split("\\s+");
        return new Figure(Double.parseDouble(w[0]), Double.parseDouble(w[1]), Double.parseDouble(w[2]), w[3]);
    }

    /** One task in a child JVM (this class's {@link #main}). */
    static Figure child(String task, Preset p, Path file, String heap, long timeoutSeconds)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        if (task.equals("compress") && p.parameters() > LARGE_MODEL) {
            command.add(LARGE_MODEL_GC);
        }
        command.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                ScaleBenchmark.class.getName(), task, p.label(), file.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        if (task.startsWith("lmn")) {
            // the LMN cases are ND4J's matrix products of a 768 -> 3072 -> 768 block: BLAS on every core, as a user's
            // default ND4J runs (the launcher's one thread is for small models)
            pb.environment().put("OMP_NUM_THREADS", String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
        Optional<String> out = runFor(pb, timeoutSeconds);
        if (out.isEmpty()) {
            return Figure.none("not finished in " + timeoutSeconds + " s");
        }
        String last = lastLine(out.get());
        if (!last.startsWith("RESULT ")) {
            return Figure.none("failed: " + failure(out.get()));
        }
        String[] w = last.substring(7).trim().split("\\s+", 4);
        return new Figure(Double.parseDouble(w[0]), Double.parseDouble(w[1]), Double.parseDouble(w[2]),
                w.length > 3 ? w[3] : "");
    }

    private static Optional<String> runFor(ProcessBuilder pb, long timeoutSeconds) throws IOException, InterruptedException {
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        StringBuilder sb = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = proc.getInputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (sb) {
                        sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        if (sb.length() > 1 << 16) {
                            sb.delete(0, sb.length() - (1 << 15));
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        if (!proc.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            proc.waitFor();
            reader.join();
            return Optional.empty();
        }
        reader.join();
        synchronized (sb) {
            return Optional.of(sb.toString());
        }
    }

    /** The first line naming an exception or error (not a stack frame), else the last line. */
    static String failure(String output) {
        for (String line : output.strip().split("\n")) {
            String l = line.strip();
            if (!l.startsWith("at ") && (l.contains("Exception") || l.contains("Error"))) {
                return l.length() > 200 ? l.substring(0, 200) + "…" : l;
            }
        }
        return lastLine(output);
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    /**
     * Child entry point: {@code TASK PRESET FILE}; prints {@code RESULT wall_s cpu_s peak_MiB [note]} as its
     * last line (wall and process CPU time of the task alone, after the JVM started; peak RSS of the whole
     * process).
     */
    public static void main(String[] args) throws Exception {
        String task = args[0];
        Preset p = PRESETS.stream().filter(x -> x.label().equals(args[1])).findFirst().orElseThrow();
        Path file = Path.of(args[2]);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        String note = switch (task) {
            case "inspect" -> {
                var out = new java.io.PrintWriter(java.io.OutputStream.nullOutputStream());
                var cli = GrokCli.commandLine();
                cli.setOut(out);
                int rc = cli.execute("inspect", "--json", file.toString());
                if (rc != 0) {
                    throw new IllegalStateException("grok inspect exited with " + rc);
                }
                yield "";
            }
            case "compress" -> {
                ParameterSnapshot w = SafeTensors.read(file);
                start = System.nanoTime();
                cpu = os.getProcessCpuTime();
                CoarseGraining g = CoarseGrainCompressor.of(0.5).compress(w, QuadraticLoss.around(w, 1, 1e4));
                var t = g.timings();
                yield String.format(Locale.ROOT, "own %.1f s, %d evaluations, %d bits", t.ownNanos() / 1e9,
                        g.lossEvaluations(), g.bits());
            }
            case "spectral" -> {
                ParameterSnapshot w = SafeTensors.read(file);
                start = System.nanoTime();
                cpu = os.getProcessCpuTime();
                LinearAlgebra la = LinearAlgebra.getDefault();
                double sum = w.tensors().parallelStream().filter(Tensor::isMatrix)
                        .mapToDouble(t -> SpectralEntropy.analyze(t, false, la).entropy()).sum();
                yield String.format(Locale.ROOT, "%s, sum of H %.4f", la.name(), sum);
            }
            case "lmn256", "lmn1024" -> {
                int n = task.equals("lmn256") ? 256 : 1024;
                // the block as a user has it: a DL4J network, its sub-network from the first dense layer (factored:
                // the d -> 4d affine part is interpolated after it, the rest evaluated by ND4J)
                FunctionOracle mlp = Dl4jModels.subNetwork(mlpBlock(p.d()), 0);
                double[][] pts = new double[n][p.d()];
                SplittableRandom r = new SplittableRandom(2);
                for (double[] row : pts) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = JavaMlp.gaussian(r);
                    }
                }
                start = System.nanoTime();
                cpu = os.getProcessCpuTime();
                LinearMappingNumber.Result res = LinearMappingNumberEstimator.of(
                        LinearMappingNumber.Options.defaults().withSampleCount(0)).analyze(mlp, pts);
                yield String.format(Locale.ROOT, "d %d, LMN %.4g", p.d(), res.lmn());
            }
            default -> throw new IllegalArgumentException("unknown task " + task);
        };
        double wall = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
        System.out.flush();
        System.out.printf(Locale.ROOT, "%nRESULT %.3f %.3f %.1f %s%n", wall, cpuSeconds, peakMiB(), note);
        System.exit(0);
    }

    /** A GPT-2 MLP block as a DL4J network: d &rarr; 4d (SiLU) &rarr; d, float32, Xavier weights (seed 1). */
    static MultiLayerNetwork mlpBlock(int d) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(d).nOut(4 * d).activation(new StableSilu()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4 * d).nOut(d)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** VmHWM of /proc/self/status in MiB, NaN where there is none. */
    static double peakMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    public static String markdown(List<Row> rows, String heap) {
        StringBuilder sb = new StringBuilder();
        sb.append("Each cell: wall time of the task (after its JVM started; NumPy: after import), in brackets the"
                + " CPU time of its whole process (all threads), and its peak RSS (VmHWM; child JVMs with -Xmx")
                .append(heap).append(", and " + LARGE_MODEL_GC + " for the compressor above 50M parameters). The ratio column is inspect's CPU time over NumPy's.\n\n");
        sb.append("| preset | parameters | NumPy: all singular values | grok inspect --json | inspect / NumPy (CPU) "
                + "| compressor (quadratic oracle) | spectral entropy, all matrices | LMN N = 256 | LMN N = 1024 |\n"
                + "|---|---:|---|---|---:|---|---|---|---|\n");
        for (Row r : rows) {
            double ratio = r.inspect().cpuSeconds() / r.numpy().cpuSeconds();
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s | %s |%n", r.preset().label(),
                    r.preset().parameters(), r.numpy().cell(), r.inspect().cell(),
                    Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio), r.compress().cell(),
                    r.spectral().cell(), r.lmn256().cell(), r.lmn1024().cell()));
        }
        return sb.toString();
    }
}
