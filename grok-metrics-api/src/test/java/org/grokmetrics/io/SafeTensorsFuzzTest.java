package org.grokmetrics.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.grokmetrics.api.Tensor;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded mutants of a valid file (F32, BF16, I64, F16 tensors and metadata): bit flips anywhere,
 * random bytes, truncations, appended bytes, header splices (a number, a dtype, a character replaced,
 * inserted or deleted; an entry duplicated; two tensors' offsets swapped; the length field moved).
 * Every outcome must be either a read that an independent decoding of the same bytes confirms, or a
 * one-line {@link SafeTensorsException} naming one of the reference's errors; any other exception, an
 * out-of-memory or a hang (5 s per case) fails. Replay a case with {@code -Dgrokmetrics.seed=...}.
 */
class SafeTensorsFuzzTest {

    private static final List<String> ERRORS = List.of("HeaderTooSmall", "HeaderTooLarge", "InvalidHeaderLength",
            "InvalidHeader", "InvalidHeaderDeserialization", "InvalidOffset", "ValidationOverflow", "MisalignedSlice",
            "TensorInvalidInfo", "MetadataIncompleteBuffer");

    private static final String[] NUMBERS = {"0", "1", "2", "3", "4", "7", "8", "12", "-1", "-0", "1.0", "1e2", "48",
        "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "\"4\"", "null", "[]", "{}", "true"};

    private static final String[] DTYPES = {"F32", "F16", "BF16", "I64", "U8", "BOOL", "F8_E4M3", "F4", "C64", "f32",
        "", "F32 ", "\\u0046\\u0033\\u0032"};

    private static final String HEADER = "{\"__metadata__\":{\"k\":\"v\",\"format\":\"pt\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[48,60]},"
            + "\"c\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[60,76]},"
            + "\"d\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[76,84]}}";

    private static final ObjectMapper TREE = new ObjectMapper();

    /** Outcomes over the run: "accepted" or the reference error name. */
    private static final java.util.Map<String, Integer> OUTCOMES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The mutants reach both outcomes and many of the rules (else the fuzzer tests little). */
    @org.junit.jupiter.api.AfterAll
    static void theMutantsReachManyRules() {
        if (OUTCOMES.values().stream().mapToInt(Integer::intValue).sum() < 1000) {
            return; // a replay of single seeds
        }
        assertTrue(OUTCOMES.getOrDefault("accepted", 0) >= 50, OUTCOMES.toString());
        assertTrue(OUTCOMES.size() >= 8, OUTCOMES.toString());
        System.out.println("safetensors fuzz outcomes: " + new java.util.TreeMap<>(OUTCOMES));
    }

    @PropertyTest(cases = 1500)
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void everyMutantIsReadCorrectlyOrRejectedInOneLine(Seed seed) {
        SplittableRandom r = seed.random();
        byte[] data = new byte[84];
        r.nextBytes(data);
        String header = HEADER;
        byte[] image;
        int kind = r.nextInt(10);
        if (kind < 5) {
            int splices = 1 + r.nextInt(2);
            for (int i = 0; i < splices; i++) {
                header = splice(header, r);
            }
            image = SafeTensorsTest.image(padded(header), data);
        } else {
            image = SafeTensorsTest.image(padded(header), data);
            int edits = 1 + r.nextInt(3);
            for (int i = 0; i < edits; i++) {
                image = mutateBytes(image, r);
            }
        }
        check(image, seed);
    }

    private static void check(byte[] image, Seed seed) {
        SafeTensors.Contents c;
        try {
            c = SafeTensors.readContents(image, "fuzz");
        } catch (SafeTensorsException e) {
            String m = e.getMessage();
            assertEquals(1, m.lines().count(), m);
            assertTrue(m.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7F), m);
            assertTrue(ERRORS.stream().anyMatch(n -> m.startsWith("fuzz: " + n + ": ")), m);
            OUTCOMES.merge(m.substring(6, m.indexOf(':', 6)), 1, Integer::sum);
            return;
        } catch (Throwable t) {
            fail(seed + ": " + t, t);
            return;
        }
        confirm(image, c, seed);
        OUTCOMES.merge("accepted", 1, Integer::sum);
    }

    /** An accepted file: re-decoded independently (Jackson's tree, ByteBuffer) and checked by the rules. */
    private static void confirm(byte[] image, SafeTensors.Contents c, Seed seed) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        JsonNode tree;
        try {
            tree = TREE.readTree(new String(image, 8, (int) n, StandardCharsets.UTF_8));
        } catch (Exception e) {
            fail(seed + ": accepted a header that is not JSON", e);
            return;
        }
        long dataStart = 8 + n;
        List<long[]> ranges = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (var it = tree.fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getKey().equals("__metadata__")) {
                continue;
            }
            names.add(f.getKey());
            JsonNode e = f.getValue();
            long s = e.get("data_offsets").get(0).asLong();
            long end = e.get("data_offsets").get(1).asLong();
            ranges.add(new long[] {s, end});
            String dtype = e.get("dtype").asText();
            assertEquals(dtype, c.dtypes().get(f.getKey()), seed.toString());
            if (!c.parameters().names().contains(f.getKey())) {
                assertTrue(c.skipped().containsKey(f.getKey()), seed + ": " + f.getKey() + " neither read nor skipped");
                continue;
            }
            Tensor t = c.parameters().get(f.getKey());
            long elements = 1;
            for (JsonNode d : e.get("shape")) {
                elements *= d.asLong();
            }
            assertEquals(elements, t.size(), seed.toString());
            for (int i = 0; i < t.size(); i++) {
                float expected = switch (dtype) {
                    case "F32" -> b.getFloat((int) (dataStart + s + 4L * i));
                    case "BF16" -> Float.intBitsToFloat((b.getShort((int) (dataStart + s + 2L * i)) & 0xFFFF) << 16);
                    default -> t.get(i); // other conversions are tested against their definitions elsewhere
                };
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(t.get(i)),
                        seed + ": " + f.getKey() + "[" + i + "]");
            }
        }
        assertEquals(names.size(), c.dtypes().size(), seed.toString());
        ranges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        long start = 0;
        for (long[] rg : ranges) {
            assertEquals(start, rg[0], seed + ": accepted non-contiguous offsets");
            start = rg[1];
        }
        assertEquals(image.length - dataStart, start, seed + ": accepted a data section the tensors do not cover");
    }

    private static String padded(String header) {
        int pad = (8 - header.getBytes(StandardCharsets.UTF_8).length % 8) % 8;
        return header + " ".repeat(pad);
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final Pattern DTYPE = Pattern.compile("\"dtype\":\"([^\"]*)\"");
    private static final Pattern OFFSETS = Pattern.compile("\\[\\d+,\\d+\\]");
    private static final Pattern ENTRY = Pattern.compile("\"[a-d]\":\\{[^}]*\\}");

    private static String splice(String h, SplittableRandom r) {
        switch (r.nextInt(7)) {
            case 0 -> { // a number replaced
                List<int[]> spans = spans(NUMBER.matcher(h));
                int[] s = spans.get(r.nextInt(spans.size()));
                return h.substring(0, s[0]) + NUMBERS[r.nextInt(NUMBERS.length)] + h.substring(s[1]);
            }
            case 1 -> { // a dtype replaced
                Matcher m = DTYPE.matcher(h);
                List<int[]> spans = new ArrayList<>();
                while (m.find()) {
                    spans.add(new int[] {m.start(1), m.end(1)});
                }
                if (spans.isEmpty()) {
                    return h;
                }
                int[] s = spans.get(r.nextInt(spans.size()));
                return h.substring(0, s[0]) + DTYPES[r.nextInt(DTYPES.length)] + h.substring(s[1]);
            }
            case 2 -> { // two tensors' offsets swapped
                List<int[]> spans = spans(OFFSETS.matcher(h));
                if (spans.size() < 2) {
                    return h;
                }
                int i = r.nextInt(spans.size());
                int j = r.nextInt(spans.size());
                if (i == j) {
                    return h;
                }
                int[] x = spans.get(Math.min(i, j));
                int[] y = spans.get(Math.max(i, j));
                return h.substring(0, x[0]) + h.substring(y[0], y[1]) + h.substring(x[1], y[0])
                        + h.substring(x[0], x[1]) + h.substring(y[1]);
            }
            case 3 -> { // an entry duplicated
                List<int[]> spans = spans(ENTRY.matcher(h));
                if (spans.isEmpty()) {
                    return h;
                }
                int[] s = spans.get(r.nextInt(spans.size()));
                return h.substring(0, s[1]) + "," + h.substring(s[0], s[1]) + h.substring(s[1]);
            }
            case 4 -> { // a character deleted
                int at = r.nextInt(h.length());
                return h.substring(0, at) + h.substring(at + 1);
            }
            case 5 -> { // a character inserted
                String[] chars = {"\"", "{", "}", "[", "]", ",", ":", "\\", " ", "\n", "\u0000", "\u001b", "x",
                    "\u00e9", "\ud800", "\\ud800", "\\u0000", "0"};
                int at = r.nextInt(h.length() + 1);
                return h.substring(0, at) + chars[r.nextInt(chars.length)] + h.substring(at);
            }
            default -> { // a name replaced
                String[] names = {"a", "b", "c", "d", "__metadata__", "", "x\r\ny", "\\u001b[2J", "\\ud83d\\ude00"};
                return h.replaceFirst("\"" + "abcd".charAt(r.nextInt(4)) + "\":",
                        Matcher.quoteReplacement("\"" + names[r.nextInt(names.length)] + "\":"));
            }
        }
    }

    private static List<int[]> spans(Matcher m) {
        List<int[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }

    private static byte[] mutateBytes(byte[] img, SplittableRandom r) {
        byte[] out = img;
        if (img.length < 8) {
            return img; // already rejected as HeaderTooSmall; the edits below need the length field
        }
        switch (r.nextInt(6)) {
            case 0 -> { // one bit flipped anywhere
                out = img.clone();
                int i = r.nextInt(out.length);
                out[i] ^= (byte) (1 << r.nextInt(8));
            }
            case 1 -> { // one bit flipped in the header
                out = img.clone();
                int hl = (int) Math.min(ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).getLong(0), img.length - 8);
                if (hl > 0) {
                    out[8 + r.nextInt(hl)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 2 -> { // a random byte
                out = img.clone();
                out[r.nextInt(out.length)] = (byte) r.nextInt(256);
            }
            case 3 -> out = Arrays.copyOf(img, r.nextInt(img.length)); // truncated
            case 4 -> { // bytes appended
                out = Arrays.copyOf(img, img.length + 1 + r.nextInt(16));
                for (int i = img.length; i < out.length; i++) {
                    out[i] = (byte) (r.nextBoolean() ? ' ' : r.nextInt(256));
                }
            }
            default -> { // the length field moved
                out = img.clone();
                long n = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                long[] choices = {n + 1, n - 1, n + 8, 0, 1, Long.MAX_VALUE, -1, 100_000_001, img.length - 8L};
                ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, choices[r.nextInt(choices.length)]);
            }
        }
        return out;
    }
}
