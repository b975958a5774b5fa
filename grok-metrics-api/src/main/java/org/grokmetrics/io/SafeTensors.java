package org.grokmetrics.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;

/**
 * Reads and writes safetensors files: the facade over {@link SafeTensorsFile} (streamed, tensor by
 * tensor) and {@link SafeTensorsHeader} (the format's rules, as the reference implementation
 * huggingface/safetensors validates them).
 *
 * <p>{@link #readContents(Path)} reads a whole file into memory: every tensor of a floating dtype
 * ({@link SafeTensorsDtype#isFloating()}: F64, F32, F16, BF16 and the 8-bit floats), converted to
 * float32, in the order of their data offsets (the file's layout). Tensors of other dtypes (integers,
 * BOOL, C64, the sub-byte floats) are validated but left out, each listed in
 * {@link Contents#skipped()} with the reason. Every malformation raises a {@link SafeTensorsException}
 * whose one-line message names the file, the reference's error name and the problem; names and other
 * text from the file are escaped by {@link #printable(String)} in every message.
 *
 * <p>Writing produces {@code F32} tensors in snapshot order with an optional string-to-string
 * {@code __metadata__}. Stateless and thread-safe.
 */
public final class SafeTensors {

    /** Largest JSON header accepted (100 MB, as the reference implementation). */
    public static final long MAX_HEADER_BYTES = SafeTensorsHeader.MAX_HEADER_BYTES;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {
    }

    /**
     * A file's contents.
     *
     * @param parameters the floating tensors as float32, in data-offset order
     * @param dtypes     each tensor's dtype as stored ({@code F32}, {@code F16}, ...), skipped ones included
     * @param metadata   the {@code __metadata__} map (empty if absent)
     * @param skipped    the tensors left out of {@code parameters}, each with the reason (one line)
     */
    public record Contents(ParameterSnapshot parameters, Map<String, String> dtypes, Map<String, String> metadata,
                           Map<String, String> skipped) {
        /**
         * Copies the maps unmodifiable ({@code skipped} keeps its order).
         *
         * @param parameters the floating tensors as float32
         * @param dtypes     each tensor's stored dtype (not null)
         * @param metadata   the {@code __metadata__} map (not null)
         * @param skipped    the tensors left out, with reasons (not null)
         */
        public Contents {
            dtypes = Map.copyOf(dtypes);
            metadata = Map.copyOf(metadata);
            skipped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        }

        /**
         * Contents with nothing skipped.
         *
         * @param parameters the floating tensors as float32
         * @param dtypes     each tensor's stored dtype (not null)
         * @param metadata   the {@code __metadata__} map (not null)
         */
        public Contents(ParameterSnapshot parameters, Map<String, String> dtypes, Map<String, String> metadata) {
            this(parameters, dtypes, metadata, Map.of());
        }
    }

    /**
     * Reads the floating tensors of a file. See {@link #readContents(Path)}.
     *
     * @param file the safetensors file
     * @return its floating tensors as float32, in data-offset order; other tensors are left out
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws SafeTensorsException if it is not a valid safetensors file or a floating tensor cannot be held in memory
     * @throws IOException         if the file cannot be read
     */
    public static ParameterSnapshot read(Path file) throws IOException {
        return readContents(file).parameters();
    }

