package org.grokmetrics.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * A safetensors header, parsed and validated by the rules of the reference implementation
 * (huggingface/safetensors, {@code SafeTensors::read_metadata} and {@code Metadata::validate}); each
 * rejection's message carries the reference's error name:
 *
 * <ul>
 *   <li>{@code HeaderTooSmall}: fewer than 8 bytes; {@code HeaderTooLarge}: the header length exceeds
 *       {@value #MAX_HEADER_BYTES} bytes; {@code InvalidHeaderLength}: it runs past the end of the file;</li>
 *   <li>{@code InvalidHeader}: the header is not valid UTF-8;</li>
 *   <li>{@code InvalidHeaderDeserialization}: not one JSON object (JSON whitespace &mdash; space, tab, CR,
 *       LF &mdash; may pad it on either side, nothing else), a name given twice, a string with a lone
 *       surrogate, an entry without {@code dtype}, {@code shape} or {@code data_offsets}, an unknown
 *       dtype, a shape or offset that is not a non-negative integer, {@code data_offsets} not of two
 *       elements, {@code __metadata__} not an object of strings (or null); unknown fields of an entry are
 *       ignored, as the reference does;</li>
 *   <li>{@code InvalidOffset}: sorted by {@code data_offsets}, the tensors do not start at 0 and follow
 *       each other without gap or overlap ({@code end >= begin});</li>
 *   <li>{@code ValidationOverflow}: the element count times the dtype's width overflows 64 bits;
 *       {@code MisalignedSlice}: a sub-byte dtype whose bits do not fill whole bytes;
 *       {@code TensorInvalidInfo}: the byte range differs from element count &times; width;</li>
 *   <li>{@code MetadataIncompleteBuffer}: the tensors do not cover the data section exactly (a truncated
 *       file, or bytes after the last tensor).</li>
 * </ul>
 *
 * <p>Beyond the reference: dimensions and offsets larger than 2<sup>63</sup>&minus;1 are rejected
 * (the reference accepts a dimension that large only in a tensor with another dimension 0), and a name
 * given twice is rejected where serde keeps the last. Linear in the header's size.
 *
 * @param tensors        the tensors in data-offset order (the file's layout)
 * @param metadata       the {@code __metadata__} map, in header order (empty if absent or null)
 * @param headerLength   the JSON header's length in bytes (the first 8 bytes of the file)
 * @param dataLength     the data section's length in bytes
 */
public record SafeTensorsHeader(List<SafeTensorsEntry> tensors, Map<String, String> metadata, long headerLength,
                                long dataLength) {

    /** Largest JSON header accepted (100 MB, as the reference implementation). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxDocumentLength(-1)
                    .build())
            .build();

    /**
     * Copies the tensors and the metadata (in its order) unmodifiable.
     *
     * @param tensors      the tensors in data-offset order (not null)
     * @param metadata     the {@code __metadata__} map (not null)
     * @param headerLength the JSON header's length in bytes
     * @param dataLength   the data section's length in bytes
     */
    public SafeTensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Where the data section starts in the file.
     *
     * @return the byte offset, 8 + the header's length
     */
    public long dataStart() {
        return 8 + headerLength;
    }

    /**
     * Validates the 8-byte length field against the file's size and returns the header's length.
     *
     * @param file     names the file in messages
     * @param length   the 8 bytes read as a little-endian signed long (a negative value is above 2^63)
     * @param fileSize the whole file's size
     */
    static long checkLength(String file, long length, long fileSize) throws SafeTensorsException {
        if (fileSize < 8) {
            throw error(file, "HeaderTooSmall", "the file has " + fileSize
                    + " bytes, fewer than the 8-byte header length (not a safetensors file?)");
        }
        if (length < 0 || length > MAX_HEADER_BYTES) {
            throw error(file, "HeaderTooLarge", "header length " + Long.toUnsignedString(length)
                    + " bytes is over the limit of " + MAX_HEADER_BYTES + " (not a safetensors file?)");
        }
        if (length > fileSize - 8) {
            throw error(file, "InvalidHeaderLength", "header length " + length + " bytes but the file has only "
                    + (fileSize - 8) + " after the length field (truncated?)");
        }
        return length;
    }

    /**
     * Parses and validates a header.
     *
     * @param file     names the file in messages
     * @param json     the header's bytes (length already checked by {@link #checkLength})
     * @param fileSize the whole file's size, to check that the tensors cover the data section exactly
     * @throws SafeTensorsException naming the reference's error and the offending tensor
     */
    static SafeTensorsHeader parse(String file, byte[] json, long fileSize) throws SafeTensorsException {
        CharBuffer text = decodeUtf8(file, json);
        int first = 0;
        while (first < text.length() && isJsonSpace(text.charAt(first))) {
            first++;
        }
        if (first == text.length() || text.charAt(first) != '{') {
            throw error(file, "InvalidHeaderDeserialization", first == text.length() ? "header is empty"
                    : "header is not a JSON object (starts with '" + SafeTensors.printable(
                    String.valueOf(text.charAt(first))) + "')");
        }
        List<SafeTensorsEntry> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(text.array(), text.arrayOffset(), text.length())) {
            p.nextToken(); // START_OBJECT, checked above
            Set<String> names = new HashSet<>();
            boolean sawMetadata = false;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                requireWellFormed(file, name, "a tensor name");
                if (name.equals(METADATA)) {
                    if (sawMetadata) {
                        throw error(file, "InvalidHeaderDeserialization", "__metadata__ given twice");
                    }
                    sawMetadata = true;
                    readMetadata(file, p, metadata);
                } else {
                    if (!names.add(name)) {
                        throw error(file, "InvalidHeaderDeserialization", "tensor " + quoted(name) + " given twice");
                    }
                    tensors.add(readEntry(file, p, name));
                }
            }
            // after the root object only JSON whitespace may follow (checked here, not by Jackson, which
            // takes a NUL for the end of input)
            long end = p.currentTokenLocation().getCharOffset() + 1;
            for (long i = end; i < text.length(); i++) {
                if (!isJsonSpace(text.charAt((int) i))) {
                    throw error(file, "InvalidHeaderDeserialization", "trailing characters after the header's JSON"
                            + " object at character " + i + " (only spaces, tabs, CR and LF may pad it)");
                }
            }
        } catch (SafeTensorsException e) {
            throw e;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            String msg = String.valueOf(e.getOriginalMessage());
            throw error(file, "InvalidHeaderDeserialization", (msg.startsWith("Duplicate")
                    ? "a name given twice: " : "header is not valid JSON: ")
                    + SafeTensors.printable(shortened(msg)) + where);
        } catch (IOException e) {
            throw error(file, "InvalidHeaderDeserialization", "header is not valid JSON: "
                    + SafeTensors.printable(shortened(e.getMessage())));
        }
        tensors.sort(Comparator.comparingLong(SafeTensorsEntry::begin).thenComparingLong(SafeTensorsEntry::end));
        long dataLength = fileSize - 8 - json.length;
        long covered = validate(file, tensors);
        if (covered != dataLength) {
            throw error(file, "MetadataIncompleteBuffer", "the tensors cover " + covered + " bytes but the data section"
                    + " has " + dataLength + (covered > dataLength ? " (file truncated?)" : " (bytes after the last tensor)"));
        }
        return new SafeTensorsHeader(tensors, metadata, json.length, dataLength);
    }

    /** The reference's {@code Metadata::validate}: returns the end of the last tensor. */
    private static long validate(String file, List<SafeTensorsEntry> sorted) throws SafeTensorsException {
        long start = 0;
        for (SafeTensorsEntry e : sorted) {
            if (e.begin() != start || e.end() < e.begin()) {
                throw error(file, "InvalidOffset", "tensor " + quoted(e.name()) + " has data_offsets ["
                        + e.begin() + ", " + e.end() + "] but " + (e.end() < e.begin() ? "its end is before its begin"
                        : "the tensors, sorted by offset, " + (start == 0 ? "must start at 0"
                        : "must continue at byte " + start + " (gap or overlap)")));
            }
            start = e.end();
            long elements = 1;
            boolean overflow = false;
            for (long d : e.shape()) {
                long hi = Math.multiplyHigh(elements, d);
                long lo = elements * d;
                if (hi != 0 || lo < 0) {
                    overflow = true;
                    break;
                }
                elements = lo;
            }
            // bits = elements * width, as an unsigned 64-bit product
            int width = e.dtype().bits();
            if (overflow || Math.multiplyHigh(elements, width) != 0) {
                throw error(file, "ValidationOverflow", "tensor " + quoted(e.name()) + ": shape "
                        + java.util.Arrays.toString(e.shape()) + " of " + e.dtype() + " overflows 64 bits");
            }
            long bits = elements * width;
            if (Long.remainderUnsigned(bits, 8) != 0) {
                throw error(file, "MisalignedSlice", "tensor " + quoted(e.name()) + ": " + elements + " elements of "
                        + e.dtype() + " do not fill whole bytes");
            }
            long bytes = Long.divideUnsigned(bits, 8);
            if (e.end() - e.begin() != bytes) {
                throw error(file, "TensorInvalidInfo", "tensor " + quoted(e.name()) + ": shape "
                        + java.util.Arrays.toString(e.shape()) + " of " + e.dtype() + " needs " + bytes
                        + " bytes but data_offsets [" + e.begin() + ", " + e.end() + "] span " + (e.end() - e.begin()));
            }
        }
        return start;
    }

    private static void readMetadata(String file, JsonParser p, Map<String, String> out) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            throw error(file, "InvalidHeaderDeserialization", "__metadata__ is not an object of strings");
        }
        for (t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            requireWellFormed(file, key, "a __metadata__ key");
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw error(file, "InvalidHeaderDeserialization", "__metadata__ value of " + quoted(key)
                        + " is not a string");
            }
            String value = p.getText();
            requireWellFormed(file, value, "the __metadata__ value of " + quoted(key));
            if (out.put(key, value) != null) {
                throw error(file, "InvalidHeaderDeserialization", "__metadata__ key " + quoted(key) + " given twice");
            }
        }
    }

    private static SafeTensorsEntry readEntry(String file, JsonParser p, String name) throws IOException {
        String what = "tensor " + quoted(name);
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw error(file, "InvalidHeaderDeserialization", what + ": entry is not an object");
        }
        SafeTensorsDtype dtype = null;
        long[] shape = null;
        long[] offsets = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (dtype != null) {
                        throw error(file, "InvalidHeaderDeserialization", what + ": duplicate field dtype");
                    }
                    if (v != JsonToken.VALUE_STRING) {
                        throw error(file, "InvalidHeaderDeserialization", what + ": dtype is not a string");
                    }
                    String s = p.getText();
                    dtype = SafeTensorsDtype.of(s).orElseThrow(() -> error(file, "InvalidHeaderDeserialization",
                            what + ": unknown dtype " + quoted(shortened(s)) + " (the format's dtypes: "
                                    + java.util.Arrays.toString(SafeTensorsDtype.values()) + ")"));
                }
                case "shape" -> {
                    if (shape != null) {
                        throw error(file, "InvalidHeaderDeserialization", what + ": duplicate field shape");
                    }
                    shape = integers(file, p, v, what + ": shape", -1);
                }
                case "data_offsets" -> {
                    if (offsets != null) {
                        throw error(file, "InvalidHeaderDeserialization", what + ": duplicate field data_offsets");
                    }
                    offsets = integers(file, p, v, what + ": data_offsets", 2);
                }
                default -> p.skipChildren(); // the reference ignores unknown fields
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw error(file, "InvalidHeaderDeserialization", what + ": missing field "
                    + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        return new SafeTensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** An array of non-negative integers (JSON integers only, as Rust's usize); {@code count} -1 = any. */
    private static long[] integers(String file, JsonParser p, JsonToken start, String what, int count)
            throws IOException {
        if (start != JsonToken.START_ARRAY) {
            throw error(file, "InvalidHeaderDeserialization", what + " is not an array of integers");
        }
        long[] out = new long[4];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getText().startsWith("-")) {
                throw error(file, "InvalidHeaderDeserialization", what + " holds " + quoted(shortened(p.getText()))
                        + ", not a non-negative integer");
            }
            if (p.getTextLength() > 20) { // more digits than 2^64 - 1 has (JSON allows no leading zeros)
                throw error(file, "InvalidHeaderDeserialization", what + " holds a " + p.getTextLength()
                        + "-digit number, beyond 64 bits");
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                boolean u64 = p.getBigIntegerValue().compareTo(U64_MAX) <= 0;
                throw error(file, u64 ? "ValidationOverflow" : "InvalidHeaderDeserialization", what + " holds "
                        + shortened(p.getText()) + (u64 ? ", beyond 2^63-1 (not supported)" : ", beyond 64 bits"));
            }
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, 2 * n);
            }
            out[n++] = p.getLongValue();
        }
        if (count >= 0 && n != count) {
            throw error(file, "InvalidHeaderDeserialization", what + " has " + n + " elements, not " + count);
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static CharBuffer decodeUtf8(String file, byte[] json) throws SafeTensorsException {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return dec.decode(ByteBuffer.wrap(json));
        } catch (CharacterCodingException e) {
            // find the first bad byte for the message
            int at = firstInvalidUtf8(json);
            throw error(file, "InvalidHeader", "header is not valid UTF-8 (at header byte " + at + ")");
        }
    }

    private static int firstInvalidUtf8(byte[] b) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            var r = dec.decode(in, out, true);
            if (r.isError()) {
                return in.position();
            }
            if (r.isUnderflow()) {
                return b.length;
            }
            out.clear();
        }
    }

    private static void requireWellFormed(String file, String s, String what) throws SafeTensorsException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error(file, "InvalidHeaderDeserialization", what + " holds a lone surrogate \\u"
                        + String.format("%04X", (int) c) + " (not valid Unicode) at character " + i
                        + (what.startsWith("a ") ? ": " + quoted(s) : ""));
            }
        }
    }

    private static boolean isJsonSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    static String quoted(String name) {
        return "'" + SafeTensors.printable(shortened(name)) + "'";
    }

    /** At most 200 characters of a string for a message. */
    static String shortened(String s) {
        if (s == null) {
            return "";
        }
        if (s.length() <= 200) {
            return s;
        }
        int cut = Character.isHighSurrogate(s.charAt(159)) ? 159 : 160;
        return s.substring(0, cut) + "... (" + s.length() + " characters)";
    }

    static SafeTensorsException error(String file, String referenceError, String detail) {
        // detail: every piece of it from the file has been made printable by the caller
        return new SafeTensorsException(SafeTensors.printable(file) + ": " + referenceError + ": " + detail);
    }
}
