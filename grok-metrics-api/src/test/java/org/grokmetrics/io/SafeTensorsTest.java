package org.grokmetrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @PropertyTest(cases = 25)
    void writeThenReadRoundTrips(Seed seed) throws Exception {
        var g = seed.gen();
        int m = g.intIn(1, 9);
        int n = g.intIn(1, 9);
        ParameterSnapshot p = ParameterSnapshot.of(List.of(
                Tensor.matrix("layer.0.weight", m, n, g.gaussianFloats(m * n, 1)),
                Tensor.vector("layer.0.bias", g.gaussianFloats(n, 1)),
                new Tensor("scalar", new int[0], new float[] {(float) g.gaussian()})));
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, p, Map.of("source", "test"));
        SafeTensors.Contents c = SafeTensors.readContents(f);
        assertEquals(p, c.parameters());
        assertEquals(Map.of("source", "test"), c.metadata());
        assertEquals("F32", c.dtypes().get("layer.0.bias"));
        // header is 8-byte aligned, as the reference writer does
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
    }

    /**
     * A file written by NumPy 2.4.6 by hand (struct + json): F16 [1.0, -2.5, 65504, 2^-24], BF16
     * [1.0, -0.1 truncated], F64 [0.1, 1e300 -> inf in float32].
     */
    @Test
    void readsHalfBfloatAndDouble() throws Exception {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[12,28]}}";
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + 28).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        buf.putShort((short) 0x3C00).putShort((short) 0xC100).putShort((short) 0x7BFF).putShort((short) 0x0001);
        buf.putShort((short) 0x3F80).putShort((short) 0xBDCC);
        buf.putDouble(0.1).putDouble(1e300);
        SafeTensors.Contents c = SafeTensors.readContents(buf.array(), "mem");
        assertArrayEquals(new float[] {1f, -2.5f, 65504f, 0x1p-24f}, c.parameters().get("h").data());
        assertArrayEquals(new float[] {1f, Float.intBitsToFloat(0xBDCC0000)}, c.parameters().get("b").data());
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, c.parameters().get("d").data());
        assertEquals(List.of("h", "b", "d"), c.parameters().names());
        assertEquals("BF16", c.dtypes().get("b"));
    }

    @Test
    void halfPrecisionSpecialValues() {
        assertEquals(Float.POSITIVE_INFINITY, SafeTensors.halfToFloat((short) 0x7C00));
        assertTrue(Float.isNaN(SafeTensors.halfToFloat((short) 0x7E00)));
        assertEquals(-0.0f, SafeTensors.halfToFloat((short) 0x8000));
        assertEquals(6.097555e-5f, SafeTensors.halfToFloat((short) 0x03FF), 1e-11f);
    }

    private static byte[] validImage() {
        return SafeTensors.toBytes(ParameterSnapshot.of(Tensor.matrix("w", 2, 2, new float[] {1, 2, 3, 4})), Map.of());
    }

    @Test
    void truncatedFileNamesTheProblem() {
        byte[] ok = validImage();
        byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 3);
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.readContents(cut, "cut.safetensors"));
        assertTrue(e.getMessage().startsWith("cut.safetensors: tensor 'w'"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        var tiny = assertThrows(SafeTensorsException.class, () -> SafeTensors.readContents(new byte[3], "t"));
        assertTrue(tiny.getMessage().contains("too short"), tiny.getMessage());
        byte[] headerCut = java.util.Arrays.copyOf(ok, 20);
        var hc = assertThrows(SafeTensorsException.class, () -> SafeTensors.readContents(headerCut, "h"));
        assertTrue(hc.getMessage().contains("truncated"), hc.getMessage());
    }

    @Test
    void corruptHeadersNameTheProblem() {
        assertMessage(image("{not json"), "not valid JSON");
        assertMessage(image("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}"), "unsupported dtype I64");
        assertMessage(image("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}"), "needs 12 bytes");
        assertMessage(image("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}"), "data_offsets");
        assertMessage(image("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}"), "missing dtype");
        assertMessage(image("[1,2]"), "not a JSON object");
        byte[] garbage = new byte[64];
        java.util.Arrays.fill(garbage, (byte) 0x7F);
        assertMessage(garbage, "not plausible");
    }

    private static byte[] image(String header) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8));
        return b.array();
    }

    private static void assertMessage(byte[] image, String fragment) {
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.readContents(image, "bad.safetensors"));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.safetensors"), e.getMessage());
    }

    @Test
    void missingFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> SafeTensors.read(dir.resolve("absent.safetensors")));
    }

    @Test
    void decodesAFileMadeByTheReferencePythonLayout() throws Exception {
        // header {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} padded to 8 bytes, then 0.5, -3
        String b64 = Base64.getEncoder().encodeToString(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"));
        byte[] img = Base64.getDecoder().decode(b64);
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putFloat(img.length - 8, 0.5f).putFloat(img.length - 4, -3f);
        assertArrayEquals(new float[] {0.5f, -3f}, SafeTensors.readContents(img, "x").parameters().get("a").data());
    }
}
