package org.grokmetrics.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;

/**
 * Reads and writes safetensors files.
 *
 * <p>Reading accepts the floating dtypes {@code F32}, {@code F16}, {@code BF16} and {@code F64}; values
 * are converted to float32 ({@code F64} rounds to nearest). Tensors come back in the order of their
 * data offsets (the file's layout). Every malformation &mdash; a file shorter than its header claims,
 * a header that is not JSON, an entry without dtype/shape/offsets, offsets that disagree with
 * shape &times; dtype size or run past the end, an unsupported dtype &mdash; raises a
 * {@link SafeTensorsException} whose one-line message names the file and the problem.
 *
 * <p>Writing produces {@code F32} tensors in snapshot order with an optional string-to-string
 * {@code __metadata__}. Stateless and thread-safe.
 */
public final class SafeTensors {

    /** Largest JSON header accepted (100 MB, as the reference implementation). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {
    }

    /**
     * A file's contents.
     *
     * @param parameters the tensors, in data-offset order
     * @param dtypes     each tensor's dtype as stored ({@code F32}, {@code F16}, ...), same order
     * @param metadata   the {@code __metadata__} map (empty if absent)
     */
    public record Contents(ParameterSnapshot parameters, Map<String, String> dtypes, Map<String, String> metadata) {
        public Contents {
            dtypes = Map.copyOf(dtypes);
            metadata = Map.copyOf(metadata);
        }
    }

    /** Reads the tensors of a file. See {@link #readContents(Path)}. */
    public static ParameterSnapshot read(Path file) throws IOException {
        return readContents(file).parameters();
    }

    /**
     * Reads a whole file: tensors, stored dtypes and metadata.
     *
     * @throws NoSuchFileException  if the file does not exist
     * @throws SafeTensorsException if it is not a valid safetensors file of supported dtypes
     */
    public static Contents readContents(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such weights file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parse(file.toString(), ch);
        }
    }

    /** Reads from an in-memory file image; {@code source} names it in messages. */
    public static Contents readContents(byte[] image, String source) throws IOException {
        return parse(source, new ByteArraySource(image));
    }

    private interface Source {
        long size() throws IOException;

        void read(ByteBuffer dst, long position) throws IOException;
    }

    private record ByteArraySource(byte[] bytes) implements Source {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void read(ByteBuffer dst, long position) {
            dst.put(bytes, (int) position, dst.remaining());
        }
    }

    private static Contents parse(String name, FileChannel ch) throws IOException {
        return parse(name, new Source() {
            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            public void read(ByteBuffer dst, long position) throws IOException {
                long pos = position;
                while (dst.hasRemaining()) {
                    int n = ch.read(dst, pos);
                    if (n < 0) {
                        throw new SafeTensorsException(name + ": unexpected end of file at byte " + pos);
                    }
                    pos += n;
                }
            }
        });
    }

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
    }

    private static Contents parse(String file, Source src) throws IOException {
        long size = src.size();
        if (size < 8) {
            throw new SafeTensorsException(file + ": too short for a safetensors file (" + size
                    + " bytes, the 8-byte header length alone is missing)");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.read(lenBuf, 0);
        long headerLen = lenBuf.flip().getLong();
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES) {
            throw new SafeTensorsException(file + ": header length " + headerLen
                    + " is not plausible (not a safetensors file?)");
        }
        if (8 + headerLen > size) {
            throw new SafeTensorsException(file + ": truncated: header claims " + headerLen + " bytes but the file has "
                    + (size - 8) + " after the length field");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        src.read(hb, 8);
        String headerText = new String(hb.array(), StandardCharsets.UTF_8);
        JsonNode header;
        try {
            header = JSON.readTree(headerText);
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new SafeTensorsException(file + ": header is not a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                if (f.getValue().isObject()) {
                    f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                }
                continue;
            }
            entries.add(entry(file, f.getKey(), f.getValue(), dataLen));
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        List<Tensor> tensors = new ArrayList<>(entries.size());
        Map<String, String> dtypes = new LinkedHashMap<>();
        for (Entry e : entries) {
            int bytes = (int) (e.end() - e.begin());
            ByteBuffer buf = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
            src.read(buf, dataStart + e.begin());
            buf.flip();
            tensors.add(new Tensor(e.name(), e.shape(), decode(e.dtype(), buf, bytes / elementSize(e.dtype()))));
            dtypes.put(e.name(), e.dtype());
        }
        return new Contents(ParameterSnapshot.of(tensors), dtypes, metadata);
    }

    private static Entry entry(String file, String name, JsonNode node, long dataLen) throws SafeTensorsException {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new SafeTensorsException(where + ": header entry is not an object");
        }
        JsonNode dt = node.get("dtype");
        JsonNode sh = node.get("shape");
        JsonNode off = node.get("data_offsets");
        if (dt == null || !dt.isTextual()) {
            throw new SafeTensorsException(where + ": missing dtype");
        }
        if (sh == null || !sh.isArray()) {
            throw new SafeTensorsException(where + ": missing shape");
        }
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong()
                || !off.get(1).canConvertToLong()) {
            throw new SafeTensorsException(where + ": missing or malformed data_offsets");
        }
        String dtype = dt.asText();
        int elem = elementSize(dtype);
        if (elem == 0) {
            throw new SafeTensorsException(where + ": unsupported dtype " + dtype + " (supported: F32, F16, BF16, F64)");
        }
        int[] shape = new int[sh.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.canConvertToInt() || d.asInt() < 0) {
                throw new SafeTensorsException(where + ": bad dimension " + d + " in shape");
            }
            shape[i] = d.asInt();
            count *= shape[i];
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw new SafeTensorsException(where + ": data_offsets [" + begin + ", " + end + "] are not a range");
        }
        if (end > dataLen) {
            throw new SafeTensorsException(where + ": data_offsets end " + end + " past the data section of "
                    + dataLen + " bytes (file truncated?)");
        }
        if (end - begin != count * elem) {
            throw new SafeTensorsException(where + ": shape needs " + count * elem + " bytes of " + dtype
                    + " but data_offsets span " + (end - begin));
        }
        if (count > Integer.MAX_VALUE) {
            throw new SafeTensorsException(where + ": too many elements (" + count + ")");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static int elementSize(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64" -> 8;
            default -> 0;
        };
    }

    private static float[] decode(String dtype, ByteBuffer buf, int n) {
        float[] out = new float[n];
        switch (dtype) {
            case "F32" -> buf.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) buf.getDouble();
                }
            }
            case "BF16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((buf.getShort() & 0xFFFF) << 16);
                }
            }
            case "F16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(buf.getShort());
                }
            }
            default -> throw new IllegalStateException("unreachable dtype " + dtype);
        }
        return out;
    }

    /** IEEE-754 binary16 to binary32 (exact; subnormals, infinities and NaN included). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Writes the snapshot as F32 tensors, in order, with optional metadata.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, ParameterSnapshot p, Map<String, String> metadata) throws IOException {
        Files.write(file, toBytes(p, metadata));
    }

    /** The file image {@link #write} would write. */
    public static byte[] toBytes(ParameterSnapshot p, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Tensor t : p.tensors()) {
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
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + h.length + pad + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length + pad);
        out.put(h);
        for (int i = 0; i < pad; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : p.tensors()) {
            out.asFloatBuffer().put(t.buffer());
            out.position(out.position() + 4 * t.size());
        }
        return out.array();
    }
}
