package org.hebbcnn.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DropoutTest {
    @Test
    void masksArePureFunctionsOfSeedAndDraw() {
        float[] a = Dropout.mask(10_000, 0.5f, 7, 3);
        assertArrayEquals(a, Dropout.mask(10_000, 0.5f, 7, 3));
        assertFalse(java.util.Arrays.equals(a, Dropout.mask(10_000, 0.5f, 7, 4)), "another draw");
        assertFalse(java.util.Arrays.equals(a, Dropout.mask(10_000, 0.5f, 8, 3)), "another seed");
        int kept = 0;
        for (float v : a) {
            assertTrue(v == 0f || v == 2f, "values are 0 or 1/(1-p)");
            kept += v == 2f ? 1 : 0;
        }
        assertEquals(5000, kept, 200, "about half kept");
    }

    @Test
    void otherProbabilities() {
        float[] a = Dropout.mask(10_000, 0.2f, 1, 0);
        int kept = 0;
        for (float v : a) {
            kept += v != 0f ? 1 : 0;
            assertTrue(v == 0f || v == 1.25f);
        }
        assertEquals(8000, kept, 200);
        assertThrows(IllegalArgumentException.class, () -> Dropout.mask(3, 1f, 0, 0));
    }
}
