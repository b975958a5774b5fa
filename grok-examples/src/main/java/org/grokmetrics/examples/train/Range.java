package org.grokmetrics.examples.train;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The valid values of one numeric setting, written as an interval: {@code "(0, 1)"}, {@code "[1, 100000000]"},
 * {@code "(0, 10]"}. The text is what {@code --help} shows (a compile-time constant in the option's
 * description) and the same text is parsed here, so the help and the check cannot disagree.
 *
 * @param text      the interval as written
 * @param low       the lower end
 * @param lowOpen   whether the lower end is excluded
 * @param high      the upper end
 * @param highOpen  whether the upper end is excluded
 */
public record Range(String text, double low, boolean lowOpen, double high, boolean highOpen) {

    private static final Pattern INTERVAL = Pattern.compile("([\\[(])\\s*([^,\\s]+)\\s*,\\s*([^\\])\\s]+)\\s*([\\])])");

    /**
     * Parses {@code [a, b]}, {@code (a, b)}, {@code [a, b)} or {@code (a, b]}.
     *
     * @throws IllegalArgumentException if the text is not such an interval
     */
    public static Range of(String text) {
        Matcher m = INTERVAL.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an interval: " + text);
        }
        return new Range(text, Double.parseDouble(m.group(2)), m.group(1).equals("("), Double.parseDouble(m.group(3)),
                m.group(4).equals(")"));
    }

    /** Whether {@code v} is finite and inside. */
    public boolean contains(double v) {
        return Double.isFinite(v) && (lowOpen ? v > low : v >= low) && (highOpen ? v < high : v <= high);
    }

    /**
     * {@code v} if it is inside.
     *
     * @param name the setting's names as the message should show them, e.g. {@code --lr (learningRate)}
     * @throws IllegalArgumentException "NAME must be a finite number in RANGE, was V"
     */
    public double check(String name, double v) {
        if (!contains(v)) {
            throw new IllegalArgumentException(name + " must be a finite number in " + text + ", was " + format(v));
        }
        return v;
    }

    /** {@code v} if it is inside: the integer form of {@link #check(String, double)}. */
    public long check(String name, long v) {
        if (!contains(v)) {
            throw new IllegalArgumentException(name + " must be an integer in " + text + ", was " + v);
        }
        return v;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.0f", v) : String.valueOf(v);
    }
}
