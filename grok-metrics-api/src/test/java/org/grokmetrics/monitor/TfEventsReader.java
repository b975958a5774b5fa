package org.grokmetrics.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of TensorBoard event files written for the tests, independently of {@link TfEvents}: the record
 * framing (little-endian length, masked CRC-32C of the length and of the data, the CRC computed bit by bit
 * from the Castagnoli polynomial, not with {@code java.util.zip.CRC32C}; both CRCs asserted) and a generic
 * protobuf wire decoder for the Event, Summary and Value fields (unexpected fields fail).
 */
public final class TfEventsReader {

    private TfEventsReader() {
    }

    /** CRC-32C, bitwise, reflected polynomial 0x82F63B78 (RFC 3720, appendix B.4). */
    public static int crc32c(byte[] b, int off, int len) {
        int crc = 0xffffffff;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc;
    }

    public static int masked(int crc) {
        return Integer.rotateRight(crc, 15) + 0xa282ead8;
    }

    /** The data of each record, with both CRCs verified. */
    public static List<byte[]> records(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int start = b.position();
            long length = b.getLong();
            assertEquals(masked(crc32c(all, start, 8)), b.getInt(), "length CRC of record " + out.size());
            byte[] data = new byte[Math.toIntExact(length)];
            b.get(data);
            assertEquals(masked(crc32c(data, 0, data.length)), b.getInt(), "data CRC of record " + out.size());
            out.add(data);
        }
        return out;
    }

    /** One protobuf field: its number, wire type and raw value (Long for varint/fixed, byte[] for bytes). */
    record Field(int number, int wireType, Object value) {
    }

    static List<Field> fields(byte[] msg) {
        List<Field> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < msg.length) {
            long key = varint(msg, pos);
            int number = (int) (key >>> 3);
            int type = (int) (key & 7);
            switch (type) {
                case 0 -> out.add(new Field(number, type, varint(msg, pos)));
                case 1 -> out.add(new Field(number, type, little(msg, pos, 8)));
                case 2 -> {
                    int n = (int) varint(msg, pos);
                    byte[] v = java.util.Arrays.copyOfRange(msg, pos[0], pos[0] + n);
                    pos[0] += n;
                    out.add(new Field(number, type, v));
                }
                case 5 -> out.add(new Field(number, type, little(msg, pos, 4)));
                default -> throw new AssertionError("unexpected wire type " + type);
            }
        }
        return out;
    }

    static long varint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[pos[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    static long little(byte[] b, int[] pos, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (b[pos[0]++] & 0xff) << (8 * i);
        }
        return v;
    }

    /** A decoded Event: wall_time, step, file_version (or null), the summary's tag -> simple_value. */
    public record Event(double wallTime, long step, String fileVersion, Map<String, Float> scalars) {
    }

    public static Event event(byte[] data) {
        double wall = Double.NaN;
        long step = 0;
        String version = null;
        Map<String, Float> scalars = new LinkedHashMap<>();
        for (Field f : fields(data)) {
            switch (f.number()) {
                case 1 -> {
                    assertEquals(1, f.wireType(), "wall_time is a double");
                    wall = Double.longBitsToDouble((Long) f.value());
                }
                case 2 -> {
                    assertEquals(0, f.wireType(), "step is a varint");
                    step = (Long) f.value();
                }
                case 3 -> version = new String((byte[]) f.value(), StandardCharsets.UTF_8);
                case 5 -> {
                    for (Field v : fields((byte[]) f.value())) {
                        assertEquals(1, v.number(), "Summary.value");
                        String tag = null;
                        Float value = null;
                        for (Field g : fields((byte[]) v.value())) {
                            if (g.number() == 1) {
                                tag = new String((byte[]) g.value(), StandardCharsets.UTF_8);
                            } else if (g.number() == 2) {
                                assertEquals(5, g.wireType(), "simple_value is a float");
                                value = Float.intBitsToFloat((int) (long) (Long) g.value());
                            }
                        }
                        assertTrue(tag != null && value != null, "Value with tag and simple_value");
                        assertFalse(scalars.containsKey(tag), "one value per tag: " + tag);
                        scalars.put(tag, value);
                    }
                }
                default -> throw new AssertionError("unexpected Event field " + f.number());
            }
        }
        return new Event(wall, step, version, scalars);
    }

    /**
     * Every event of a file, CRCs verified.
     *
     * @param file an event file
     * @return its events, the file-version event first
     * @throws IOException if it cannot be read
     */
    public static List<Event> events(Path file) throws IOException {
        List<Event> out = new ArrayList<>();
        for (byte[] data : records(file)) {
            out.add(event(data));
        }
        return out;
    }
}
