package org.grokmetrics.examples.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TasksTest {

    @Test
    void modularOperationsFollowTheirDefinitions() {
        ModularTask add = new ModularTask(7, ModularTask.Op.ADD);
        assertEquals(49, add.examples().size());
        assertEquals(3, add.apply(5, 5));
        assertEquals(5, new ModularTask(7, ModularTask.Op.SUB).apply(2, 4));
        assertEquals(6, new ModularTask(7, ModularTask.Op.MUL).apply(3, 2));
        ModularTask div = new ModularTask(7, ModularTask.Op.DIV);
        assertEquals(42, div.examples().size(), "b = 0 is excluded");
        for (Task.Example e : div.examples()) {
            assertEquals(e.a(), e.label() * e.b() % 7, "a / b * b = a");
        }
        assertEquals((9 + 16) % 7, new ModularTask(7, ModularTask.Op.SQUARES).apply(3, 4));
    }

    @Test
    void groupAndXorTasks() {
        PermutationTask s4 = new PermutationTask(4);
        assertEquals(24, s4.vocab());
        List<Task.Example> ex = s4.examples();
        assertEquals(576, ex.size());
        // identity (index 0, lexicographically first) composes trivially
        for (int a = 0; a < 24; a++) {
            assertEquals(a, s4.apply(a, 0));
            assertEquals(a, s4.apply(0, a));
        }
        // each row of the Cayley table is a permutation of the group
        Set<Integer> row = new HashSet<>();
        for (int b = 0; b < 24; b++) {
            row.add(s4.apply(5, b));
        }
        assertEquals(24, row.size());
        assertEquals(0b10110 ^ 0b00111, new XorTask(5).apply(0b10110, 0b00111));
        assertEquals(1024, new XorTask(5).examples().size());
    }

    @Test
    void splitsAreSeededDisjointAndComplete() {
        Task t = new ModularTask(11, ModularTask.Op.ADD);
        Task.Split a = t.split(0.3, 42);
        Task.Split b = t.split(0.3, 42);
        assertEquals(a, b, "same seed, same split");
        assertEquals(Math.round(0.3 * 121), a.train().size());
        Set<Task.Example> all = new HashSet<>(a.train());
        all.addAll(a.validation());
        assertEquals(121, all.size());
        assertTrue(!a.equals(t.split(0.3, 43)));
    }

    @Test
    void badOptionsAreClear() {
        var p = assertThrows(IllegalArgumentException.class, () -> Tasks.of("mod", 30, "add", 4, 5));
        assertTrue(p.getMessage().contains("prime") && p.getMessage().contains("30"), p.getMessage());
        var op = assertThrows(IllegalArgumentException.class, () -> Tasks.of("mod", 31, "pow", 4, 5));
        assertTrue(op.getMessage().contains("unknown operation 'pow'"), op.getMessage());
        var task = assertThrows(IllegalArgumentException.class, () -> Tasks.of("sort", 31, "add", 4, 5));
        assertTrue(task.getMessage().contains("unknown task 'sort'"), task.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> new ModularTask(7, ModularTask.Op.ADD).split(1.0, 0));
        assertTrue(f.getMessage().contains("(0, 1)"), f.getMessage());
        assertEquals(5, Tasks.of("s5", 0, "", 0, 0).classes() == 120 ? 5 : -1);
    }
}
