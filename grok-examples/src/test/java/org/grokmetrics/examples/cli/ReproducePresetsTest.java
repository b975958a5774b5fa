package org.grokmetrics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.grokmetrics.examples.train.RunConfig;
import org.junit.jupiter.api.Test;

/** The papers' MLP runs, pinned: the named builder gives exactly the configurations the runs were made with. */
final class ReproducePresetsTest {

    @Test
    void lmnPaperRuns() {
        assertEquals(List.of(
                new RunConfig("mod", 31, "add", 4, 5, 0.8, 3, 20000, 1e-3, 0.2, 0, 0, 32, 100, 10, 64, 1.0, "paper", "float32"),
                new RunConfig("s4", 0, "add", 4, 5, 0.8, 3, 20000, 1e-3, 0.2, 0, 0, 32, 100, 10, 64, 1.0, "paper", "float32"),
                new RunConfig("xor", 0, "add", 4, 5, 0.8, 3, 20000, 1e-3, 0.2, 0, 0, 32, 100, 10, 64, 1.0, "paper", "float32")),
                ReproduceCommand.preset("lmn", null, 3));
    }

    @Test
    void pruningMdlStudyRuns() {
        assertEquals(List.of(
                new RunConfig("mod", 97, "add", 5, 5, 0.5, 1, 7500, 1e-3, 0.5, 0, 0, 32, 100, 8, 0, 1.0, "paper", "float32"),
                new RunConfig("mod", 97, "sub", 5, 5, 0.5, 1, 7500, 1e-3, 0.5, 0, 0, 32, 100, 8, 0, 1.0, "paper", "float32"),
                new RunConfig("mod", 97, "div", 5, 5, 0.5, 1, 7500, 1e-3, 0.5, 0, 0, 32, 100, 8, 0, 1.0, "paper", "float32"),
                new RunConfig("s5", 0, "add", 5, 5, 0.5, 1, 7500, 1e-3, 0.5, 0, 0, 32, 100, 8, 0, 1.0, "paper", "float32")),
                ReproduceCommand.preset("mdl-mlp", null, 1));
        assertEquals(500, ReproduceCommand.preset("mdl-mlp", 500, 1).get(2).steps());
    }
}
