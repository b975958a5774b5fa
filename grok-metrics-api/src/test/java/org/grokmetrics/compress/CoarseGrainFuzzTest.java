package org.grokmetrics.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.grokmetrics.api.ParameterSnapshot;
import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the description decoder, bounded in count and time (runs in {@code mvn verify}).
 *
 * <ul>
 *   <li>Mutants of real descriptions under every codec (bit flips, truncations, byte insertions and
 *   deletions, fields spliced in from another description): each decodes to exactly the original weights or
 *   fails with a one-line {@link IllegalArgumentException}.</li>
 *   <li>Hostile mutants: the decompressed stream mutated (bit flips, extreme varints and doubles written over
 *   fields, splices) and wrapped again with a right check, so that the stream's own validation is what is
 *   tested: each decodes to finite weights or fails with a one-line IllegalArgumentException; never another
 *   exception, never an OutOfMemoryError.</li>
 * </ul>
 *
 * <p>{@code -Dgrokmetrics.fuzz.count=N} (default 4000 mutants, half as many hostile streams) and {@code -Dgrokmetrics.fuzz.seconds=S}
 * (default 30 for each test) bound a run; {@code -Dgrokmetrics.seed=N} changes the seed.
 */
final class CoarseGrainFuzzTest {

    private static final int COUNT = Integer.getInteger("grokmetrics.fuzz.count", 4000);
    private static final long SECONDS = Long.getLong("grokmetrics.fuzz.seconds", 30);
    private static final long SEED = Long.decode(System.getProperty("grokmetrics.seed", "0x5EED21"));

    private static List<Descriptions.Case> cases;

    @BeforeAll
    static void describe() {
        cases = Descriptions.all();
    }

    @Test
    void mutantsDecodeToTheOriginalOrFailInOneLine() {
        SplittableRandom r = new SplittableRandom(SEED);
        long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
        int run = 0;
        int rejected = 0;
        for (; run < COUNT && System.nanoTime() < deadline; run++) {
            Descriptions.Case c = cases.get(r.nextInt(cases.size()));
            Descriptions.Case other = cases.get(r.nextInt(cases.size()));
            byte[] mutant = mutate(c.encoded(), other.encoded(), r);
            String what = c + " mutant " + run;
            try {
                ParameterSnapshot w = CoarseGrainCompressor.decode(mutant);
                assertEquals(c.weights(), w, what + " decoded to other weights");
                // and only because the mutations cancelled out: a changed description never passes the check
                assertTrue(Arrays.equals(c.encoded(), mutant), what + " differs from the original but decoded");
            } catch (IllegalArgumentException e) {
                Descriptions.assertOneLine(e, what);
                rejected++;
            } catch (RuntimeException | OutOfMemoryError e) {
                fail(what + ": " + e, e);
            }
        }
        System.out.println("fuzz: " + run + " mutants, " + rejected + " rejected in one line, the rest were"
                + " byte-identical to the original and decoded to its weights");
        assertTrue(run >= Math.min(COUNT, 200), "only " + run + " mutants ran");
        assertTrue(rejected > run * 9 / 10, rejected + " of " + run + " rejected");
    }

