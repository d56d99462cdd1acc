package org.hebbcnn.data;

import java.util.random.RandomGenerator;

/** Fisher-Yates permutations; the generator decides the sequence, so callers keep theirs. */
final class Shuffle {
    private Shuffle() {}

    /** 0..n-1 in the order Fisher-Yates gives with {@code random}. */
    static int[] permutation(int n, RandomGenerator random) {
        int[] order = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
