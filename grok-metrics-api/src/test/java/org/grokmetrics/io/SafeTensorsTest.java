package org.grokmetrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.api.Tensor;
import org.grokmetrics.testing.PropertyTest;
import org.grokmetrics.testing.Seed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reader against the rules of the reference implementation (huggingface/safetensors
 * {@code SafeTensors::read_metadata}, {@code Metadata::validate}; its own tests' cases are included:
 * whitespace padding, zero-sized tensors, the JSON attack, incomplete buffers, overflow), one test per
 * rule with the reference's error name, and every dtype.
 */
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
        assertArrayEquals(Files.readAllBytes(f), SafeTensors.toBytes(p, Map.of("source", "test")));
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
        ByteBuffer buf = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        buf.putShort((short) 0x3C00).putShort((short) 0xC100).putShort((short) 0x7BFF).putShort((short) 0x0001);
        buf.putShort((short) 0x3F80).putShort((short) 0xBDCC);
        buf.putDouble(0.1).putDouble(1e300);
        SafeTensors.Contents c = SafeTensors.readContents(image(header, buf.array()), "mem");
        assertArrayEquals(new float[] {1f, -2.5f, 65504f, 0x1p-24f}, c.parameters().get("h").data());
        assertArrayEquals(new float[] {1f, Float.intBitsToFloat(0xBDCC0000)}, c.parameters().get("b").data());
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, c.parameters().get("d").data());
        assertEquals(List.of("h", "b", "d"), c.parameters().names());
        assertEquals("BF16", c.dtypes().get("b"));
    }

    @Test
    void halfPrecisionSpecialValues() {
        assertEquals(Float.POSITIVE_INFINITY, SafeTensorsDtype.halfToFloat((short) 0x7C00));
        assertTrue(Float.isNaN(SafeTensorsDtype.halfToFloat((short) 0x7E00)));
        assertEquals(-0.0f, SafeTensorsDtype.halfToFloat((short) 0x8000));
        assertEquals(6.097555e-5f, SafeTensorsDtype.halfToFloat((short) 0x03FF), 1e-11f);
    }

    /**
     * Every 8-bit float against its definition, evaluated here in double arithmetic with
     * {@code Math.pow} (sign &times; 2^(e &minus; bias) &times; (1 + m/2^M), subnormals 2^(1 &minus; bias)
     * &times; m/2^M), plus anchors from the format papers (E4M3 max 448, E5M2 max 57344, FNUZ E4M3 max
     * 240, smallest subnormals).
     */
    @ParameterizedTest
    @CsvSource({"F8_E4M3,4,3,7,FN", "F8_E5M2,5,2,15,IEEE", "F8_E4M3FNUZ,4,3,8,FNUZ", "F8_E5M2FNUZ,5,2,16,FNUZ"})
    void fp8MatchesItsDefinition(String dtype, int expBits, int mantBits, int bias, String style) {
        SafeTensorsDtype d = SafeTensorsDtype.valueOf(dtype);
        int expMax = (1 << expBits) - 1;
        int mantMax = (1 << mantBits) - 1;
        for (int b = 0; b < 256; b++) {
            int s = b >> 7;
            int e = (b >> mantBits) & expMax;
            int m = b & mantMax;
            double expected;
            if (style.equals("FNUZ") && b == 0x80 || style.equals("FN") && e == expMax && m == mantMax
                    || style.equals("IEEE") && e == expMax && m != 0) {
                expected = Double.NaN;
            } else if (style.equals("IEEE") && e == expMax) {
                expected = Double.POSITIVE_INFINITY;
            } else if (e == 0) {
                expected = Math.pow(2, 1 - bias) * m / (1 << mantBits);
            } else {
                expected = Math.pow(2, e - bias) * (1 + (double) m / (1 << mantBits));
            }
            expected = s == 1 ? -expected : expected;
            float got = d.fp8ToFloat(b);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(got), dtype + " byte " + b);
            } else {
                assertEquals(expected, got, 0.0, dtype + " byte " + b);
                assertEquals(Double.doubleToRawLongBits(expected) < 0, Float.floatToRawIntBits(got) < 0, "sign " + b);
            }
        }
        switch (dtype) {
            case "F8_E4M3" -> {
                assertEquals(448f, d.fp8ToFloat(0x7E));
                assertEquals(0x1p-9f, d.fp8ToFloat(0x01));
            }
            case "F8_E5M2" -> {
                assertEquals(57344f, d.fp8ToFloat(0x7B));
                assertEquals(Float.NEGATIVE_INFINITY, d.fp8ToFloat(0xFC));
                assertEquals(0x1p-16f, d.fp8ToFloat(0x01));
            }
            case "F8_E4M3FNUZ" -> {
                assertEquals(240f, d.fp8ToFloat(0x7F));
                assertEquals(0x1p-10f, d.fp8ToFloat(0x01));
            }
            default -> {
                assertEquals(57344f, d.fp8ToFloat(0x7F));
                assertEquals(0x1p-17f, d.fp8ToFloat(0x01));
            }
        }
    }

    @Test
    void e8m0IsAPowerOfTwo() {
        for (int b = 0; b < 255; b++) {
            assertEquals(Math.pow(2, b - 127), SafeTensorsDtype.F8_E8M0.fp8ToFloat(b), 0.0, "byte " + b);
        }
        assertTrue(Float.isNaN(SafeTensorsDtype.F8_E8M0.fp8ToFloat(0xFF)));
        assertEquals(1f, SafeTensorsDtype.F8_E8M0.fp8ToFloat(127));
    }

    /** Every dtype of the reference's list: the file is accepted; floats converted, the others skipped. */
    @Test
    void everyDtypeOfTheFormatIsRead() throws Exception {
        StringBuilder h = new StringBuilder("{");
        long off = 0;
        for (SafeTensorsDtype d : SafeTensorsDtype.values()) {
            long bytes = d.bits(); // 8 elements: a whole number of bytes for every width
            h.append(off == 0 ? "" : ",").append('"').append(d.name().toLowerCase()).append("\":{\"dtype\":\"")
                    .append(d.name()).append("\",\"shape\":[2,4],\"data_offsets\":[").append(off).append(',')
                    .append(off + bytes).append("]}");
            off += bytes;
        }
        h.append('}');
        byte[] data = new byte[(int) off];
        SafeTensors.Contents c = SafeTensors.readContents(image(h.toString(), data), "all");
        assertEquals(SafeTensorsDtype.values().length, c.dtypes().size());
        for (SafeTensorsDtype d : SafeTensorsDtype.values()) {
            String name = d.name().toLowerCase();
            assertEquals(d.name(), c.dtypes().get(name));
            if (d.isFloating()) {
                assertArrayEquals(new int[] {2, 4}, c.parameters().get(name).shape(), name);
                assertFalse(c.skipped().containsKey(name), name);
            } else {
                assertTrue(c.skipped().get(name).contains(d.name()), c.skipped().toString());
                assertFalse(c.parameters().names().contains(name), name);
            }
        }
        // the list is the reference's (safetensors/src/tensor.rs, Dtype, May 2026)
        assertEquals(List.of("BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
                "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64",
                "U64"), java.util.Arrays.stream(SafeTensorsDtype.values()).map(Enum::name).toList());
    }

    @Test
    void fp8ValuesAreConvertedInAFile() throws Exception {
        byte[] data = {0x38, (byte) 0xC0, 0x7E, 0x01};
        var c = SafeTensors.readContents(image("{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}",
                data), "fp8");
        // 0x38 = 0.0111.000 = 2^(7-7) = 1; 0xC0 = 1.1000.000 = -2^(8-7) = -2
        assertArrayEquals(new float[] {1f, -2f, 448f, 0x1p-9f}, c.parameters().get("q").data());
    }

    // ---- the reference's rules, one by one ------------------------------------------------------------

    @Test
    void headerTooSmall() {
        assertRejected(new byte[0], "HeaderTooSmall");
        assertRejected(new byte[7], "HeaderTooSmall");
    }

    @Test
    void headerTooLarge() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(100_000_001L);
        assertRejected(b.array(), "HeaderTooLarge");
        b.clear();
        b.putLong(-1L); // 2^64 - 1
        assertRejected(b.array(), "HeaderTooLarge");
        // the reference's test: length 0xffffff000000003c
        byte[] ref = image("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", new byte[16]);
        ref[5] = ref[6] = ref[7] = (byte) 0xFF;
        assertRejected(ref, "HeaderTooLarge");
    }

    @Test
    void invalidHeaderLength() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(60);
        assertRejected(b.array(), "InvalidHeaderLength");
        byte[] ok = SafeTensors.toBytes(ParameterSnapshot.of(Tensor.vector("w", new float[] {1})), Map.of());
        assertRejected(java.util.Arrays.copyOf(ok, 20), "InvalidHeaderLength");
    }

    @Test
    void invalidUtf8() {
        // a stray 0xFF, an overlong '/' (C0 AF), a UTF-8-encoded surrogate (ED A0 80), a cut sequence (E2 82)
        for (byte[] seq : new byte[][] {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}}) {
            byte[] before = "{\"w".getBytes(StandardCharsets.US_ASCII);
            byte[] after = "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}".getBytes(StandardCharsets.US_ASCII);
            byte[] h = new byte[before.length + seq.length + after.length];
            System.arraycopy(before, 0, h, 0, before.length);
            System.arraycopy(seq, 0, h, before.length, seq.length);
            System.arraycopy(after, 0, h, before.length + seq.length, after.length);
            var e = assertRejected(image(h, new byte[0]), "InvalidHeader");
            assertTrue(e.getMessage().contains("not valid UTF-8 (at header byte 3)"), e.getMessage());
        }
    }

    @Test
    void loneSurrogatesInNamesAndMetadataAreRejected() throws Exception {
        var e = assertRejected(image("{\"w\\ud800x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}",
                new byte[0]), "InvalidHeaderDeserialization");
        // our own check ("lone surrogate \uD800") or Jackson's ("Broken surrogate pair"), whichever sees it first
        assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("surrogate"), e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(ch -> Character.isSurrogate((char) ch)), e.getMessage());
        assertRejected(image("{\"__metadata__\":{\"k\":\"\\udc00\"}}", new byte[0]), "InvalidHeaderDeserialization");
        assertRejected(image("{\"__metadata__\":{\"\\ud83d\":\"v\"}}", new byte[0]), "InvalidHeaderDeserialization");
        // a proper pair is fine
        assertAccepted(image("{\"w\\ud83d\\ude00\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}",
                new byte[0]));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{not json|not valid JSON",
        "[1,2]|not a JSON object",
        "|header is empty",
        "\uFEFF{}|not a JSON object",
        "{}x|trailing characters",
        "{} {}|trailing characters",
        "{\"w\":1}|not an object",
        "{\"w\":{\"shape\":[0],\"data_offsets\":[0,0]}}|missing field dtype",
        "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,0]}}|missing field shape",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[0]}}|missing field data_offsets",
        "{\"w\":{\"dtype\":\"F31\",\"shape\":[0],\"data_offsets\":[0,0]}}|unknown dtype 'F31'",
        "{\"w\":{\"dtype\":\"f32\",\"shape\":[0],\"data_offsets\":[0,0]}}|unknown dtype 'f32'",
        "{\"w\":{\"dtype\":32,\"shape\":[0],\"data_offsets\":[0,0]}}|dtype is not a string",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}|'2.0', not a non-negative integer",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2e0],\"data_offsets\":[0,8]}}|not a non-negative integer",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}|not a non-negative integer",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[-0],\"data_offsets\":[0,0]}}|not a non-negative integer",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}|not a non-negative integer",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}|shape is not an array",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0,0]}}|has 3 elements, not 2",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0]}}|has 1 elements, not 2",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0.0]}}|not a non-negative integer",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,0]}}|beyond 64 bits",
        "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}|given twice",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}|given twice",
        "{\"__metadata__\":{\"k\":1}}|is not a string",
        "{\"__metadata__\":{\"k\":null}}|is not a string",
        "{\"__metadata__\":{\"k\":{\"a\":\"b\"}}}|is not a string",
        "{\"__metadata__\":[\"k\"]}|not an object of strings",
        "{\"__metadata__\":\"k\"}|not an object of strings",
        "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}|given twice",
        "{\"__metadata__\":{},\"__metadata__\":{}}|given twice",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]} /* c */}|not valid JSON",
        "{'w':{}}|not valid JSON",
    })
    void invalidHeaderDeserialization(String header, String fragment) {
        var e = assertRejected(image(header == null ? "" : header, new byte[0]), "InvalidHeaderDeserialization");
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void nulPaddingIsNotWhitespace() {
        for (String h : List.of("{}\0", "{} \0\0", "\0{}")) {
            var e = assertRejected(image(h, new byte[0]), "InvalidHeaderDeserialization");
            assertTrue(e.getMessage().contains("trailing characters") || e.getMessage().contains("not a JSON object"),
                    e.getMessage());
        }
    }

    @Test
    void jsonWhitespacePadsTheHeaderOnEitherSide() throws Exception {
        // the reference's tests: trailing "\r \t\n" and leading "\t\n"
        assertAccepted(image("{}\r \t\n", new byte[0]));
        assertAccepted(image("\t\n{}\r ", new byte[0]));
        assertAccepted(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}        ", new byte[4]));
    }

    @Test
    void unknownEntryFieldsAreIgnoredAndNullMetadataIsNone() throws Exception {
        var c = SafeTensors.readContents(image("{\"__metadata__\":null,\"a\":{\"dtype\":\"F32\",\"note\":[1,{\"x\":2}],"
                + "\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "m");
        assertEquals(Map.of(), c.metadata());
        assertEquals(List.of("a"), c.parameters().names());
    }

    @Test
    void invalidOffset() {
        // does not start at 0
        var e = assertRejected(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
                "InvalidOffset");
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("start at 0"), e.getMessage());
        // gap
        assertRejected(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]), "InvalidOffset");
        // overlap
        var o = assertRejected(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "InvalidOffset");
        assertTrue(o.getMessage().contains("'b'"), o.getMessage());
        // end before begin
        var back = assertRejected(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"c\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", new byte[4]), "InvalidOffset");
        assertTrue(back.getMessage().contains("end is before its begin"), back.getMessage());
        // the reference's JSON attack: ten tensors all at [0, 16]
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i < 10; i++) {
            h.append(i == 0 ? "" : ",").append("\"weight_").append(i)
                    .append("\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}");
        }
        assertRejected(image(h.append('}').toString(), new byte[16]), "InvalidOffset");
    }

    @Test
    void offsetsInAnyHeaderOrderAreSortedAndZeroSizedTensorsMayShareAnOffset() throws Exception {
        var c = SafeTensors.readContents(image("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"e2\":{\"dtype\":\"I32\",\"shape\":[2,0],\"data_offsets\":[8,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"e1\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).array()), "s");
        assertEquals(List.of("a", "e1", "b"), c.parameters().names());
        assertEquals(-2f, c.parameters().get("b").get(0));
        assertTrue(c.skipped().containsKey("e2"));
    }

    /** Valid in the format but not a Tensor: skipped with the reason, the rest of the file read. */
    @Test
    void anEmptyTensorWithADimensionPastIntIsSkipped() throws Exception {
        var c = SafeTensors.readContents(image("{\"e\":{\"dtype\":\"F32\",\"shape\":[0,5000000000],"
                + "\"data_offsets\":[0,0]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[4]), "e");
        assertTrue(c.skipped().get("e").contains("empty tensor with a dimension past"), c.skipped().toString());
        assertEquals(List.of("w"), c.parameters().names());
    }

    @Test
    void validationOverflow() {
        // the reference's two cases
        assertRejected(image("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,9223372036854775807],\"data_offsets\":[0,16]}}",
                new byte[16]), "ValidationOverflow");
        assertRejected(image("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,18446744073709551614],\"data_offsets\":[0,16]}}",
                new byte[16]), "ValidationOverflow");
        assertRejected(image("{\"t\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,16]}}",
                new byte[16]), "ValidationOverflow");
        // elements fit 64 bits, bits do not
        assertRejected(image("{\"t\":{\"dtype\":\"U8\",\"shape\":[4611686018427387904],\"data_offsets\":[0,16]}}",
                new byte[16]), "ValidationOverflow");
    }

    @Test
    void misalignedSlice() {
        assertRejected(image("{\"t\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", new byte[2]),
                "MisalignedSlice");
        assertRejected(image("{\"t\":{\"dtype\":\"F6_E2M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]),
                "MisalignedSlice");
        assertDoesNotThrow(image("{\"t\":{\"dtype\":\"F6_E3M2\",\"shape\":[4],\"data_offsets\":[0,3]}}", new byte[3]));
    }

    @Test
    void tensorInvalidInfo() {
        // the reference's case: I32 [2,2] in 4 bytes
        var e = assertRejected(image("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,4]}}",
                new byte[4]), "TensorInvalidInfo");
        assertTrue(e.getMessage().contains("needs 16 bytes"), e.getMessage());
        assertRejected(image("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
                "TensorInvalidInfo");
    }

    @Test
    void metadataIncompleteBuffer() {
        String h = "{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        var extra = assertRejected(image(h, "0123456789abcdefextra_bogus_data_for_polyglot_file"
                .getBytes(StandardCharsets.US_ASCII)), "MetadataIncompleteBuffer");
        assertTrue(extra.getMessage().contains("after the last tensor"), extra.getMessage());
        var missing = assertRejected(image(h, new byte[14]), "MetadataIncompleteBuffer");
        assertTrue(missing.getMessage().contains("truncated"), missing.getMessage());
        assertRejected(image("{}", new byte[1]), "MetadataIncompleteBuffer");
    }

    @Test
    void jacksonImposesNoLimitBelowTheFormats() throws Exception {
        String longName = "n".repeat(1 << 20);
        String longValue = "v".repeat(21_000_000); // above Jackson's default 20M string limit
        var c = SafeTensors.readContents(image("{\"__metadata__\":{\"k\":\"" + longValue + "\"},\"" + longName
                + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "big");
        assertEquals(longValue.length(), c.metadata().get("k").length());
        assertEquals(List.of(longName), c.parameters().names());
    }

    @Test
    @Timeout(60)
    void aHundredThousandEmptyTensorsAreLinear() throws Exception {
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i < 100_000; i++) {
            h.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],"
                    + "\"data_offsets\":[0,0]}");
        }
        var c = SafeTensors.readContents(image(h.append('}').toString(), new byte[0]), "many");
        assertEquals(100_000, c.parameters().tensorCount());
    }

    /** A number of a million digits is rejected by its length, not parsed (BigInteger parsing is quadratic). */
    @Test
    @Timeout(10)
    void hugeNumbersAreRejectedWithoutParsing() {
        String digits = "9".repeat(1_000_000);
        var e = assertRejected(image("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + digits + "],\"data_offsets\":[0,0]}}",
                new byte[0]), "InvalidHeaderDeserialization");
        assertTrue(e.getMessage().contains("1000000-digit number, beyond 64 bits"), e.getMessage());
        // in an ignored field it is skipped unparsed
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> SafeTensors.readContents(image(
                "{\"w\":{\"x\":" + digits + ",\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}",
                new byte[0]), "ok"));
    }

    @Test
    void namesAreEscapedInMessages() {
        var e = assertRejected(image("{\"evil\\r\\n\\u001b[31mred\":{\"dtype\":\"F32\",\"shape\":[3],"
                + "\"data_offsets\":[0,8]}}", new byte[8]), "TensorInvalidInfo");
        assertTrue(e.getMessage().contains("'evil\\r\\n\\u001B[31mred'"), e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(ch -> ch < 0x20), e.getMessage());
        assertEquals("a\\\\b\\t\\u007F\\u009B\\u202E", SafeTensors.printable("a\\b\t\u007F\u009B\u202E"));
        assertEquals("caf\u00e9 \ud83d\ude00", SafeTensors.printable("caf\u00e9 \ud83d\ude00"));
        assertEquals("x\\uD800", SafeTensors.printable("x\ud800"));
    }

    @Test
    void writerRejectsWhatTheFormatCannotHold() {
        // a lone surrogate cannot even make a Tensor (its name must be well-formed UTF-16)
        var e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.toBytes(ParameterSnapshot.of(Tensor.vector("w\ud800", new float[] {1})), Map.of()));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(
                ParameterSnapshot.of(Tensor.vector("__metadata__", new float[] {1})), Map.of()));
    }

    @Test
    void missingFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> SafeTensors.read(dir.resolve("absent.safetensors")));
    }

    @Test
    void theReferencesDeserializationExample() throws Exception {
        // safetensors/src/tensor.rs test_deserialization: I32 [2,2], 16 zero bytes; header length '<' = 60
        byte[] img = image("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", new byte[16]);
        assertEquals(60, img[0]);
        try (SafeTensorsFile f = SafeTensorsFile.of(img, "ref")) {
            SafeTensorsEntry e = f.header().tensors().get(0);
            assertEquals(SafeTensorsDtype.I32, e.dtype());
            assertArrayEquals(new long[] {2, 2}, e.shape());
            assertArrayEquals(new byte[16], f.readBytes(e));
            var ex = assertThrows(SafeTensorsException.class, () -> f.readFloats(e));
            assertTrue(ex.getMessage().contains("'test'") && ex.getMessage().contains("integer"), ex.getMessage());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** An image: 8-byte length, the header exactly as given (no padding), then the data. */
    static byte[] image(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return image(h, data);
    }

    static byte[] image(byte[] h, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    private static SafeTensorsException assertRejected(byte[] image, String referenceError) {
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.readContents(image, "bad.safetensors"));
        assertTrue(e.getMessage().startsWith("bad.safetensors: " + referenceError + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e;
    }

    private static void assertAccepted(byte[] image) throws Exception {
        SafeTensors.readContents(image, "ok");
    }

    private static void assertDoesNotThrow(byte[] image) {
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> SafeTensors.readContents(image, "ok"));
    }
}
