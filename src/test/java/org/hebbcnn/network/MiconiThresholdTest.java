package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.rules.Competition;
import org.hebbcnn.rules.Hwta;
import org.hebbcnn.rules.RuleInput;
import org.hebbcnn.tensors.PatchOps;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Miconi's adaptive thresholds (hwta {@code threshold}) and weight normalisation ({@code unitNorm}),
 * against loops written from his description: the winner is the best of s / ||w|| - theta where that
 * is above 0; theta_i += mu (win rate_i - k / O) after each batch; the output is the activation of
 * s / ||w|| - theta; weights of norm 1 after every step; thresholds saved and resumed with the network.
 */
class MiconiThresholdTest {
    private static final long[] INPUT = {3, 6, 6};

    private static NetworkPlan plan(String firstLayerExtras) throws Exception {
        String yaml = "{layers: [{type: conv, width: 5, kernel: 3, activation: relu, rule: hwta" + firstLayerExtras
                + "}, {type: classifier}]}";
        return NetworkSpec.fromConfig(new ObjectMapper(new YAMLFactory()).readTree(yaml)).plan(INPUT, 3);
    }

    private static float[] gaussians(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian());
        }
        return a;
    }

    /** Winners with thresholds by loops: y[b,i,p] = 1 iff score_i = max_j score_j and score_i > 0, score = s/||w|| - theta. */
    private static float[] loopWinners(float[] s, float[] wNorm, float[] theta, int b, int o, int positions) {
        float[] y = new float[s.length];
        for (int n = 0; n < b; n++) {
            for (int p = 0; p < positions; p++) {
                float best = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < o; i++) {
                    best = Math.max(best, s[(n * o + i) * positions + p] / wNorm[i] - theta[i]);
                }
                for (int i = 0; i < o; i++) {
                    float score = s[(n * o + i) * positions + p] / wNorm[i] - theta[i];
                    y[(n * o + i) * positions + p] = score >= best && score > 0 ? 1f : 0f;
                }
            }
        }
        return y;
    }

    @Test
    void aNeuronWinsWhereItIsBestAndAboveItsThreshold() {
        int b = 3, o = 4, positions = 9;
        try (NDManager m = Djl.newManager()) {
            float[] s = gaussians(1, b * o * positions);
            float[] w = gaussians(2, o * 6);
            float[] theta = {0.5f, -0.2f, 3f, 0f};
            NDArray weights = m.create(w, new Shape(o, 6, 1, 1));
            float[] norms = PatchOps.weightNorms(weights).toFloatArray();
            NDArray mask = Competition.winners(weights, m.create(s, new Shape(b, o, 3, 3)), 1, m.create(theta));
            float[] expected = loopWinners(s, norms, theta, b, o, positions);
            assertArrayEquals(expected, mask.toFloatArray());
            int silent = 0;
            for (int n = 0; n < b * positions; n++) {
                float sum = 0;
                for (int i = 0; i < o; i++) {
                    sum += expected[((n / positions) * o + i) * positions + n % positions];
                }
                silent += sum == 0 ? 1 : 0;
            }
            assertTrue(silent > 0, "some positions have no neuron above its threshold (the test's data must show it)");
        }
    }

    @Test
    void thresholdsMoveByTheRateTimesTheWinRateAboveTarget() {
        int b = 4, o = 5;
        float mu = 3f;
        try (NDManager m = Djl.newManager()) {
            Hwta rule = new Hwta(1).withThreshold(mu);
            NDArray w = m.create(gaussians(3, o * 3 * 9), new Shape(o, 3, 3, 3));
            float[] theta = new float[o];
            for (int step = 0; step < 3; step++) {
                NDArray x = m.create(gaussians(10 + step, b * 3 * 36), new Shape(b, 3, 6, 6));
                NDArray s = PatchOps.conv(x, w);
                float[] winners = loopWinners(s.toFloatArray(), PatchOps.weightNorms(w).toFloatArray(), theta, b, o, 16);
                rule.apply(new RuleInput(x, w, s, null), 0.1f);
                for (int i = 0; i < o; i++) {
                    float won = 0;
                    for (int n = 0; n < b; n++) {
                        for (int p = 0; p < 16; p++) {
                            won += winners[(n * o + i) * 16 + p];
                        }
                    }
                    theta[i] += mu * (won / (b * 16) - 1f / o);
                }
                assertArrayEquals(theta, rule.state(), 1e-5f, "step " + step);
            }
        }
    }

    @Test
    void theOutputIsTheActivationOfTheShiftedProjectionAndWeightsKeepNormOne() throws Exception {
        NetworkPlan p = plan(", threshold: 2.0, unitNorm: true, pruning: 0.5");
        try (NDManager m = Djl.newManager();
                HebbianNetwork net = new HebbianNetwork(m, p, LayerRules.of("hwta", Map.of()), 4)) {
            HebbianLayer layer = net.layer(1);
            float[] mask = layer.pruning().mask().toFloatArray();
            for (int step = 0; step < 4; step++) {
                net.train(m.create(gaussians(20 + step, 8 * 108), new Shape(8, 3, 6, 6)), m.create(new long[] {0, 1, 2, 0, 1, 2, 0, 1}), 0.2f);
                float[] norms = PatchOps.weightNorms(layer.weights()).toFloatArray();
                for (float n : norms) {
                    assertEquals(1f, n, 1e-5f, "norm 1 after every step");
                }
                float[] w = layer.weights().toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    assertTrue(mask[i] == 1f || w[i] == 0f, "pruned weights stay zero");
                }
            }
            float[] theta = ((Hwta) layer.rule()).state();
            assertNotNull(theta);
            NDArray x = m.create(gaussians(30, 2 * 108), new Shape(2, 3, 6, 6));
            NDArray s = PatchOps.conv(x, layer.weights());
            float[] projected = s.div(PatchOps.weightNorms(layer.weights()).reshape(1, -1, 1, 1)).toFloatArray();
            float[] expected = new float[projected.length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Math.max(0f, projected[i] - theta[(i / 16) % 5]);
            }
            assertArrayEquals(expected, layer.forward(x).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void thresholdsAreSavedAndResumedWithTheNetwork(@TempDir Path dir) throws Exception {
        NetworkPlan p = plan(", threshold: 1.5, unitNorm: true");
        NDArray[] data;
        try (NDManager m = Djl.newManager();
                HebbianNetwork a = new HebbianNetwork(m, p, LayerRules.of("hwta", Map.of()), 7);
                HebbianNetwork b = new HebbianNetwork(m, p, LayerRules.of("hwta", Map.of()), 99)) {
            data = new NDArray[] {m.create(gaussians(40, 8 * 108), new Shape(8, 3, 6, 6)), m.create(new long[] {0, 1, 2, 0, 1, 2, 0, 1})};
            a.train(data[0], data[1], 0.2f);
            a.train(data[0].mul(-1f), data[1], 0.2f);
            a.save(dir);
            b.load(dir);
            assertArrayEquals(((Hwta) a.layer(1).rule()).state(), ((Hwta) b.layer(1).rule()).state());
            a.train(data[0].mul(0.5f), data[1], 0.2f);
            b.train(data[0].mul(0.5f), data[1], 0.2f);
            assertArrayEquals(a.layer(1).weights().toFloatArray(), b.layer(1).weights().toFloatArray());
            assertArrayEquals(((Hwta) a.layer(1).rule()).state(), ((Hwta) b.layer(1).rule()).state());
        }
    }

    @Test
    void aStateThatDoesNotFitIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        try (NDManager m = Djl.newManager();
                HebbianNetwork withThresholds = new HebbianNetwork(m, plan(", threshold: 1.5"), LayerRules.of("hwta", Map.of()), 7);
                HebbianNetwork without = new HebbianNetwork(m, plan(""), LayerRules.of("hwta", Map.of()), 7)) {
            withThresholds.train(m.create(gaussians(50, 8 * 108), new Shape(8, 3, 6, 6)), m.create(new long[] {0, 1, 2, 0, 1, 2, 0, 1}), 0.2f);
            withThresholds.save(dir);
            InputError noState = assertThrows(InputError.class, () -> without.load(dir));
            assertTrue(noState.getMessage().contains("layer1-state.npy") && noState.getMessage().contains("without thresholds"),
                    noState.getMessage());
            Npy.write(dir.resolve("layer1-state.npy"), m.create(new float[3]));
            InputError wrongLength = assertThrows(InputError.class, () -> withThresholds.load(dir));
            assertTrue(wrongLength.getMessage().contains("holds 3 values; the layer has 5 neurons"), wrongLength.getMessage());
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        InputError onHpca = assertThrows(InputError.class, () -> {
            try (NDManager m = Djl.newManager();
                    HebbianNetwork n = new HebbianNetwork(m, plan2("hpca", "threshold: 1.0"), LayerRules.of("hpca", Map.of()), 0)) {
                n.depth();
            }
        });
        assertTrue(onHpca.getMessage().contains("'threshold'"), onHpca.getMessage());
        InputError notBoolean = assertThrows(InputError.class, () -> plan(", unitNorm: 1"));
        assertTrue(notBoolean.getMessage().contains("'unitNorm' must be true or false"), notBoolean.getMessage());
        InputError both = assertThrows(InputError.class, () -> {
            try (NDManager m = Djl.newManager();
                    HebbianNetwork n = new HebbianNetwork(m, plan2("hwta", "threshold: 1.0, plasticK: 1"), LayerRules.of("hwta", Map.of()), 0)) {
                n.depth();
            }
        });
        assertTrue(both.getMessage().contains("'threshold' and 'plasticK'"), both.getMessage());
    }

    private static NetworkPlan plan2(String rule, String extras) throws Exception {
        String yaml = "{layers: [{type: conv, width: 5, kernel: 3, rule: " + rule + ", " + extras + "}, {type: classifier}]}";
        return NetworkSpec.fromConfig(new ObjectMapper(new YAMLFactory()).readTree(yaml)).plan(INPUT, 3);
    }
}
