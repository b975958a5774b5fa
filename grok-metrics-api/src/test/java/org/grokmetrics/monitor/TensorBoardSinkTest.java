package org.grokmetrics.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.EstimationCost;
import org.grokmetrics.api.MeasureUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TensorBoard sink's bytes, read back by {@link TfEventsReader}, a reader of the format written for the
 * tests independently of {@link TfEvents} (own CRC-32C, own protobuf decoder). Every scalar of every record
 * is checked, after each record (the file is readable while training runs). {@code
 * scripts/tensorboard_check.py} opens such a file with TensorBoard's own reader.
 */
class TensorBoardSinkTest {

    static int crc32c(byte[] b, int off, int len) {
        return TfEventsReader.crc32c(b, off, len);
    }

    static int masked(int crc) {
        return TfEventsReader.masked(crc);
    }

    static List<byte[]> records(Path file) throws IOException {
        return TfEventsReader.records(file);
    }

    static TfEventsReader.Event event(byte[] data) {
        return TfEventsReader.event(data);
    }


    @TempDir
    Path dir;

    // ---- the tests ----

    @Test
    void independentCrcMatchesTheStandardCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, crc32c(check, 0, check.length));   // RFC 3720 / iSCSI check value
        assertEquals(masked(crc32c(check, 0, check.length)), TfEvents.maskedCrc32c(check, 0, check.length));
    }

    static ComplexityRecord record(Random rnd, long step, boolean failing) {
        List<ComplexityEstimate> estimates = new ArrayList<>();
        estimates.add(ComplexityEstimate.of("coarse_grain", 1000 + rnd.nextDouble() * 20000, MeasureUnit.BITS, List.of(),
                Map.of("rank_fraction", rnd.nextDouble(), "loss_increase", rnd.nextGaussian() * 1e-3),
                EstimationCost.ofWall(rnd.nextInt(1_000_000_000))));
        estimates.add(ComplexityEstimate.of("spectral_entropy", rnd.nextDouble() * 5, MeasureUnit.NATS, List.of(),
                Map.of(), EstimationCost.ofWall(12_345)));
        estimates.add(failing
                ? ComplexityEstimate.failed("lmn", MeasureUnit.DIMENSIONLESS, "singular matrix", EstimationCost.ofWall(7))
                : ComplexityEstimate.of("lmn", rnd.nextDouble() * 100, MeasureUnit.DIMENSIONLESS, List.of(), Map.of(),
                        EstimationCost.ofWall(7)));
        double validation = failing ? Double.NaN : rnd.nextDouble();
        return new ComplexityRecord(step, (int) (step / 10), step * 3, rnd.nextDouble() * 4, rnd.nextDouble(),
                validation, rnd.nextDouble(), estimates);
    }

    @Test
    void everyScalarReadsBackWhileTrainingRuns() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00.250Z"), ZoneOffset.UTC);
        Random rnd = new Random(22);
        List<ComplexityRecord> written = new ArrayList<>();
        try (TensorBoardSink sink = TensorBoardSink.in(dir.resolve("run"), clock)) {
            for (int i = 0; i < 25; i++) {
                ComplexityRecord r = record(rnd, i * 37L + (i == 24 ? 5_000_000_000L : 0), i % 7 == 3);
                sink.accept(r);
                written.add(r);
                // flushed per record: the file as it is now holds the header and every record so far
                List<byte[]> data = records(sink.file());
                assertEquals(written.size() + 1, data.size());
                checkEvents(data, written, clock.millis() / 1000.0);
            }
            assertTrue(sink.file().getFileName().toString().startsWith("events.out.tfevents.1796119200."),
                    sink.file().toString());
        }
    }

    private static void checkEvents(List<byte[]> data, List<ComplexityRecord> written, double wall) {
        TfEventsReader.Event header = event(data.get(0));
        assertEquals("brain.Event:2", header.fileVersion());
        assertEquals(wall, header.wallTime());
        assertTrue(header.scalars().isEmpty());
        for (int i = 0; i < written.size(); i++) {
            ComplexityRecord r = written.get(i);
            TfEventsReader.Event e = event(data.get(i + 1));
            assertEquals(r.step(), e.step());
            assertEquals(wall, e.wallTime());
            assertEquals(null, e.fileVersion());
            Map<String, Float> expected = new LinkedHashMap<>();
            expect(expected, "loss/train", r.trainLoss());
            expect(expected, "loss/validation", r.validationLoss());
            expect(expected, "accuracy/train", r.trainAccuracy());
            expect(expected, "accuracy/validation", r.validationAccuracy());
            for (ComplexityEstimate est : r.estimates()) {
                expect(expected, est.estimator(), est.value());
                est.details().forEach((k, v) -> expect(expected, est.estimator() + "/" + k, v));
                expect(expected, est.estimator() + "/seconds", est.cost().wallNanos() / 1e9);
            }
            assertEquals(expected, e.scalars(), "step " + r.step());
            boolean failing = r.estimate("lmn").map(x -> !x.succeeded()).orElse(false);
            assertEquals(!failing, e.scalars().containsKey("lmn"), "a failed estimate is left out");
            assertEquals(!failing, e.scalars().containsKey("loss/validation"), "NaN loss is left out");
        }
    }

    private static void expect(Map<String, Float> m, String tag, double v) {
        if (Double.isFinite(v)) {
            m.put(tag, (float) v);
        }
    }

    @Test
    void hugeValuesAreLeftOutRatherThanWrittenAsInfinity() throws Exception {
        ComplexityRecord r = new ComplexityRecord(1, 0, 0, 1e39, 0.5, Double.NaN, Double.NaN, List.of());
        try (TensorBoardSink sink = TensorBoardSink.in(dir)) {
            sink.accept(r);
            TfEventsReader.Event e = event(records(sink.file()).get(1));
            assertEquals(Map.of("accuracy/train", 0.5f), e.scalars());
        }
    }

    @Test
    void twoSinksInOneFolderWriteTwoFiles() throws Exception {
        ComplexityRecord r = new ComplexityRecord(1, 0, 0, 1, 0.5, 1, 0.5, List.of());
        try (TensorBoardSink a = TensorBoardSink.in(dir); TensorBoardSink b = TensorBoardSink.in(dir)) {
            a.accept(r);
            b.accept(r);
            assertFalse(a.file().equals(b.file()));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void framingOfAnEmptyRecordIsTheKnownBytes() {
        // length 0: eight zero bytes; CRC-32C of them is 0x8C28B28A
        byte[] framed = TfEvents.record(new byte[0]);
        byte[] zeros = new byte[8];
        assertEquals(0x8C28B28A, crc32c(zeros, 0, 8));
        ByteBuffer expected = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0).putInt(masked(0x8C28B28A)).putInt(masked(crc32c(new byte[0], 0, 0)));
        assertArrayEquals(expected.array(), framed);
    }
}
