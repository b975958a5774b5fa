package org.grokmetrics.examples.tasks;

import java.util.Locale;

/** Parses task names as the CLI takes them. */
public final class Tasks {

    private Tasks() {
    }

    /**
     * {@code mod} (with p and op), {@code s4}/{@code s5}/{@code perm} (with k), {@code xor} (with bits).
     *
     * @throws IllegalArgumentException naming the task and the known ones
     */
    public static Task of(String name, int p, String op, int k, int bits) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "mod", "modular" -> new ModularTask(p, ModularTask.Op.parse(op));
            case "perm", "permutation", "s" -> new PermutationTask(k);
            case "s2", "s3", "s4", "s5", "s6" -> new PermutationTask(n.charAt(1) - '0');
            case "xor" -> new XorTask(bits);
            default -> throw new IllegalArgumentException("unknown task '" + name + "'; known: mod (with --p, --op), "
                    + "perm or s4/s5 (with --k), xor (with --bits)");
        };
    }
}
