package org.grokmetrics.monitor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The TensorBoard event-file format, as far as scalars need it (the format only: no protobuf library).
 *
 * <p>A file is a sequence of records, each
 * {@code uint64 length | uint32 masked_crc32c(length) | data[length] | uint32 masked_crc32c(data)}, all
 * little-endian, where {@code masked(c) = ((c >>> 15) | (c << 17)) + 0xa282ead8} over CRC-32C (Castagnoli).
 * Each record's data is one {@code tensorflow.Event} protobuf message, of which these fields are written:
 * <pre>
 *   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
 *   Summary { repeated Value value = 1; }
 *   Value   { string tag = 1; float simple_value = 2; }
 * </pre>
 * The first record of a file carries {@code file_version = "brain.Event:2"}.
 */
final class TfEvents {

    /** What the first event of every file says. */
    static final String FILE_VERSION = "brain.Event:2";

    private static final int MASK_DELTA = 0xa282ead8;

    private TfEvents() {
    }

    /** One framed record around {@code data}. */
    static byte[] record(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc32c(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc32c(data, 0, data.length));
        return b.array();
    }

    /** The masked CRC-32C TensorFlow's record framing uses. */
    static int maskedCrc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** The Event that opens a file. */
    static byte[] fileVersionEvent(double wallTime) {
        Proto e = new Proto();
        e.fixed64(1, Double.doubleToRawLongBits(wallTime));
        e.varint(2, 0);
        e.bytes(3, FILE_VERSION.getBytes(StandardCharsets.UTF_8));
        return e.toByteArray();
    }

    /** An Event with a Summary of one simple_value per tag, in the map's order. */
    static byte[] scalarsEvent(double wallTime, long step, Map<String, Float> scalars) {
        Proto summary = new Proto();
        for (Map.Entry<String, Float> s : scalars.entrySet()) {
            Proto value = new Proto();
            value.bytes(1, s.getKey().getBytes(StandardCharsets.UTF_8));
            value.fixed32(2, Float.floatToRawIntBits(s.getValue()));
            summary.bytes(1, value.toByteArray());
        }
        Proto e = new Proto();
        e.fixed64(1, Double.doubleToRawLongBits(wallTime));
        e.varint(2, step);
        e.bytes(5, summary.toByteArray());
        return e.toByteArray();
    }

    /** Protobuf wire encoding of the three wire types these messages use. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            rawVarint((long) field << 3);
            rawVarint(value);
        }

        void fixed64(int field, long bits) {
            rawVarint(((long) field << 3) | 1);
            for (int i = 0; i < 8; i++) {
                out.write((int) (bits >>> (8 * i)) & 0xff);
            }
        }

        void fixed32(int field, int bits) {
            rawVarint(((long) field << 3) | 5);
            for (int i = 0; i < 4; i++) {
                out.write((bits >>> (8 * i)) & 0xff);
            }
        }

        void bytes(int field, byte[] data) {
            rawVarint(((long) field << 3) | 2);
            rawVarint(data.length);
            out.write(data, 0, data.length);
        }

        private void rawVarint(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
