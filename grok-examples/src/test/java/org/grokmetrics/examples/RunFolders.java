package org.grokmetrics.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers for run folders. */
public final class RunFolders {

    private RunFolders() {
    }

    /** A metrics.csv without its wall-time columns (elapsed_ms and every *.seconds), for exact comparisons. */
    public static List<String> withoutTimes(Path csv) throws IOException {
        return withoutTimes(Files.readAllLines(csv));
    }

    /** CSV lines without elapsed_ms and every *.seconds column. */
    public static List<String> withoutTimes(List<String> lines) {
        String[] header = lines.get(0).split(",");
        return lines.stream().map(l -> {
            String[] c = l.split(",", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < c.length && i < header.length; i++) {
                if (!header[i].equals("elapsed_ms") && !header[i].endsWith(".seconds")) {
                    sb.append(c[i]).append(',');
                }
            }
            return sb.toString();
        }).toList();
    }
}