    @Test
    void hostileStreamsWithARightCheckDecodeToFiniteWeightsOrFailInOneLine() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
        int run = 0;
        int decoded = 0;
        for (; run < COUNT / 2 && System.nanoTime() < deadline; run++) {
            Descriptions.Case c = cases.get(r.nextInt(cases.size()));
            Descriptions.Case other = cases.get(r.nextInt(cases.size()));
            byte[] stream = mutateStream(stream(c), stream(other), r);
            Codec codec = Codecs.all().get(r.nextInt(Codecs.all().size()));
            byte[] hostile = CoarseGrainFormat.compress(stream, codec);
            String what = c + " hostile stream " + run + " under " + codec.id();
            try {
                Descriptions.assertSane(CoarseGrainCompressor.decode(hostile), what);
                decoded++;
            } catch (IllegalArgumentException e) {
                Descriptions.assertOneLine(e, what);
            } catch (RuntimeException | OutOfMemoryError e) {
                fail(what + ": " + e, e);
            }
        }
        System.out.println("fuzz: " + run + " hostile streams, " + decoded + " decoded to finite weights, the rest"
                + " rejected in one line");
        assertTrue(run >= Math.min(COUNT / 2, 200), "only " + run + " hostile streams ran");
        assertTrue(decoded > 0, "no hostile stream decoded: the mutations only test the first check");
    }

    private static byte[] stream(Descriptions.Case c) {
        byte[] d = c.encoded();
        return Codecs.byId(CoarseGrainFormat.codecId(d)).decompress(Arrays.copyOfRange(d, 1, d.length - 4));
    }

    /** One to three mutations of a description. */
    static byte[] mutate(byte[] original, byte[] other, SplittableRandom r) {
        byte[] b = original.clone();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n && b.length > 0; i++) {
            b = switch (r.nextInt(5)) {
                case 0 -> flip(b, r);
                case 1 -> Arrays.copyOf(b, r.nextInt(b.length));
                case 2 -> splice(b, other, r);
                case 3 -> insert(b, r);
                default -> delete(b, r);
            };
        }
        return b;
    }

    /** One to three mutations of a stream, aimed at its fields. */
    static byte[] mutateStream(byte[] original, byte[] other, SplittableRandom r) {
        byte[] b = original.clone();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n && b.length > 1; i++) {
            b = switch (r.nextInt(6)) {
                case 0 -> flip(b, r);
                case 1 -> Arrays.copyOf(b, 1 + r.nextInt(b.length - 1));
                case 2 -> splice(b, other, r);
                case 3 -> overwrite(b, r.nextInt(1, b.length), extremeVarint(r));
                case 4 -> overwrite(b, r.nextInt(1, b.length), extremeDouble(r));
                default -> insert(b, r);
            };
            b[0] = (byte) CoarseGrainFormat.VERSION;   // past the version check, most of the time
        }
        return b;
    }

    private static byte[] flip(byte[] b, SplittableRandom r) {
        byte[] out = b.clone();
        int bit = r.nextInt(8 * out.length);
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }

    /** A range of {@code other}, at the same offset where it exists, written over {@code b}. */
    private static byte[] splice(byte[] b, byte[] other, SplittableRandom r) {
        int at = r.nextInt(b.length);
        int from = at < other.length && r.nextBoolean() ? at : r.nextInt(other.length);
        int len = Math.min(1 + r.nextInt(16), Math.min(b.length - at, other.length - from));
        byte[] out = b.clone();
        System.arraycopy(other, from, out, at, len);
        return out;
    }

    private static byte[] insert(byte[] b, SplittableRandom r) {
        int at = r.nextInt(b.length + 1);
        byte[] ins = new byte[1 + r.nextInt(8)];
        r.nextBytes(ins);
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, SplittableRandom r) {
        int at = r.nextInt(b.length);
        int len = Math.min(1 + r.nextInt(8), b.length - at);
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
        return out;
    }

    private static byte[] overwrite(byte[] b, int at, byte[] field) {
        byte[] out = b.clone();
        System.arraycopy(field, 0, out, at, Math.min(field.length, out.length - at));
        return out;
    }

    /** A varint of 0, 1, 2^31 - 1, 2^31 - 9, 2^28, 2^16 + 1 or a random value. */
    private static byte[] extremeVarint(SplittableRandom r) {
        int[] values = {0, 1, Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1 << 28, 65537, r.nextInt(Integer.MAX_VALUE)};
        int v = values[r.nextInt(values.length)];
        byte[] out = new byte[5];
        int n = 0;
        while ((v & ~0x7F) != 0) {
            out[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[n++] = (byte) v;
        return Arrays.copyOf(out, n);
    }

    /** A big-endian double: NaN, &plusmn;&infin;, 0, a denormal, Double.MAX_VALUE or 1e30. */
    private static byte[] extremeDouble(SplittableRandom r) {
        double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, Double.MIN_VALUE,
                Double.MAX_VALUE, 1e30};
        return java.nio.ByteBuffer.allocate(8).putDouble(values[r.nextInt(values.length)]).array();
    }
}
