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

    /** The plain loop the fast mask must equal: one SplittableRandom stream, a double per element. */
    private static float[] plainMask(int size, float p, long seed, long draw) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(Dropout.streamSeed(seed, draw));
        float[] mask = new float[size];
        for (int i = 0; i < size; i++) {
            mask[i] = random.nextDouble() < p ? 0f : 1f / (1f - p);
        }
        return mask;
    }

    @Test
    void theBranchFreeParallelMaskEqualsThePlainSplittableRandomLoop() {
        // sizes across the parallel chunks' boundaries; p whose p * 2^53 is and is not a whole number
        for (int size : new int[] {1, 65_535, 65_536, 65_537, 300_001}) {
            for (float p : new float[] {0f, 0.5f, 0.2f, 0.123f, 0.999f}) {
                assertArrayEquals(plainMask(size, p, 11, 5), Dropout.mask(size, p, 11, 5), "size " + size + ", p " + p);
            }
        }
    }

    @Test
    void applyMultipliesByTheFloatMaskBitForBitAndSoDoesItsGradient() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(64, 301);
            for (float p : new float[] {0.5f, 0.3f}) {
                ai.djl.ndarray.NDArray x = m.randomNormal(shape);
                ai.djl.ndarray.NDArray mask = m.create(Dropout.mask((int) shape.size(), p, 3, 9), shape);
                x.setRequiresGradient(true);
                float[] out;
                try (ai.djl.training.GradientCollector g = m.getEngine().newGradientCollector()) {
                    ai.djl.ndarray.NDArray y = Dropout.apply(x, p, 3, 9);
                    out = y.toFloatArray();
                    g.backward(y.mul(y).sum());
                }
                float[] grad = x.getGradient().toFloatArray();
                float[] xs = x.toFloatArray();
                float[] ms = mask.toFloatArray();
                for (int i = 0; i < xs.length; i++) {
                    float expected = xs[i] * ms[i];
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[i]), "element " + i);
                    assertEquals(2 * expected * ms[i], grad[i], 1e-6f * Math.abs(grad[i]) + 1e-30f, "gradient " + i);
                }
            }
        }
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
