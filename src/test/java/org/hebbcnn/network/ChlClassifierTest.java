package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.config.Hyperparameters;
import org.hebbcnn.experiments.Method;
import org.hebbcnn.rules.Chl;
import org.hebbcnn.rules.Hpca;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;

/** {@code rule: chl} on a spec's classifier: it learns end to end on top of a Hebbian layer; misuse is refused. */
class ChlClassifierTest {
    private static final int CLASSES = 4;

    /** Images [n, 3, 12, 12]: a fixed random +-1 pattern per class plus Gaussian noise of 1.5; labels cycle. */
    private static NDArray[] images(NDManager m, int n, long seed) {
        Random patterns = new Random(42);
        float[][] sign = new float[CLASSES][3 * 12 * 12];
        for (float[] p : sign) {
            for (int j = 0; j < p.length; j++) {
                p[j] = patterns.nextBoolean() ? 1 : -1;
            }
        }
        Random r = new Random(seed);
        float[] x = new float[n * 432];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % CLASSES;
            for (int j = 0; j < 432; j++) {
                x[i * 432 + j] = sign[y[i]][j] + 1.5f * (float) r.nextGaussian();
            }
        }
        return new NDArray[] {m.create(x, new Shape(n, 3, 12, 12)), m.create(y)};
    }

    @Test
    void aChlClassifierOnAHebbianLayerLearnsEndToEnd() throws Exception {
        NetworkPlan plan = PerLayerRulesTest.plan("{layers: [{type: conv, width: 8, kernel: 3, pool: {type: max, size: 2},"
                + " norm: batch}, {type: classifier, rule: chl, lr: 0.02}]}");
        try (NDManager m = Djl.newManager()) {
            HebbianNetwork net = new HebbianNetwork(m, plan, LayerRules.of("hpca", Map.of()), 3);
            assertEquals(Chl.class, net.layer(2).rule().getClass());
            assertEquals(Hpca.class, net.layer(1).rule().getClass());
            NDArray[] train = images(m, 128, 1);
            NDArray[] test = images(m, 64, 2);
            float[] before = net.layer(2).weights().toFloatArray();
            for (int epoch = 0; epoch < 5; epoch++) {
                for (int start = 0; start < 128; start += 16) {
                    String rows = start + ":" + (start + 16);
                    net.train(train[0].get(rows), train[1].get(rows), 1e-3f);
                }
            }
            assertFalse(java.util.Arrays.equals(before, net.layer(2).weights().toFloatArray()), "the classifier learned");
            assertEquals(0, net.firstNonFiniteLayer(), "every weight finite");
            NDArray scores = net.forward(test[0]).get(1);
            assertEquals(new Shape(64, CLASSES), scores.getShape());
            double accuracy = scores.argMax(1).toType(test[1].getDataType(), false).eq(test[1]).sum().getLong() / 64.0;
            assertTrue(accuracy > 0.9, "test accuracy of the CHL classifier " + accuracy + " (chance 0.25)");
        }
    }

    @Test
    void misuseIsRefusedInOneLine() throws Exception {
        NetworkPlan hidden = PerLayerRulesTest.plan("{layers: [{type: conv, width: 6, kernel: 3, rule: chl}, {type: classifier}]}");
        NetworkPlan setting = PerLayerRulesTest.plan("{layers: [{type: conv, width: 6, kernel: 3}, {type: classifier, rule: chl, k: 2}]}");
        NetworkPlan lr = PerLayerRulesTest.plan("{layers: [{type: conv, width: 6, kernel: 3}, {type: classifier, rule: chl, lr: -1}]}");
        try (NDManager m = Djl.newManager()) {
            for (NetworkPlan p : List.of(hidden, setting, lr)) {
                InputError e = assertThrows(InputError.class, () -> new HebbianNetwork(m, p, LayerRules.of("hpca", Map.of()), 0));
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                System.out.println(e.getMessage());
            }
        }
        assertThrows(InputError.class, () -> Method.of("chl"), "a classifier's rule is no layer-wise method");
        Hyperparameters p = Hyperparameters.paper();
        InputError e = assertThrows(InputError.class, () -> new Hyperparameters(p.backpropLr(), p.lrGamma(), p.lrMilestones(),
                p.momentum(), p.dropout(), p.backpropWeightDecay(), p.topWeightDecay(), p.hebbianLr(), p.hwtaK(),
                p.zcaEpsilon(), p.probeWeightDecay(), p.shcProbeLr(), 0, p.vaeLr(), p.vaeMomentum(), p.klWeight(), p.probeOptions()));
        assertEquals("probes.chlLr must be a finite number > 0, got 0.0", e.getMessage());
    }
}
