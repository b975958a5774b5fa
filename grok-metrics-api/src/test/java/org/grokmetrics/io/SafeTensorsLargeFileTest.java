package org.grokmetrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files past 2 and 4 GB and tensors past 2^31 bytes and elements, without writing gigabytes: a sparse
 * file ({@link RandomAccessFile#setLength}) whose few non-zero bytes are written at known offsets.
 * Layout: {@code huge} F32 [2^31] (8 GiB, more elements than a Java array), {@code mid} F32 [2^29 + 1]
 * (2 GiB + 4 bytes) with 7.0 as its last element, {@code tail} F32 [2] = (1.5, -2.5) past 10 GiB.
 */
class SafeTensorsLargeFileTest {

    @TempDir
    Path dir;

    @Test
    void offsetsPastFourGigabytesAndTensorsPastTwoAreExact() throws Exception {
        long huge = 4L << 31;
        long mid = 4L * ((1L << 29) + 1);
        String header = "{\"huge\":{\"dtype\":\"F32\",\"shape\":[2147483648],\"data_offsets\":[0," + huge + "]},"
                + "\"mid\":{\"dtype\":\"F32\",\"shape\":[536870913],\"data_offsets\":[" + huge + "," + (huge + mid) + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + (huge + mid) + "," + (huge + mid + 8)
                + "]}}";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        long dataStart = 8 + h.length;
        Path f = dir.resolve("big.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(dataStart + huge + mid + 8);
            ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
            raf.write(b.putLong(h.length).put(h).array());
            raf.seek(dataStart + huge + mid - 4);
            raf.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(7f).array());
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2.5f).array());
        }
        try (SafeTensorsFile file = SafeTensorsFile.open(f)) {
            var entries = file.header().tensors();
            assertEquals(huge + mid + 8, file.header().dataLength());
            SafeTensorsEntry hugeE = entries.get(0);
            SafeTensorsEntry midE = entries.get(1);
            SafeTensorsEntry tailE = entries.get(2);
            assertEquals(1L << 31, hugeE.elements());
            assertArrayEquals(new float[] {1.5f, -2.5f}, file.readFloats(tailE));
            var tooBig = assertThrows(SafeTensorsException.class, () -> file.readFloats(hugeE));
            assertTrue(tooBig.getMessage().contains("'huge'") && tooBig.getMessage().contains("2147483648 elements"),
                    tooBig.getMessage());
            assertThrows(SafeTensorsException.class, () -> file.readBytes(hugeE));
            // the 2 GiB + 4 B tensor streams: every element seen once, the last one in its place
            AtomicLong seen = new AtomicLong();
            AtomicLong nonZeroAt = new AtomicLong(-1);
            file.forEachChunk(midE, (values, first, count) -> {
                seen.addAndGet(count);
                for (int i = 0; i < count; i++) {
                    if (values[i] != 0) {
                        assertEquals(7f, values[i]);
                        nonZeroAt.set(first + i);
                    }
                }
            });
            assertEquals(midE.elements(), seen.get());
            assertEquals((1L << 29), nonZeroAt.get());
        }
        var whole = assertThrows(SafeTensorsException.class, () -> SafeTensors.readContents(f));
        assertTrue(whole.getMessage().contains("'huge'"), whole.getMessage());
        assertEquals(1, whole.getMessage().lines().count());
    }
}
