package org.grokmetrics.io;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The element types of the safetensors format, as huggingface/safetensors {@code Dtype} lists them
 * (the reference's spelling is the constant's name), with each one's width in bits and, for the
 * floating types, the exact conversion to float32.
 *
 * <p>What can be read as float32 ({@link #isFloating()}): {@code F64} (rounded to nearest), {@code F32},
 * {@code F16}, {@code BF16} and the 8-bit floats {@code F8_E4M3} (OCP E4M3FN: bias 7, no infinities,
 * NaN = S.1111.111), {@code F8_E5M2} (IEEE-like: bias 15, infinities), {@code F8_E4M3FNUZ} (bias 8),
 * {@code F8_E5M2FNUZ} (bias 16; both FNUZ: no infinities, no negative zero, NaN = 0x80 only) and
 * {@code F8_E8M0} (a power of two 2<sup>b&minus;127</sup>, NaN = 0xFF). All of these convert exactly
 * except F64. Everything else &mdash; integers, {@code BOOL}, the complex {@code C64} and the sub-byte
 * microscaling floats {@code F4}, {@code F6_E2M3}, {@code F6_E3M2} (whose packing the reference leaves
 * to the writer) &mdash; is validated in the header but not converted: {@link #notFloatingReason()}
 * says why, for the measures' notes.
 */
public enum SafeTensorsDtype {
    /** Boolean, one byte per element. */
    BOOL(8),
    /** 4-bit float (microscaling; not converted). */
    F4(4),
    /** 6-bit float, 2 exponent and 3 mantissa bits (not converted). */
    F6_E2M3(6),
    /** 6-bit float, 3 exponent and 2 mantissa bits (not converted). */
    F6_E3M2(6),
    /** Unsigned 8-bit integer. */
    U8(8),
    /** Signed 8-bit integer. */
    I8(8),
    /** 8-bit float, IEEE-like: bias 15, infinities. */
    F8_E5M2(8),
    /** 8-bit float, OCP E4M3FN: bias 7, no infinities. */
    F8_E4M3(8),
    /** 8-bit power of two 2<sup>b&minus;127</sup>, NaN = 0xFF. */
    F8_E8M0(8),
    /** 8-bit float E4M3, bias 8, no infinities or negative zero, NaN = 0x80. */
    F8_E4M3FNUZ(8),
    /** 8-bit float E5M2, bias 16, no infinities or negative zero, NaN = 0x80. */
    F8_E5M2FNUZ(8),
    /** Signed 16-bit integer. */
    I16(16),
    /** Unsigned 16-bit integer. */
    U16(16),
    /** IEEE 754 half precision. */
    F16(16),
    /** bfloat16: float32's upper 16 bits. */
    BF16(16),
    /** Signed 32-bit integer. */
    I32(32),
    /** Unsigned 32-bit integer. */
    U32(32),
    /** IEEE 754 single precision. */
    F32(32),
    /** Complex number of two float32 (not converted). */
    C64(64),
    /** IEEE 754 double precision (rounded to nearest float32 when read). */
    F64(64),
    /** Signed 64-bit integer. */
    I64(64),
    /** Unsigned 64-bit integer. */
    U64(64);

    private final int bits;
    private final float[] table;

    SafeTensorsDtype(int bits) {
        this.bits = bits;
        this.table = bits == 8 ? Minifloat.table(name()) : null;
    }

    /**
     * Width of one element in bits (4, 6, 8, 16, 32 or 64), as the reference's {@code bitsize}.
     *
     * @return the width in bits
     */
    public int bits() {
        return bits;
    }

    /**
     * The dtype of a header's {@code "dtype"} string, if the format has it (names are case-sensitive).
     *
     * @param name the header's dtype string, e.g. {@code "BF16"}
     * @return the dtype, empty for a name the format does not have
     */
    public static Optional<SafeTensorsDtype> of(String name) {
        for (SafeTensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether values of this type can be converted to float32 by {@link #decode}.
     *
     * @return true for F64, F32, F16, BF16 and the 8-bit floats
     */
    public boolean isFloating() {
        return notFloatingReason().isEmpty();
    }

    /**
     * Why the measures skip tensors of this type; empty for the floating types.
     *
     * @return the reason, one line
     */
    public Optional<String> notFloatingReason() {
        return switch (this) {
            case F64, F32, F16, BF16, F8_E4M3, F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ, F8_E8M0 -> Optional.empty();
            case BOOL -> Optional.of("BOOL tensor: not a weight, skipped by the measures");
            case U8, I8, I16, U16, I32, U32, I64, U64 -> Optional.of(name()
                    + " integer tensor: not a weight (an index or a counter), skipped by the measures");
            case C64 -> Optional.of("C64 complex tensor: skipped by the measures");
            case F4, F6_E2M3, F6_E3M2 -> Optional.of(name()
                    + " sub-byte tensor: packing not defined by the format, skipped by the measures");
        };
    }

    /** Bytes per element of a floating type (1, 2, 4 or 8). */
    int bytes() {
        return bits / 8;
    }

    /**
     * Converts {@code n} elements from {@code src} (little-endian, at its position, which advances) into
     * {@code dst[off..off+n)}.
     *
     * @throws IllegalStateException if this type is not floating
     */
    void decode(ByteBuffer src, float[] dst, int off, int n) {
        switch (this) {
            case F32 -> src.asFloatBuffer().get(dst, off, n);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = (float) src.getDouble(src.position() + 8 * i);
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = Float.intBitsToFloat((src.getShort(src.position() + 2 * i) & 0xFFFF) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = halfToFloat(src.getShort(src.position() + 2 * i));
                }
            }
            case F8_E4M3, F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ, F8_E8M0 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = table[src.get(src.position() + i) & 0xFF];
                }
            }
            default -> throw new IllegalStateException(name() + " is not a floating dtype");
        }
        src.position(src.position() + n * bytes());
    }

    /** One 8-bit float as float32 (exact), for the FP8 types and {@code F8_E8M0}. */
    float fp8ToFloat(int bits8) {
        if (table == null) {
            throw new IllegalStateException(name() + " is not an 8-bit float");
        }
        return table[bits8 & 0xFF];
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

    /** The 256-entry conversion tables of the 8-bit float types, built from their definitions. */
    private static final class Minifloat {

        static float[] table(String dtype) {
            return switch (dtype) {
                case "F8_E4M3" -> build(4, 3, 7, Style.FN);
                case "F8_E5M2" -> build(5, 2, 15, Style.IEEE);
                case "F8_E4M3FNUZ" -> build(4, 3, 8, Style.FNUZ);
                case "F8_E5M2FNUZ" -> build(5, 2, 16, Style.FNUZ);
                case "F8_E8M0" -> e8m0();
                default -> null; // U8, I8, BOOL: not floats
            };
        }

        private enum Style { IEEE, FN, FNUZ }

        private static float[] build(int expBits, int mantBits, int bias, Style style) {
            float[] t = new float[256];
            int expMax = (1 << expBits) - 1;
            int mantMax = (1 << mantBits) - 1;
            for (int b = 0; b < 256; b++) {
                boolean negative = (b & 0x80) != 0;
                int e = (b >>> mantBits) & expMax;
                int m = b & mantMax;
                float v;
                if (style == Style.FNUZ && b == 0x80) {
                    v = Float.NaN;
                } else if (style == Style.IEEE && e == expMax) {
                    v = m == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
                } else if (style == Style.FN && e == expMax && m == mantMax) {
                    v = Float.NaN;
                } else if (e == 0) {
                    v = Math.scalb((float) m, 1 - bias - mantBits);
                } else {
                    v = Math.scalb((float) ((1 << mantBits) + m), e - bias - mantBits);
                }
                t[b] = negative && !Float.isNaN(v) ? -v : v;
            }
            return t;
        }

        private static float[] e8m0() {
            float[] t = new float[256];
            for (int b = 0; b < 255; b++) {
                t[b] = Math.scalb(1f, b - 127);
            }
            t[255] = Float.NaN;
            return t;
        }
    }
}
