package org.grokmetrics.examples.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.grokmetrics.codec.Codec;
import org.grokmetrics.codec.Codecs;

/**
 * Codec throughput and ratio on two inputs typical of this library: raw float32 Gaussian weights (the
 * naive baseline) and 4-bit quantization codes stored one per byte (what the compressor encodes).
 */
public final class CodecBenchmark {

    /** One measured row. */
    public record Row(String codec, String input, int bytes, int compressedBytes, double compressMBs,
                      double decompressMBs) {
    }

    private CodecBenchmark() {
    }

    public static List<Row> run(int floats) {
        SplittableRandom r = new SplittableRandom(42);
        ByteBuffer raw = ByteBuffer.allocate(4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        byte[] codes = new byte[floats];
        for (int i = 0; i < floats; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
            raw.putFloat((float) (0.05 * g));
            codes[i] = (byte) Math.max(-7, Math.min(7, Math.round(g * 2)));
        }
        List<Row> rows = new ArrayList<>();
        List<Codec> codecs = new ArrayList<>(Codecs.all());
        codecs.add(Codecs.zstd(3));
        for (Codec c : codecs) {
            rows.add(measure(c, "float32 weights", raw.array()));
            rows.add(measure(c, "4-bit codes (int8)", codes));
        }
        return rows;
    }

    private static Row measure(Codec c, String input, byte[] data) {
        byte[][] out = new byte[1][];
        double ms = Timer.medianMillis(1, 3, () -> out[0] = c.compress(data));
        double dms = Timer.medianMillis(1, 3, () -> c.decompress(out[0]));
        String name = c.toString().startsWith("zstd") ? c.toString() : c.id();
        Row row = new Row(name, input, data.length, out[0].length, data.length / 1e3 / ms, data.length / 1e3 / dms);
        System.out.printf(Locale.ROOT, "  %-8s %-20s %8d -> %8d bytes  compress %7.1f MB/s  decompress %7.1f MB/s%n",
                row.codec(), input, row.bytes(), row.compressedBytes(), row.compressMBs(), row.decompressMBs());
        return row;
    }

    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| codec | input | bytes | compressed | ratio | compress (MB/s) | decompress (MB/s) |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.3f | %.1f | %.1f |%n", r.codec(), r.input(),
                    r.bytes(), r.compressedBytes(), (double) r.compressedBytes() / r.bytes(), r.compressMBs(),
                    r.decompressMBs()));
        }
        return sb.toString();
    }
}
