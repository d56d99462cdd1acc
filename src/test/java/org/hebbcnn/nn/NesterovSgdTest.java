package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class NesterovSgdTest {
    /*
     * PyTorch SGD(lr=0.5, momentum=0.9, nesterov=True, weight_decay=0.1), by hand:
     *   p0 = [1, -2]
     *   step 1, g = [0.5, 1]:   d = g + 0.1 p0 = [0.6, 0.8];  v = d = [0.6, 0.8]
     *                           p1 = p0 - 0.5 (d + 0.9 v) = [1 - 0.57, -2 - 0.76] = [0.43, -2.76]
     *   step 2, g = [-1, 0.2]:  d = g + 0.1 p1 = [-0.957, -0.076]
     *                           v = 0.9 [0.6, 0.8] + d = [-0.417, 0.644]
     *                           p2 = p1 - 0.5 (d + 0.9 v) = [0.43 + 0.66615, -2.76 - 0.2518] = [1.09615, -3.0118]
     */
    @Test
    void twoStepsMatchTheHandComputedPyTorchSequence() {
        try (NDManager m = Djl.newManager()) {
            NDArray p = m.create(new float[] {1f, -2f});
            NDArray v = m.zeros(p.getShape());
            NesterovSgd sgd = new NesterovSgd(0.5f, 0.9f, 0.1f);
            sgd.update(p, m.create(new float[] {0.5f, 1f}), v);
            assertArrayEquals(new float[] {0.6f, 0.8f}, v.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.43f, -2.76f}, p.toFloatArray(), 1e-6f);
            sgd.update(p, m.create(new float[] {-1f, 0.2f}), v);
            assertArrayEquals(new float[] {-0.417f, 0.644f}, v.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {1.09615f, -3.0118f}, p.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void withoutDecayOrMomentumItIsPlainGradientDescent() {
        try (NDManager m = Djl.newManager()) {
            NDArray p = m.create(new float[] {3f});
            NDArray v = m.zeros(p.getShape());
            NesterovSgd sgd = new NesterovSgd(0.25f, 0f, 0f);
            NDArray g = m.create(new float[] {2f});
            sgd.update(p, g, v);
            sgd.update(p, g, v);
            assertEquals(2f, p.getFloat(0), 0f);
            assertEquals(2f, g.getFloat(0), 0f, "the gradient is not modified");
        }
    }

    /** step() reads the gradient autograd accumulated and zeroes it, so the next backward starts afresh. */
    @Test
    void stepUsesAndClearsTheAccumulatedGradient() {
        try (NDManager m = Djl.newManager()) {
            NDArray p = m.create(new float[] {1f, 2f});
            p.setRequiresGradient(true);
            NDArray v = m.zeros(p.getShape());
            NesterovSgd sgd = new NesterovSgd(0.1f, 0f, 0f);
            for (int i = 0; i < 2; i++) {
                float[] before = p.toFloatArray();
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    gc.backward(p.mul(p).sum()); // gradient 2p
                }
                sgd.step(p, v);
                float[] after = p.toFloatArray();
                for (int j = 0; j < 2; j++) {
                    assertEquals(before[j] - 0.1f * 2 * before[j], after[j], 1e-6f, "step " + i);
                }
            }
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new NesterovSgd(-1f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new NesterovSgd(1f, 1f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new NesterovSgd(1f, Float.NaN));
    }
}
