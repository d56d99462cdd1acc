package org.hebbcnn.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.tensors.PatchOps;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;

/** Contrastive Hebbian learning: the batched update against a per-sample loop, a separable task, bad settings. */
class ChlTest {
    private static float sigmoid(double s) {
        return (float) (1 / (1 + Math.exp(-s)));
    }

    /**
     * The slow twin: for every image b and output position (p, q), the free phase y_f = sigmoid(w_o . patch),
     * the clamped phase y_c = t[b, o], and dW += y_c patch - y_f patch; divided by the number of patches.
     */
    private static float[] slowChange(float[] x, long[] xs, float[] w, long[] ws, float[] t) {
        int batch = (int) xs[0], c = (int) xs[1], h = (int) xs[2], wd = (int) xs[3];
        int o = (int) ws[0], kh = (int) ws[2], kw = (int) ws[3];
        int oh = h - kh + 1, ow = wd - kw + 1;
        float[] dw = new float[w.length];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < oh; p++) {
                for (int q = 0; q < ow; q++) {
                    for (int n = 0; n < o; n++) {
                        double s = 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    s += w[((n * c + ch) * kh + i) * kw + j] * x[((b * c + ch) * h + p + i) * wd + q + j];
                                }
                            }
                        }
                        float free = sigmoid(s);
                        float clamped = t[b * o + n];
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    float xv = x[((b * c + ch) * h + p + i) * wd + q + j];
                                    dw[((n * c + ch) * kh + i) * kw + j] += clamped * xv - free * xv;
                                }
                            }
                        }
                    }
                }
            }
        }
        int patches = batch * oh * ow;
        for (int i = 0; i < dw.length; i++) {
            dw[i] /= patches;
        }
        return dw;
    }

    private static void assertTwin(Shape input, Shape kernel) {
        try (NDManager m = Djl.newManager()) {
            m.getEngine().setRandomSeed(11);
            NDArray x = m.randomNormal(input);
            NDArray w = m.randomNormal(0f, 0.3f, kernel, DataType.FLOAT32);
            long[] labels = new long[(int) input.get(0)];
            for (int b = 0; b < labels.length; b++) {
                labels[b] = (b * 7) % kernel.get(0);
            }
            NDArray t = m.create(labels).oneHot((int) kernel.get(0)).toType(DataType.FLOAT32, false);
            NDArray fast = new Chl().weightChange(new RuleInput(x, w, PatchOps.conv(x, w), t));
            float[] slow = slowChange(x.toFloatArray(), input.getShape(), w.toFloatArray(), kernel.getShape(), t.toFloatArray());
            float[] got = fast.toFloatArray();
            assertEquals(kernel, fast.getShape());
            float err = 0;
            for (int i = 0; i < slow.length; i++) {
                err = Math.max(err, Math.abs(got[i] - slow[i]));
            }
            assertTrue(err < 1e-5f, "max |batched - per-sample| = " + err);
        }
    }

    @Test
    void denseUpdateEqualsThePerSampleLoop() {
        assertTwin(new Shape(16, 3, 4, 4), new Shape(5, 3, 4, 4));
    }

    @Test
    void convolutionalUpdateEqualsThePerPatchLoop() {
        assertTwin(new Shape(6, 2, 5, 5), new Shape(4, 2, 3, 3));
    }

    /** Two phases that agree change nothing: a free phase already at the label gives dW = 0. */
    @Test
    void noChangeWhenTheFreePhaseMatchesTheClampedPhase() {
        try (NDManager m = Djl.newManager()) {
            NDArray x = m.randomNormal(new Shape(3, 4, 1, 1));
            NDArray w = m.zeros(new Shape(2, 4, 1, 1));
            NDArray half = m.full(new Shape(3, 2), 0.5f); // sigmoid(0) = 0.5 for both outputs
            float max = new Chl().weightChange(new RuleInput(x, w, PatchOps.conv(x, w), half)).abs().max().getFloat();
            assertEquals(0f, max, 1e-7f);
        }
    }

    /** 4 Gaussian blobs in 20 dimensions (centres 3 apart per axis, unit noise): > 95% on held-out points. */
    @Test
    void separatesGaussianBlobs() {
        int classes = 4, dims = 20, perClass = 200;
        Random r = new Random(3);
        float[][] centres = new float[classes][dims];
        for (float[] c : centres) {
            for (int d = 0; d < dims; d++) {
                c[d] = (float) (1.5 * r.nextGaussian());
            }
        }
        try (NDManager m = Djl.newManager();
                HebbianLayer layer = HebbianLayer.fullyConnected(m, new Shape(dims, 1, 1), classes, new Chl(), null, 5)) {
            NDArray[] train = blobs(m, centres, perClass, r);
            NDArray[] test = blobs(m, centres, perClass, r);
            NDArray teacher = train[1].oneHot(classes).toType(DataType.FLOAT32, false);
            for (int epoch = 0; epoch < 20; epoch++) {
                for (int start = 0; start < classes * perClass; start += 32) {
                    String rows = start + ":" + (start + 32);
                    layer.train(train[0].get(rows), teacher.get(rows), 0.1f);
                }
            }
            NDArray predicted = layer.forward(test[0]).reshape(-1, classes).argMax(1);
            double accuracy = predicted.eq(test[1]).sum().getLong() / (double) (classes * perClass);
            assertTrue(accuracy > 0.95, "test accuracy " + accuracy);
        }
    }

    /** x [N, dims, 1, 1] shuffled and labels [N] (int64). */
    private static NDArray[] blobs(NDManager m, float[][] centres, int perClass, Random r) {
        int classes = centres.length, dims = centres[0].length, n = classes * perClass;
        float[] x = new float[n * dims];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
            for (int d = 0; d < dims; d++) {
                x[i * dims + d] = centres[(int) y[i]][d] + (float) r.nextGaussian();
            }
        }
        return new NDArray[] {m.create(x, new Shape(n, dims, 1, 1)), m.create(y)};
    }

    @Test
    void badSettingsAreRefusedInOneLine() {
        InputError k = assertThrows(InputError.class, () -> Rules.create("chl", Map.of("k", 2), 0));
        assertEquals("'k' is not a setting of rule chl (its settings: lr, plasticK, pruning, unitNorm)", k.getMessage());
        InputError hidden = assertThrows(InputError.class, () -> Rules.create("chl", Map.of("hidden", 100), 0));
        assertEquals("'hidden' is not a setting of rule chl (its settings: lr, plasticK, pruning, unitNorm)", hidden.getMessage());
        for (Object lr : new Object[] {0, -0.1, "fast"}) {
            InputError e = assertThrows(InputError.class, () -> Rules.create("chl", Map.of("lr", lr), 0));
            assertEquals("'lr' must be a number > 0, got " + lr, e.getMessage());
        }
        assertTrue(Rules.isClassifierRule("CHL"));
        assertFalse(Rules.hiddenRules().contains("chl"));
        try (NDManager m = Djl.newManager();
                HebbianLayer layer = HebbianLayer.fullyConnected(m, new Shape(3, 1, 1), 2, new Chl(), null, 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> layer.train(m.ones(new Shape(1, 3, 1, 1)), null, 0.1f));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
