package org.hebbcnn.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item 4: HWTA ties follow the reference, which lets every neuron whose score equals the
 * maximum win. On an all-zero patch every score is equal, so every neuron wins and moves by -w
 * (times the learning rate); the SOM keeps one winner (the lowest index), the centre of its
 * neighbourhood.
 */
class CompetitionTiesTest {
    private static final int O = 6;
    private static final int C = 3;
    private static final int K = C * 2 * 2;

    @Test
    void onAnAllZeroPatchEveryHwtaNeuronWinsAndMovesByMinusW() {
        Djl.init();
        try (NDManager m = Djl.newManager();
                HebbianLayer layer = new HebbianLayer(m, new Shape(O, C, 2, 2), new Hwta(), 3)) {
            float[] w0 = layer.weights().toFloatArray();
            layer.train(m.zeros(new Shape(1, C, 2, 2)), null, 0.5f);
            float[] w1 = layer.weights().toFloatArray();
            for (int i = 0; i < w0.length; i++) {
                assertEquals(0.5f * w0[i], w1[i], 1e-6f, "every weight moves by lr * (0 - w): index " + i);
            }
        }
    }

    @Test
    void neuronsTiedForTheMaximumAllWinAndMatchTheSlowTwin() {
        Djl.init();
        SplittableRandom r = new SplittableRandom(7);
        float[] w = SlowRules.uniform(r, O * K, -1, 1);
        System.arraycopy(w, 4 * K, w, 1 * K, K); // neurons 1 and 4 have the same weights
        float[] x = new float[K];
        for (int j = 0; j < K; j++) {
            x[j] = 2 * w[4 * K + j]; // a patch along their direction: cosine 1 for both
        }
        for (int k : new int[] {1, 2}) {
            try (NDManager m = Djl.newManager();
                    HebbianLayer layer = new HebbianLayer(m, new Shape(O, C, 2, 2), new Hwta(k), 0)) {
                layer.setWeights(m.create(w, new Shape(O, C, 2, 2)));
                layer.train(m.create(x, new Shape(1, C, 2, 2)), null, 0.25f);
                float[] fast = layer.weights().toFloatArray();

                double[][] rows = SlowRules.weightRows(w, O);
                double[][] dw = SlowRules.kWta(new SlowRules.Patches(new double[][] {toDouble(x)}, 1, 1, 1), rows, k, false, false);
                float[] slow = new float[O * K];
                int moved = 0;
                for (int i = 0; i < O; i++) {
                    boolean changed = false;
                    for (int j = 0; j < K; j++) {
                        slow[i * K + j] = (float) (rows[i][j] + 0.25 * dw[i][j]);
                        changed |= dw[i][j] != 0;
                    }
                    moved += changed ? 1 : 0;
                }
                // k = 1: both tied neurons win; k = 2: the two tied at the top are the two winners
                assertEquals(2, moved, "k=" + k);
                assertArrayEquals(slow, fast, 1e-5f, "k=" + k);
                assertArrayEquals(java.util.Arrays.copyOfRange(fast, 1 * K, 2 * K),
                        java.util.Arrays.copyOfRange(fast, 4 * K, 5 * K), 0f, "the tied twins stay twins");
            }
        }
    }

    @Test
    void theSomKeepsASingleWinnerTheLowestIndex() {
        Djl.init();
        try (NDManager m = Djl.newManager()) {
            NDArray w = m.randomUniform(-1, 1, new Shape(O, C, 2, 2));
            NDArray s = m.zeros(new Shape(1, O, 1, 1)); // an all-zero patch: every score 0
            assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0}, Competition.winner(w, s).toFloatArray());
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, Competition.winners(w, s, 1).toFloatArray());
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
