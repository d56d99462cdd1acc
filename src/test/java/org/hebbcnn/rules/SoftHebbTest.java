package org.hebbcnn.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.hebbcnn.tensors.PatchOps;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;

/** SoftHebb against a per-patch twin written with loops, its winner mask, and its adaptive rate. */
class SoftHebbTest {
    static final int B = 2, C = 3, H = 6, O = 4, K = 3, P = H - K + 1;

    static float[] random(long seed, int n, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    /** The slow twin: loops over every patch, softmax, anti-Hebbian losers, Oja-like decay, max-normalisation. */
    static double[] slowWeightChange(float[] x, float[] w, double t) {
        int f = C * K * K;
        double[] dw = new double[O * f];
        for (int b = 0; b < B; b++) {
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < P; q++) {
                    double[] patch = new double[f];
                    for (int c = 0; c < C; c++) {
                        for (int i = 0; i < K; i++) {
                            for (int j = 0; j < K; j++) {
                                patch[(c * K + i) * K + j] = x[((b * C + c) * H + p + i) * H + q + j];
                            }
                        }
                    }
                    double[] u = new double[O];
                    int winner = 0;
                    for (int o = 0; o < O; o++) {
                        for (int k = 0; k < f; k++) {
                            u[o] += w[o * f + k] * patch[k];
                        }
                        if (u[o] > u[winner]) {
                            winner = o;
                        }
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : u) {
                        max = Math.max(max, t * v);
                    }
                    double z = 0;
                    for (double v : u) {
                        z += Math.exp(t * v - max);
                    }
                    for (int o = 0; o < O; o++) {
                        double y = Math.exp(t * u[o] - max) / z * (o == winner ? 1 : -1);
                        for (int k = 0; k < f; k++) {
                            dw[o * f + k] += y * patch[k] - y * u[o] * w[o * f + k];
                        }
                    }
                }
            }
        }
        double largest = 0;
        for (double v : dw) {
            largest = Math.max(largest, Math.abs(v));
        }
        for (int i = 0; i < dw.length; i++) {
            dw[i] /= largest + 1e-30;
        }
        return dw;
    }

    @Test
    void theUpdateEqualsThePerPatchTwinWithAntiHebbianLosersAndMaxNormalisation() {
        float[] x = random(1, B * C * H * H, 1.0);
        float[] w = random(2, O * C * K * K, 0.5);
        double t = 0.65;
        double[] expected = slowWeightChange(x, w, t);
        try (NDManager m = Djl.newManager()) {
            NDArray xa = m.create(x, new Shape(B, C, H, H));
            NDArray wa = m.create(w, new Shape(O, C, K, K));
            SoftHebb rule = new SoftHebb(t);
            float[] dw = rule.weightChange(new RuleInput(xa, wa, PatchOps.conv(xa, wa), null)).toFloatArray();
            double largest = 0;
            boolean negative = false;
            for (int i = 0; i < dw.length; i++) {
                assertEquals(expected[i], dw[i], 1e-5, "dW[" + i + "]");
                largest = Math.max(largest, Math.abs(dw[i]));
            }
            assertEquals(1.0, largest, 1e-6, "divided by its largest magnitude");
            // the rate: W_i += lr (| ||w_i|| - 1 | + 1e-10)^0.5 dW_i
            float lr = 0.08f;
            float[] after = wa.duplicate().toFloatArray();
            rule.apply(new RuleInput(xa, wa, PatchOps.conv(xa, wa), null), lr);
            float[] applied = wa.toFloatArray();
            int f = C * K * K;
            for (int o = 0; o < O; o++) {
                double norm = 0;
                for (int k = 0; k < f; k++) {
                    norm += (double) after[o * f + k] * after[o * f + k];
                }
                double rate = lr * Math.sqrt(Math.abs(Math.sqrt(norm) - 1) + 1e-10);
                for (int k = 0; k < f; k++) {
                    assertEquals(after[o * f + k] + rate * expected[o * f + k], applied[o * f + k], 1e-5, "W[" + o + "," + k + "]");
                }
            }
        }
    }

    @Test
    void losersAreAntiHebbianAndOnlyTheWinnerPositive() {
        try (NDManager m = Djl.newManager()) {
            NDArray xa = m.create(random(3, B * C * H * H, 1.0), new Shape(B, C, H, H));
            NDArray wa = m.create(random(4, O * C * K * K, 0.5), new Shape(O, C, K, K));
            NDArray y = new SoftHebb(1).activity(new RuleInput(xa, wa, PatchOps.conv(xa, wa), null));
            NDArray positives = y.gt(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).sum(new int[] {1});
            assertArrayEquals(m.ones(new Shape(B, P, P)).toFloatArray(), positives.toFloatArray(), "one winner per position");
        }
    }

    /** With a very large t the soft winner-take-all is the hard one: +1 at the winner, 0 elsewhere (HWTA's mask). */
    @Test
    void withAVeryLargeTemperatureTheWinnerMaskIsHardWinnerTakeAll() {
        try (NDManager m = Djl.newManager()) {
            NDArray xa = m.create(random(5, B * C * H * H, 1.0), new Shape(B, C, H, H));
            NDArray raw = m.create(random(6, O * C * K * K, 0.5), new Shape(O, C, K, K));
            NDArray wa = PatchOps.scaleRows(m.ones(new Shape(O)).div(PatchOps.weightNorms(raw)), raw); // unit rows: cosine = u
            NDArray s = PatchOps.conv(xa, wa);
            float[] soft = new SoftHebb(1e4).activity(new RuleInput(xa, wa, s, null)).toFloatArray();
            float[] hard = Competition.winners(wa, s, 1).toFloatArray();
            assertArrayEquals(hard, soft, 1e-4f);
        }
    }

    /** The adaptive rate drives every neuron's norm from about 25 towards 1 (SoftHebb's fixed point). */
    @Test
    void theAdaptiveRateDrivesNormsTowardsOne() {
        try (NDManager m = Djl.newManager()) {
            SoftHebb rule = new SoftHebb(1);
            Shape shape = new Shape(8, 3, 3, 3);
            NDArray w = m.create(rule.initialWeights(shape, 7), shape);
            float start = PatchOps.weightNorms(w).sub(1f).abs().mean().getFloat();
            assertTrue(start > 15, "init std 25/sqrt(fan_in) gives norms near 25, got |norm-1| " + start);
            for (int step = 0; step < 400; step++) {
                NDArray x = m.create(random(100 + step, 16 * 3 * 5 * 5, 1.0), new Shape(16, 3, 5, 5));
                rule.apply(new RuleInput(x, w, PatchOps.conv(x, w), null), 0.05f);
            }
            float end = PatchOps.weightNorms(w).sub(1f).abs().mean().getFloat();
            assertTrue(end < 0.2 * start, "mean |norm - 1| fell from " + start + " to " + end);
        }
    }
}
