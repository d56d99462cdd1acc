package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.rules.Hpca;
import org.hebbcnn.rules.Hwta;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;

/** A rule per layer, from the spec: each layer learns by its own rule, exactly as a single-rule layer would. */
class PerLayerRulesTest {
    private static final String SPEC = "{layers: [{type: conv, width: 6, kernel: 3, rule: hpca, lr: 0.01,"
            + " pool: {type: max, size: 2}}, {type: conv, width: 5, kernel: 3, rule: hwta, k: 2}, {type: classifier}]}";

    static NetworkPlan plan(String yaml) throws Exception {
        return NetworkSpec.fromConfig(new ObjectMapper(new YAMLFactory()).readTree(yaml)).plan(new long[] {3, 12, 12}, 4);
    }

    @Test
    void hpcaOnLayerOneAndHwtaOnLayerTwoEachUpdateByTheirOwnRule() throws Exception {
        NetworkPlan plan = plan(SPEC);
        try (NDManager m = Djl.newManager()) {
            NDArray x = m.randomNormal(new Shape(8, 3, 12, 12));
            NDArray labels = m.create(new int[] {0, 1, 2, 3, 0, 1, 2, 3});
            // the network-wide rule (oja) must be overridden by each layer's own
            HebbianNetwork net = new HebbianNetwork(m, plan, LayerRules.of("oja", Map.of()), 5);
            assertEquals("hpca", net.layer(1).rule().name());
            assertEquals("hwta", net.layer(2).rule().name());
            assertEquals(2, ((Hwta) net.layer(2).rule()).k(), "the layer's k");
            HebbianLayer one = new HebbianLayer(m, plan.layer(1), new Hpca(), HebbianNetwork.layerSeed(5, 1));
            HebbianLayer two = new HebbianLayer(m, plan.layer(2), new Hwta(2), HebbianNetwork.layerSeed(5, 2));
            float[] before1 = one.weights().toFloatArray();
            net.train(x, labels, 1e-3f);
            NDArray h = Pool.maxPool2d(one.train(x, null, 0.01f), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            two.train(h, null, 1e-3f);
            assertArrayEquals(one.weights().toFloatArray(), net.layer(1).weights().toFloatArray(),
                    "layer 1 learned by HPCA at its own lr 0.01");
            assertArrayEquals(two.weights().toFloatArray(), net.layer(2).weights().toFloatArray(), "layer 2 learned by 2-WTA");
            assertFalse(java.util.Arrays.equals(before1, net.layer(1).weights().toFloatArray()), "layer 1 moved");
        }
    }

    @Test
    void aSettingTheRuleDoesNotTakeIsRefusedNamingTheLayerAndKey() throws Exception {
        NetworkPlan plan = plan("{layers: [{type: conv, width: 6, kernel: 3, rule: hpca, k: 3}, {type: classifier}]}");
        try (NDManager m = Djl.newManager()) {
            InputError e = assertThrows(InputError.class, () -> new HebbianNetwork(m, plan, LayerRules.of("hpca", Map.of()), 0));
            assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("'k'"), e.getMessage());
        }
    }

    @Test
    void aHiddenLayerCannotLearnByTheClassifiersRule() throws Exception {
        NetworkPlan plan = plan("{layers: [{type: conv, width: 6, kernel: 3, rule: shc}, {type: classifier}]}");
        try (NDManager m = Djl.newManager()) {
            InputError e = assertThrows(InputError.class, () -> new HebbianNetwork(m, plan, LayerRules.of("hpca", Map.of()), 0));
            assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("'rule'"), e.getMessage());
        }
    }

    @Test
    void everyRuleIsReachableOnAnyLayer() throws Exception {
        for (String rule : org.hebbcnn.rules.Rules.hiddenRules()) {
            NetworkPlan plan = plan("{layers: [{type: conv, width: 6, kernel: 3}, {type: dense, width: 6, rule: " + rule
                    + "}, {type: classifier}]}");
            try (NDManager m = Djl.newManager()) {
                HebbianNetwork net = new HebbianNetwork(m, plan, LayerRules.of("hpca", Map.of()), 1);
                assertEquals(org.hebbcnn.rules.Rules.create(rule, Map.of(), 6).getClass(), net.layer(2).rule().getClass(), rule);
                assertEquals(Hpca.class, net.layer(1).rule().getClass(), "layer 1 keeps the network's rule");
                float[] before = net.layer(2).weights().toFloatArray();
                net.train(m.randomNormal(new Shape(4, 3, 12, 12)), m.create(new int[] {0, 1, 2, 3}), 1e-2f);
                assertFalse(java.util.Arrays.equals(before, net.layer(2).weights().toFloatArray()), rule + " learned on layer 2");
            }
        }
    }
}
