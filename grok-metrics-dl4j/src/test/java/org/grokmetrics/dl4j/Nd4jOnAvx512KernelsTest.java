package org.grokmetrics.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.grokmetrics.api.Tensor;
import org.grokmetrics.linalg.EjmlLinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.linalg.LinearAlgebraSelfCheck;
import org.grokmetrics.linalg.MatrixCases;
import org.grokmetrics.spectral.SpectralEntropy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The defect behind the provider self-check, reproduced: ND4J 1.0.0-M2.1 ships OpenBLAS 0.3.19, which
 * picks its kernels from the CPU at load time. Its AVX-512 kernels (core types SkylakeX and Cooperlake,
 * chosen on Skylake-SP, Cascade Lake, Cooper Lake and Ice Lake servers) make LAPACK's blocked paths
 * return wrong singular values, different on each call. On CPUs with AVX-512 this test forces those
 * kernels ({@code OPENBLAS_CORETYPE}) in a child JVM and checks that the default linear algebra there
 * still gives the pure-Java spectral entropy of GPT-2-sized matrices. Skipped on CPUs without AVX-512
 * (the kernels cannot run there).
 */
class Nd4jOnAvx512KernelsTest {

    /** The child JVM: prints key=value lines. */
    public static void main(String[] args) {
        Nd4jLinearAlgebra lapack = Nd4jLinearAlgebra.lapackOnly();
        System.out.println("lapackSelfCheck=" + LinearAlgebraSelfCheck.failure(lapack).orElse("passed"));
        System.out.println("default=" + LinearAlgebra.getDefault().name());
        System.out.println("selection=" + LinearAlgebra.selection().describe());
        int[][] shapes = {{3072, 768}, {768, 2304}, {512, 256}};
        for (int[] sh : shapes) {
            float[] w = new float[sh[0] * sh[1]];
            double[] a = MatrixCases.splitmix(sh[0], sh[1], sh[0] + sh[1]);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) a[i];
            }
            Tensor t = Tensor.matrix("w", sh[0], sh[1], w);
            double viaDefault = SpectralEntropy.entropy(t);
            double viaEjml = SpectralEntropy.analyze(t, false, new EjmlLinearAlgebra()).entropy();
            double lapackS0 = lapack.singularValues(sh[0], sh[1], a)[0];
            double ejmlS0 = new EjmlLinearAlgebra().singularValues(sh[0], sh[1], a)[0];
            System.out.println("entropy." + sh[0] + "x" + sh[1] + "=" + viaDefault + "," + viaEjml);
            System.out.println("lapackSigma1." + sh[0] + "x" + sh[1] + "=" + lapackS0 + "," + ejmlS0);
        }
    }

    @ParameterizedTest(name = "OPENBLAS_CORETYPE={0}")
    @ValueSource(strings = {"SkylakeX", "Cooperlake"})
    void theDefaultIsRightUnderAvx512Kernels(String coreType) throws Exception {
        Assumptions.assumeTrue(cpuFlags().contains(coreType.equals("Cooperlake") ? "avx512_bf16" : "avx512f"),
                "this CPU cannot run OpenBLAS's " + coreType + " kernels");
        Map<String, String> out = runChild(coreType);
        for (String shape : List.of("3072x768", "768x2304", "512x256")) {
            String[] h = out.get("entropy." + shape).split(",");
            assertEquals(Double.parseDouble(h[1]), Double.parseDouble(h[0]), 1e-12,
                    shape + " spectral entropy through the default (" + out.get("selection") + ")");
        }
        if (!out.get("lapackSelfCheck").equals("passed")) {
            assertEquals("ejml", out.get("default"), out.get("selection"));
            assertTrue(out.get("selection").contains("nd4j-lapack+ejml (self-check failed"), out.get("selection"));
        }
        // the reproduction itself, so the day a fixed OpenBLAS arrives shows up here
        String[] s = out.get("lapackSigma1.512x256").split(",");
        System.out.printf("%s: LAPACK sigma_1 of 512x256 %s, EJML %s; self-check: %s%n", coreType, s[0], s[1],
                out.get("lapackSelfCheck"));
    }

    private static Map<String, String> runChild(String coreType) throws IOException, InterruptedException {
        Path log = Files.createTempFile("grok-avx512-", ".txt");
        try {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Djavacpp.platform=" + System.getProperty("javacpp.platform", "linux-x86_64"),
                    Nd4jOnAvx512KernelsTest.class.getName()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("OPENBLAS_CORETYPE", coreType);
            pb.environment().put("OMP_NUM_THREADS", "1");
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM timed out: " + Files.readString(log));
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), text);
            return text.lines().filter(l -> l.matches("[A-Za-z0-9.]+=.*"))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                            (x, y) -> y));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String cpuFlags() throws IOException {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return "";
        }
        return Files.readAllLines(info).stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
    }
}