    /**
     * Reads a whole file: tensors, stored dtypes, metadata, and the tensors skipped.
     *
     * @param file the safetensors file
     * @return its floating tensors, stored dtypes, metadata and the tensors skipped with their reasons
     * @throws NoSuchFileException  if the file does not exist
     * @throws SafeTensorsException if it is not a valid safetensors file, or a floating tensor cannot be
     *                              held in memory (more elements than a Java array holds, or more
     *                              bytes than the heap's maximum): the message names it
     * @throws IOException          if the file cannot be read
     */
    public static Contents readContents(Path file) throws IOException {
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            return contents(f);
        }
    }

    /**
     * Reads from an in-memory file image; {@code source} names it in messages.
     *
     * @param image  the bytes of a safetensors file (copied)
     * @param source the name used in messages
     * @return the image's floating tensors, stored dtypes, metadata and the tensors skipped
     * @throws SafeTensorsException if it is not a valid safetensors image or a floating tensor cannot be held in memory
     * @throws IOException          as {@link #readContents(Path)}
     */
    public static Contents readContents(byte[] image, String source) throws IOException {
        try (SafeTensorsFile f = SafeTensorsFile.of(image, source)) {
            return contents(f);
        }
    }

    private static Contents contents(SafeTensorsFile f) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        Map<String, String> dtypes = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        long heap = Runtime.getRuntime().maxMemory();
        for (SafeTensorsEntry e : f.header().tensors()) {
            dtypes.put(e.name(), e.dtype().name());
            var reason = e.notReadableReason();
            boolean weightTooLarge = e.dtype().isFloating() && !e.name().isBlank()
                    && e.elements() > SafeTensorsEntry.MAX_ARRAY_ELEMENTS;
            if (reason.isPresent() && !weightTooLarge) {
                // not floating, a blank name, or an empty tensor with a dimension past int: not a weight to load
                skipped.put(e.name(), reason.get());
                continue;
            }
            if (reason.isEmpty() && 8 * e.elements() > heap) {
                reason = java.util.Optional.of(e.elements() + " float32 values need more than the heap's maximum of "
                        + heap + " bytes (raise -Xmx, or stream it with SafeTensorsFile)");
            }
            if (reason.isPresent()) {
                throw new SafeTensorsException(printable(f.source()) + ": tensor " + SafeTensorsHeader.quoted(e.name())
                        + ": " + reason.get());
            }
            tensors.add(f.readTensor(e));
        }
        return new Contents(ParameterSnapshot.of(tensors), dtypes, f.header().metadata(), skipped);
    }

    /**
     * A string from a file (a tensor name, a path) made safe to print on a terminal or in a one-line
     * message: backslash becomes {@code \\}; CR, LF and tab become {@code \r}, {@code \n},
     * {@code \t}; other control characters (C0, DEL, C1 &mdash; ESC of ANSI sequences included), line and
     * paragraph separators, bidirectional overrides and lone surrogates become <code>&#92;uXXXX</code>.
     * Every other character, printable Unicode included, is kept. Null prints as {@code null}.
     *
     * @param s the string, or null
     * @return the escaped string; {@code s} itself if nothing needs escaping
     */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = escape(s, i, c);
            if (rep != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (rep != null) {
                    b.append(rep);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    private static String escape(String s, int i, char c) {
        switch (c) {
            case '\\':
                return "\\\\";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        boolean bad = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
                || c == 0x061C;
        if (!bad && Character.isSurrogate(c)) {
            boolean paired = Character.isHighSurrogate(c)
                    ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            bad = !paired;
        }
        return bad ? String.format("\\u%04X", (int) c) : null;
    }

    /**
     * Writes the snapshot as F32 tensors, in order, with optional metadata; streams, so the file may be
     * larger than 2 GB.
     *
     * @param file     the file, created or truncated
     * @param p        the tensors
     * @param metadata the {@code __metadata__} strings, or null or empty for none
     * @throws IllegalArgumentException if a name or a metadata string is not well-formed UTF-16 (a lone
     *                                  surrogate cannot be stored in UTF-8)
     * @throws IOException              if the file cannot be written
     */
    public static void write(Path file, ParameterSnapshot p, Map<String, String> metadata) throws IOException {
        byte[] header = header(p, metadata);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(header));
            ByteBuffer buf = ByteBuffer.allocate(SafeTensorsFile.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : p.tensors()) {
                var values = t.buffer();
                while (values.hasRemaining()) {
                    buf.clear();
                    var floats = buf.asFloatBuffer();
                    int n = Math.min(floats.remaining(), values.remaining());
                    floats.put(values.slice().limit(n));
                    values.position(values.position() + n);
                    buf.limit(4 * n);
                    writeFully(ch, buf);
                }
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * The file image {@link #write} would write.
     *
     * @param p        the tensors
     * @param metadata the {@code __metadata__} strings, or null or empty for none
     * @return the file image: header and little-endian F32 data
     * @throws IllegalArgumentException as {@link #write}, or if the image would exceed 2 GB
     */
    public static byte[] toBytes(ParameterSnapshot p, Map<String, String> metadata) {
        byte[] header = header(p, metadata);
        long total = header.length;
        for (Tensor t : p.tensors()) {
            total += 4L * t.size();
        }
        if (total > SafeTensorsEntry.MAX_ARRAY_ELEMENTS) {
            throw new IllegalArgumentException("a safetensors image of " + total + " bytes does not fit a byte array;"
                    + " write it to a file");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        for (Tensor t : p.tensors()) {
            out.asFloatBuffer().put(t.buffer());
            out.position(out.position() + 4 * t.size());
        }
        return out.array();
    }

    /** The 8-byte length and the JSON header, padded with spaces to a multiple of 8 as the reference does. */
    private static byte[] header(ParameterSnapshot p, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach((k, v) -> {
                requireWellFormed(k, "metadata key");
                requireWellFormed(v, "metadata value of '" + printable(k) + "'");
                m.put(k, v);
            });
        }
        long offset = 0;
        for (Tensor t : p.tensors()) {
            requireWellFormed(t.name(), "tensor name");
            if (t.name().equals("__metadata__")) {
                throw new IllegalArgumentException("a tensor cannot be named __metadata__ in safetensors");
            }
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", "F32");
            var shape = e.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            var off = e.putArray("data_offsets");
            off.add(offset);
            offset += 4L * t.size();
            off.add(offset);
        }
        byte[] h;
        try {
            h = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int pad = (8 - h.length % 8) % 8;
        if (h.length + pad > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the safetensors header would be " + (h.length + pad)
                    + " bytes, over the format's limit of " + MAX_HEADER_BYTES);
        }
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + pad).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length + pad);
        out.put(h);
        for (int i = 0; i < pad; i++) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    private static void requireWellFormed(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " '" + printable(s) + "' holds a lone surrogate at character "
                        + i + "; safetensors stores UTF-8, which cannot encode it");
            }
        }
    }
}
