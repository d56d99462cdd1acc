package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AccuracyTest {
    @Test
    void topOneAndTopKOnHandMadeRows() {
        try (NDManager m = Djl.newManager()) {
            NDArray scores = m.create(new float[] {
                0.1f, 0.7f, 0.2f, 0.0f, // label 1: rank 0
                0.5f, 0.1f, 0.3f, 0.4f, // label 2: rank 2
                0.9f, 0.8f, 0.7f, 0.6f, // label 3: rank 3
            }, new Shape(3, 4));
            NDArray labels = m.create(new long[] {1, 2, 3});
            assertArrayEquals(new int[] {0, 2, 3}, Accuracy.ranks(scores, labels));
            assertEquals(1, Accuracy.top1(scores, labels));
            assertEquals(1, Accuracy.correct(scores, labels, 2));
            assertEquals(2, Accuracy.correct(scores, labels, 3));
            assertEquals(3, Accuracy.correct(scores, labels, 4));
            assertEquals(3, Accuracy.top5(scores, labels), "k beyond the number of classes counts every row");
            assertArrayEquals(new long[] {1, 2, 3}, Accuracy.correct(scores, labels, 1, 3, 5));
        }
    }

    /** Equal scores rank by class index, lowest first (as argmax): deterministic, never counted twice. */
    @Test
    void tiesGoToTheLowerClassIndex() {
        try (NDManager m = Djl.newManager()) {
            NDArray scores = m.create(new float[] {
                0.5f, 0.5f, 0.5f, // label 0 wins the tie
                0.5f, 0.5f, 0.5f, // label 2 is third
                0.2f, 0.9f, 0.9f, // label 2 ties with 1 for the top: rank 1
                1f, 1f, 1f,       // label 1: rank 1
            }, new Shape(4, 3));
            NDArray labels = m.create(new int[] {0, 2, 2, 1});
            assertArrayEquals(new int[] {0, 2, 1, 1}, Accuracy.ranks(scores, labels));
            assertEquals(1, Accuracy.top1(scores, labels));
            assertEquals(3, Accuracy.correct(scores, labels, 2));
        }
    }

    @Test
    void nanScoresNeverWin() {
        float nan = Float.NaN;
        int[] ranks = Accuracy.ranks(new float[] {nan, 0.1f, 0.2f, /* row 2 */ 0.3f, nan, 0.1f}, 3, new long[] {1, 1});
        assertEquals(1, ranks[0], "a NaN elsewhere ranks after every number");
        assertEquals(Integer.MAX_VALUE, ranks[1], "a NaN label score is never correct");
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Accuracy.ranks(new float[] {1, 2}, 2, new long[] {2}));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.ranks(new float[] {1, 2, 3}, 2, new long[] {0}));
        try (NDManager m = Djl.newManager()) {
            NDArray s = m.zeros(new Shape(2, 3));
            assertThrows(IllegalArgumentException.class, () -> Accuracy.correct(s, m.create(new long[] {0, 0}), 0));
        }
    }
}
