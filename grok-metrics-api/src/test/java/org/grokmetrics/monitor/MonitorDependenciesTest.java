package org.grokmetrics.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The monitor is framework- and estimator-agnostic: its main sources use {@code org.grokmetrics.api} and
 * their own package only, never a concrete measure ({@code spectral}, {@code mdl}, {@code compress},
 * {@code lmn}, {@code codec}) nor anything else of grok-metrics. Default estimators belong in
 * {@code org.grokmetrics.listener}.
 */
class MonitorDependenciesTest {

    private static final Set<String> ALLOWED = Set.of("api", "monitor");
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.grokmetrics\\.(\\w+)");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    static Path sources() {
        for (String root : List.of("src/main/java", "grok-metrics-api/src/main/java")) {
            Path p = Path.of(root, "org", "grokmetrics", "monitor");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new AssertionError("monitor sources not found from " + Path.of("").toAbsolutePath());
    }

    /** Every package of grok-metrics named outside comments (imports and fully qualified names alike). */
    static List<String> violations(String file, String source) {
        String code = COMMENT.matcher(source).replaceAll(" ");
        List<String> out = new ArrayList<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            if (!ALLOWED.contains(m.group(1))) {
                out.add(file + ": org.grokmetrics." + m.group(1));
            }
        }
        return out;
    }

    @Test
    void monitorUsesOnlyTheApi() throws IOException {
        List<String> bad = new ArrayList<>();
        List<String> read = new ArrayList<>();
        try (Stream<Path> files = Files.list(sources())) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                read.add(f.getFileName().toString());
                bad.addAll(violations(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8)));
            }
        }
        assertTrue(read.contains("ComplexityMonitor.java"), "read " + read);
        assertEquals(List.of(), bad, "org.grokmetrics.monitor may use org.grokmetrics.api only");
    }

    @Test
    void theCheckSeesImportsAndQualifiedNamesButNotComments() {
        String src = "package org.grokmetrics.monitor;\n"
                + "import org.grokmetrics.api.Failures;\n"
                + "import static org.grokmetrics.lmn.LinearMappingNumber.lmn;\n"
                + "/** See {@link org.grokmetrics.listener.ListenerBuilder}. */\n"
                + "class X { // org.grokmetrics.codec in a comment\n"
                + "  Object e = org.grokmetrics.spectral.SpectralEntropyEstimator.of();\n"
                + "}\n";
        assertEquals(List.of("X.java: org.grokmetrics.lmn", "X.java: org.grokmetrics.spectral"),
                violations("X.java", src));
    }
}
