package org.grokmetrics.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Replaces one generated section of a Markdown file, delimited by
 * {@code <!-- bench:ID:start -->} and {@code <!-- bench:ID:end -->}; appends it if absent.
 */
public final class DocsSection {

    private DocsSection() {
    }

    public static void write(Path file, String id, String body) throws IOException {
        String start = "<!-- bench:" + id + ":start -->";
        String end = "<!-- bench:" + id + ":end -->";
        String block = start + "\n" + body.strip() + "\n" + end;
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Performance\n";
        int s = text.indexOf(start);
        int e = text.indexOf(end);
        String updated;
        if (s >= 0 && e > s) {
            updated = text.substring(0, s) + block + text.substring(e + end.length());
        } else {
            updated = text.stripTrailing() + "\n\n" + block + "\n";
        }
        Files.writeString(file, updated, StandardCharsets.UTF_8);
    }
}
