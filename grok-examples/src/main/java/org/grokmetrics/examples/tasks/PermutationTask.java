package org.grokmetrics.examples.tasks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Composition in the symmetric group S<sub>k</sub>: symbols are the k! permutations in lexicographic
 * order, and (&sigma;, &tau;) &#8614; &sigma;&#8728;&tau; (apply &tau; first).
 *
 * @param k the number of elements permuted (S4: 24 symbols, S5: 120)
 */
public record PermutationTask(int k) implements Task {

    /**
     * @throws IllegalArgumentException if k is not in [2, 6]
     */
    public PermutationTask {
        if (k < 2 || k > 6) {
            throw new IllegalArgumentException("permutation group size k must be in [2, 6], was " + k);
        }
    }

    @Override
    public String id() {
        return "s" + k;
    }

    private List<int[]> perms() {
        List<int[]> out = new ArrayList<>();
        permute(new int[k], new boolean[k], 0, out);
        return out;
    }

    private void permute(int[] cur, boolean[] used, int pos, List<int[]> out) {
        if (pos == k) {
            out.add(cur.clone());
            return;
        }
        for (int v = 0; v < k; v++) {
            if (!used[v]) {
                used[v] = true;
                cur[pos] = v;
                permute(cur, used, pos + 1, out);
                used[v] = false;
            }
        }
    }

    @Override
    public int vocab() {
        int f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }

    @Override
    public int classes() {
        return vocab();
    }

    @Override
    public int apply(int a, int b) {
        List<int[]> ps = perms();
        int[] s = ps.get(a);
        int[] t = ps.get(b);
        int[] c = new int[k];
        for (int i = 0; i < k; i++) {
            c[i] = s[t[i]];
        }
        return index(ps).get(java.util.Arrays.toString(c));
    }

    @Override
    public List<Example> examples() {
        List<int[]> ps = perms();
        Map<String, Integer> idx = index(ps);
        List<Example> out = new ArrayList<>(ps.size() * ps.size());
        for (int a = 0; a < ps.size(); a++) {
            for (int b = 0; b < ps.size(); b++) {
                int[] c = new int[k];
                for (int i = 0; i < k; i++) {
                    c[i] = ps.get(a)[ps.get(b)[i]];
                }
                out.add(new Example(a, b, idx.get(java.util.Arrays.toString(c))));
            }
        }
        return out;
    }

    private static Map<String, Integer> index(List<int[]> ps) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < ps.size(); i++) {
            m.put(java.util.Arrays.toString(ps.get(i)), i);
        }
        return m;
    }
}
