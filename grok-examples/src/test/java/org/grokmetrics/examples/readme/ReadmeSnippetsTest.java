package org.grokmetrics.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.grokmetrics.api.ComplexityEstimate;
import org.junit.jupiter.api.Test;

/**
 * README.md's Java snippets compile: each block marked {@code <!-- snippet: Name -->} equals
 * {@code Name.java} in this package (its imports exactly, so the README's are complete, and the class
 * body), which the build compiles; the framework-free ones also run.
 */
class ReadmeSnippetsTest {

    static final Path README = Path.of("..", "README.md");
    static final Path HERE = Path.of("src", "test", "java", "org", "grokmetrics", "examples", "readme");
    static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\w+) -->$");
    static final Pattern CLASS = Pattern.compile("^final class (\\w+) \\{$");

    record Snippet(List<String> imports, List<String> body) {
    }

    static Map<String, Snippet> readme() throws IOException {
        List<String> lines = Files.readAllLines(README);
        Map<String, Snippet> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i));
            if (m.matches()) {
                assertEquals("```java", lines.get(i + 1), "a java block follows the marker of " + m.group(1));
                int end = i + 2;
                while (!lines.get(end).equals("```")) {
                    end++;
                }
                assertFalse(out.containsKey(m.group(1)), "one block per snippet: " + m.group(1));
                out.put(m.group(1), split(lines.subList(i + 2, end)));
            }
        }
        return out;
    }

    /** Import lines, then the rest (blank lines around it dropped). */
    static Snippet split(List<String> lines) {
        List<String> imports = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && (lines.get(i).startsWith("import ") || lines.get(i).isBlank())) {
            if (!lines.get(i).isBlank()) {
                imports.add(lines.get(i));
            }
            i++;
        }
        return new Snippet(imports, trim(lines.subList(i, lines.size())));
    }

    static List<String> trim(List<String> lines) {
        int a = 0;
        int b = lines.size();
        while (a < b && lines.get(a).isBlank()) {
            a++;
        }
        while (b > a && lines.get(b - 1).isBlank()) {
            b--;
        }
        return lines.subList(a, b).stream().map(String::stripTrailing).toList();
    }

    /** The imports and the class body (dedented by one level) of a snippet file. */
    static Snippet file(Path java) throws IOException {
        List<String> lines = Files.readAllLines(java);
        List<String> imports = lines.stream().filter(l -> l.startsWith("import ")).toList();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (CLASS.matcher(lines.get(i)).matches()) {
                start = i + 1;
            }
        }
        assertTrue(start > 0, java + " declares 'final class Name {'");
        int end = lines.size() - 1;
        while (!lines.get(end).equals("}")) {
            end--;
        }
        List<String> body = new ArrayList<>();
        for (String l : trim(lines.subList(start, end))) {
            assertTrue(l.isEmpty() || l.startsWith("    "), java + ": indented body line: " + l);
            body.add(l.isEmpty() ? l : l.substring(4));
        }
        return new Snippet(imports, body);
    }

    @Test
    void everyReadmeSnippetIsACompiledFile() throws IOException {
        Map<String, Snippet> snippets = readme();
        assertTrue(snippets.size() >= 5, "snippets in README: " + snippets.keySet());
        for (var e : snippets.entrySet()) {
            Path java = HERE.resolve(e.getKey() + ".java");
            assertTrue(Files.exists(java), "README snippet " + e.getKey() + " has no " + java);
            Snippet compiled = file(java);
            assertEquals(compiled.imports(), e.getValue().imports(), e.getKey() + ": imports");
            assertEquals(compiled.body(), e.getValue().body(), e.getKey() + ": code");
        }
    }

    @Test
    void everySnippetFileIsInTheReadme() throws IOException {
        Map<String, Snippet> snippets = readme();
        try (Stream<Path> files = Files.list(HERE)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith("Snippet.java")).toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                assertTrue(snippets.containsKey(name), name + " is not in README.md");
            }
        }
    }

    @Test
    void librarySnippetRuns() {
        Random rnd = new Random(7);
        float[] w = new float[100 * 64];
        float[] b = new float[100];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        ComplexityEstimate e = LibrarySnippet.measure(w, b);
        assertTrue(e.succeeded(), e.failure().orElse(""));
        // a 100x64 Gaussian matrix is far from low rank: entropy close to ln 64 = 4.16 nats
        assertTrue(e.value() > 3.5 && e.value() < Math.log(64), "spectral entropy " + e.value());
    }

    @Test
    void lmnSnippetRunsAndALinearMapHasLmnOne() {
        Random rnd = new Random(8);
        double[][] points = new double[40][3];
        for (double[] p : points) {
            for (int j = 0; j < 3; j++) {
                p[j] = rnd.nextGaussian();
            }
        }
        double lmn = LmnSnippet.lmn(rows -> {
            double[][] out = new double[rows.length][2];
            for (int i = 0; i < rows.length; i++) {
                out[i][0] = 2 * rows[i][0] - rows[i][1];
                out[i][1] = rows[i][2] + 0.5 * rows[i][0];
            }
            return out;
        }, points);
        assertEquals(1.0, lmn, 1e-6);
    }
}
