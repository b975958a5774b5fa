package org.grokmetrics.examples.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.grokmetrics.api.Tensor;
import org.grokmetrics.codec.Codec;
import org.grokmetrics.io.SafeTensorsDtype;
import org.grokmetrics.io.SafeTensorsEntry;
import org.grokmetrics.io.SafeTensorsFile;
import org.grokmetrics.linalg.LinearAlgebra;
import org.grokmetrics.spectral.SpectralEntropy;

/**
 * The figures of one tensor of {@code grok inspect}, read from the file when they are computed (one
 * tensor in memory per worker): non-finite check and pruning count in one streamed pass (any size);
 * naive compressed sizes of the float32 bytes (tensors up to a byte array's size); spectral entropy of
 * the matrix view {@code [shape[0], product of the rest]} (up to {@code svdLimit} elements). A measure
 * that cannot run gives a note in the row, never a failure of the file; tensors of non-floating dtypes
 * are listed with the reason and measured by none.
 *
 * @param la        the linear algebra of the spectral entropy
 * @param threshold the pruning threshold &epsilon; of |w| &gt; &epsilon;
 * @param codecs    the naive-size codecs, each labelled by its key
 * @param svdLimit  the largest matrix (elements) whose singular values are computed
 */
record InspectTensor(LinearAlgebra la, double threshold, Map<String, Codec> codecs, long svdLimit) {

    /** Compressed bits of the empty input, per codec label (100,000 empty tensors compress once). */
    private static final Map<String, Long> EMPTY_BITS = new ConcurrentHashMap<>();

    /**
     * Bytes of heap one tensor's measures may need at once: its float values, and a double copy where the full
     * SVD runs instead of the Gram path (ill-conditioned or small matrices), or the naive sizes' byte copy.
     */
    static long heapNeed(SafeTensorsEntry e) {
        return e.dtype().isFloating() ? 12 * e.elements() + (1 << 20) : 1 << 16;
    }

    /** The row of the JSON document for one tensor. */
    Map<String, Object> measure(SafeTensorsFile file, SafeTensorsEntry e) throws IOException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", e.name());
        row.put("dtype", e.dtype().name());
        row.put("shape", e.shape());
        row.put("parameters", e.elements());
        // measured: floating tensors with a name; the streaming measures take any size (so an oversized
        // tensor's reason is not a skip), but a shape past int (only in an empty tensor) is skipped
        Optional<String> skip = e.notReadableReason()
                .filter(reason -> e.elements() <= SafeTensorsEntry.MAX_ARRAY_ELEMENTS || !e.dtype().isFloating()
                        || e.name().isBlank());
        if (skip.isPresent()) {
            row.put("skipped", skip.get());
            return row;
        }
        long[] firstBad = {-1};
        float[] badValue = {0};
        long[] kept = {0};
        double eps = threshold;
        file.forEachChunk(e, (values, first, count) -> {
            for (int i = 0; i < count; i++) {
                float v = values[i];
                if (!Float.isFinite(v)) {
                    if (firstBad[0] < 0) {
                        firstBad[0] = first + i;
                        badValue[0] = v;
                    }
                } else if (Math.abs((double) v) > eps) {
                    kept[0]++;
                }
            }
        });
        List<String> notes = new java.util.ArrayList<>();
        boolean finite = firstBad[0] < 0;
        if (!finite) {
            row.put("error", "non-finite value " + badValue[0] + " at flat index " + firstBad[0]);
        } else {
            spectral(file, e, row, notes);
            row.put("pruning_count", kept[0]);
        }
        row.put("naive_bits", naive(file, e, notes));
        if (!notes.isEmpty()) {
            row.put("notes", notes);
        }
        return row;
    }

    private void spectral(SafeTensorsFile file, SafeTensorsEntry e, Map<String, Object> row, List<String> notes)
            throws IOException {
        long[] shape = e.shape();
        if (shape.length < 2) {
            return;
        }
        long elements = e.elements();
        if (elements > svdLimit) {
            notes.add("spectral entropy skipped: " + elements + " elements, over --svd-limit " + svdLimit);
            return;
        }
        int rows = (int) shape[0];
        int cols = rows == 0 ? 0 : (int) (elements / rows);
        if (rows == 0) {
            cols = 1;
            for (int i = 1; i < shape.length; i++) {
                cols = (int) Math.min(Integer.MAX_VALUE, (long) cols * shape[i]);
            }
        }
        try {
            // the values as float (half a double copy: GPT-2's embedding 154 MB, not 309), read in place by the
            // Gram path
            float[] a = new float[(int) elements];
            file.forEachChunk(e, (values, first, count) -> System.arraycopy(values, 0, a, (int) first, count));
            SpectralEntropy.Result r = SpectralEntropy.analyze(Tensor.adopting("matrix", new int[] {rows, cols}, a),
                    false, la);
            row.put("spectral_entropy_nats", r.entropy());
            row.put("effective_rank", r.effectiveRank());
        } catch (ArithmeticException ex) {
            // no decomposition passed its checks: no number rather than a wrong one
            row.put("error", "spectral entropy: " + ex.getMessage());
            row.put("spectral_failed", true);
        } catch (OutOfMemoryError oom) {
            notes.add("spectral entropy skipped: out of memory for a " + rows + "x" + cols + " SVD (raise -Xmx)");
        }
    }

    private Map<String, Long> naive(SafeTensorsFile file, SafeTensorsEntry e, List<String> notes) throws IOException {
        Map<String, Long> bits = new LinkedHashMap<>();
        if (4 * e.elements() > SafeTensorsEntry.MAX_ARRAY_ELEMENTS) {
            notes.add("naive sizes skipped: " + 4 * e.elements() + " float32 bytes exceed a byte array");
            return bits;
        }
        if (e.elements() == 0) {
            codecs.forEach((label, c) -> bits.put(label, EMPTY_BITS.computeIfAbsent(label,
                    k -> c.compressedBits(new byte[0]))));
            return bits;
        }
        try {
            byte[] f32 = float32Bytes(file, e);
            codecs.forEach((label, c) -> bits.put(label, c.compressedBits(f32)));
        } catch (OutOfMemoryError oom) {
            bits.clear();
            notes.add("naive sizes skipped: out of memory (raise -Xmx)");
        }
        return bits;
    }

    /** The values as little-endian float32 bytes (the stored bytes themselves for F32). */
    private static byte[] float32Bytes(SafeTensorsFile file, SafeTensorsEntry e) throws IOException {
        if (e.dtype() == SafeTensorsDtype.F32) {
            return file.readBytes(e);
        }
        ByteBuffer out = ByteBuffer.allocate((int) (4 * e.elements())).order(ByteOrder.LITTLE_ENDIAN);
        file.forEachChunk(e, (values, first, count) -> out.asFloatBuffer().put((int) first, values, 0, count));
        return out.array();
    }
}
