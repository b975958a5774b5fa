package org.grokmetrics.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void shapeMismatchNamesTheTensor() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.matrix("layer0.W", 2, 3, new float[5]));
        assertTrue(e.getMessage().contains("layer0.W"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void negativeDimensionAndBlankNameRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Tensor("w", new int[] {-1, 2}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> Tensor.vector(" ", new float[1]));
        assertThrows(NullPointerException.class, () -> new Tensor("w", null, new float[0]));
    }

    @Test
    void isImmutable() {
        float[] data = {1, 2, 3, 4};
        int[] shape = {2, 2};
        Tensor t = new Tensor("w", shape, data);
        data[0] = 99;
        shape[0] = 4;
        t.data()[1] = 42;
        t.shape()[1] = 7;
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.data());
        assertArrayEquals(new int[] {2, 2}, t.shape());
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> t.buffer().put(0, 5f));
    }

    @Test
    void valueEquality() {
        Tensor a = Tensor.matrix("w", 1, 2, new float[] {1, Float.NaN});
        Tensor b = Tensor.matrix("w", 1, 2, new float[] {1, Float.NaN});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.withName("v"));
        assertNotEquals(a, b.reshape(2, 1));
    }

    @Test
    void matrixViewFlattensTrailingDimensions() {
        Tensor conv = new Tensor("conv", new int[] {4, 3, 2, 2}, new float[48]);
        assertTrue(conv.isMatrix());
        assertEquals(4, conv.rows());
        assertEquals(12, conv.cols());
        Tensor bias = Tensor.vector("b", new float[3]);
        assertFalse(bias.isMatrix());
        assertThrows(IllegalStateException.class, bias::rows);
        Tensor scalar = new Tensor("s", new int[0], new float[] {2});
        assertEquals(1, scalar.size());
    }

    @Test
    void requireFiniteNamesTensorAndIndex() {
        Tensor t = Tensor.vector("gain", new float[] {1, 2, Float.POSITIVE_INFINITY});
        var e = assertThrows(IllegalArgumentException.class, t::requireFinite);
        assertTrue(e.getMessage().contains("gain") && e.getMessage().contains("index 2"), e.getMessage());
    }

    @Test
    void snapshotKeepsOrderAndRejectsDuplicates() {
        Tensor w = Tensor.matrix("w", 2, 2, new float[4]);
        Tensor b = Tensor.vector("b", new float[2]);
        ParameterSnapshot p = ParameterSnapshot.of(List.of(w, b));
        assertEquals(List.of("w", "b"), p.names());
        assertEquals(6, p.size());
        assertEquals(b, p.get("b"));
        assertEquals(List.of(w), p.matrices());
        var e = assertThrows(IllegalArgumentException.class, () -> p.get("nope"));
        assertTrue(e.getMessage().contains("nope"));
        var dup = assertThrows(IllegalArgumentException.class, () -> ParameterSnapshot.of(List.of(w, w)));
        assertTrue(dup.getMessage().contains("'w'"));
        assertThrows(UnsupportedOperationException.class, () -> p.tensors().add(b));
    }

    @Test
    void snapshotWithReplacesByName() {
        Tensor w = Tensor.matrix("w", 1, 2, new float[] {1, 2});
        ParameterSnapshot p = ParameterSnapshot.of(w, Tensor.vector("b", new float[] {3}));
        ParameterSnapshot q = p.with(w.withData(new float[] {5, 6}));
        assertArrayEquals(new float[] {5, 6}, q.get("w").data());
        assertEquals(p.names(), q.names());
        assertArrayEquals(new float[] {1, 2}, p.get("w").data());
        assertThrows(IllegalArgumentException.class, () -> p.with(Tensor.vector("x", new float[1])));
    }

    @Test
    void estimateWithoutReasonForNaNGetsOne() {
        ComplexityEstimate e = new ComplexityEstimate("x", Double.NaN, MeasureUnit.BITS, null, null, null, null);
        assertFalse(e.succeeded());
        ComplexityEstimate ok = ComplexityEstimate.of("x", 3, MeasureUnit.BITS, List.of(), java.util.Map.of(), null);
        assertTrue(ok.succeeded());
    }
}
