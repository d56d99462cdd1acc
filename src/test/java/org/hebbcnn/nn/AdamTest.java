package org.hebbcnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;

/** Adam against PyTorch's formula written out per element in double precision. */
class AdamTest {
    @Test
    void stepsFollowTorchsFormulaElementByElement() {
        float[] start = {0.5f, -1.25f, 2f, 0.01f};
        float[][] grads = {{0.1f, -0.2f, 3f, 0f}, {-0.4f, 0.05f, 1f, 1e-3f}, {0.3f, 0.3f, -2f, -5f}};
        float lr = 0.01f;
        float wd = 0.1f;
        // expected: torch.optim.Adam(weight_decay=wd) step by step
        double[] p = new double[start.length];
        double[] m = new double[start.length];
        double[] v = new double[start.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = start[i];
        }
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = grads[t - 1][i] + wd * p[i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                p[i] -= lr * mHat / denom;
            }
        }
        try (NDManager manager = Djl.newManager()) {
            Module module = new Module(manager, "test");
            Parameter param = module.parameter("w", new Shape(start.length));
            Djl.assign(param.value(), start);
            Adam adam = new Adam(lr, wd).attach(module);
            for (float[] g : grads) {
                // a loss whose gradient is g: sum(g * w)
                try (GradientCollector c = manager.getEngine().newGradientCollector()) {
                    NDArray loss = param.value().mul(manager.create(g)).sum();
                    c.backward(loss);
                }
                module.step(adam);
            }
            float[] got = param.value().toFloatArray();
            for (int i = 0; i < p.length; i++) {
                assertEquals(p[i], got[i], 1e-6, "element " + i);
            }
            assertEquals(grads.length, adam.steps());
            assertEquals(1, module.named().keySet().stream().filter(k -> k.startsWith(Adam.SECOND_MOMENT)).count(),
                    "the second moment is module state, saved with the parameters");
            assertArrayEquals(new float[start.length], param.value().getGradient().toFloatArray(), "gradient zeroed");
        }
    }
}
