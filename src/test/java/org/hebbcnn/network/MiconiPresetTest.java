package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.rules.Hwta;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The {@code miconi} preset and the settings of his two interventions, {@code plasticK} and {@code pruning}. */
class MiconiPresetTest {
    private static final long[] CIFAR = {3, 32, 32};

    static NetworkSpec spec(String yaml) throws Exception {
        return NetworkSpec.fromConfig(new ObjectMapper(new YAMLFactory()).readTree(yaml));
    }

    @Test
    void thePresetHasMiconisShapes() {
        NetworkSpec s = NetworkSpec.preset("miconi");
        assertEquals("zca", s.input());
        NetworkPlan p = s.plan(CIFAR, 10);
        assertEquals(4, p.depth());
        long[][] kernels = {{100, 3, 5, 5}, {196, 100, 3, 3}, {400, 196, 3, 3}, {10, 400, 2, 2}};
        long[][] convOut = {{100, 28, 28}, {196, 12, 12}, {400, 4, 4}};
        long[][] outputs = {{100, 14, 14}, {196, 6, 6}, {400, 2, 2}};
        for (int l = 1; l <= 3; l++) {
            assertArrayEquals(kernels[l - 1], p.layer(l).kernel(), "layer " + l + " kernel");
            assertArrayEquals(convOut[l - 1], p.layer(l).convOut(), "layer " + l + " before pooling");
            assertArrayEquals(outputs[l - 1], p.layer(l).output(), "layer " + l + " after 2x2 average pooling");
            assertEquals("triangle", s.layer(l).activation());
            assertEquals("avg", s.layer(l).pool().type());
            assertEquals("hwta", s.layer(l).rule());
        }
        assertArrayEquals(kernels[3], p.layer(4).kernel());
        assertEquals(1600, p.features(3), "400 x 2 x 2 features on top, as his");
        assertNull(s.layer(1).ruleSettings().get("pruning"), "layer 1 unpruned");
        assertEquals(0.99, s.layer(2).ruleSettings().get("pruning"));
        assertEquals(0.99, s.layer(3).ruleSettings().get("pruning"));
        assertTrue(p.describe().contains("pruned 99%"), p.describe());
    }

    @Test
    void thePresetBuildsAHebbianNetworkWithOneWinnerAndPrunedLayers() {
        NetworkPlan p = NetworkSpec.preset("miconi").plan(CIFAR, 10);
        try (NDManager m = Djl.newManager(); HebbianNetwork net = new HebbianNetwork(m, p, LayerRules.of("hpca", Map.of()), 1)) {
            for (int l = 1; l <= 3; l++) {
                assertEquals(1, ((Hwta) net.layer(l).rule()).k(), "layer " + l);
            }
            assertNull(net.layer(1).pruning());
            float[] mask = net.layer(3).pruning().mask().toFloatArray();
            double kept = 0;
            for (float v : mask) {
                kept += v;
            }
            assertEquals(0.01, kept / mask.length, 0.002, "1% of layer 3's 705,600 weights kept");
        }
    }

    /** Bad intervention settings are refused when the spec is read, naming the layer and the key. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{type: conv, width: 8, kernel: 3, plasticK: 0}|layer 1|'plasticK'",
        "{type: conv, width: 8, kernel: 3, plasticK: 9}|layer 1|'plasticK'",
        "{type: conv, width: 8, kernel: 3, plasticK: 1.5}|layer 1|'plasticK'",
        "{type: conv, width: 8, kernel: 3, plasticK: two}|layer 1|'plasticK'",
        "{type: conv, width: 8, kernel: 3, pruning: 1}|layer 1|'pruning'",
        "{type: conv, width: 8, kernel: 3, pruning: -0.1}|layer 1|'pruning'",
        "{type: conv, width: 8, kernel: 3}, {type: classifier, pruning: 0.5}|layer 2|'pruning'",
        "{type: conv, width: 8, kernel: 3}, {type: classifier, plasticK: 1}|layer 2|'plasticK'",
    })
    void badSettingsAreRefusedNamingLayerAndKey(String layers, String layer, String key) {
        String yaml = "{layers: [" + layers + (layers.contains("classifier") ? "" : ", {type: classifier}") + "]}";
        InputError e = assertThrows(InputError.class, () -> spec(yaml).plan(CIFAR, 10));
        assertTrue(e.getMessage().contains(layer) && e.getMessage().contains(key), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line");
    }

    @Test
    void plasticKOnARuleWithoutAnActivityIsRefusedNamingLayerAndKey() throws Exception {
        NetworkPlan p = spec("{layers: [{type: conv, width: 8, kernel: 3}, {type: conv, width: 8, kernel: 3, rule: softhebb,"
                + " plasticK: 2}, {type: classifier}]}").plan(CIFAR, 10);
        try (NDManager m = Djl.newManager()) {
            InputError e = assertThrows(InputError.class, () -> new HebbianNetwork(m, p, LayerRules.of("hpca", Map.of()), 0));
            assertTrue(e.getMessage().contains("layer 2") && e.getMessage().contains("'plasticK'"), e.getMessage());
        }
    }

    @Test
    void everyOtherRuleTakesBothInterventions() throws Exception {
        for (String rule : new String[] {"hpca", "sanger", "hwta", "som", "hebb", "instar", "oja"}) {
            NetworkPlan p = spec("{layers: [{type: conv, width: 8, kernel: 3, rule: " + rule + ", plasticK: 2, pruning: 0.5},"
                    + " {type: classifier}]}").plan(CIFAR, 10);
            try (NDManager m = Djl.newManager(); HebbianNetwork net = new HebbianNetwork(m, p, LayerRules.of("hpca", Map.of()), 0)) {
                assertEquals(rule, net.layer(1).rule().name());
                net.train(m.randomUniform(0, 1, new ai.djl.ndarray.types.Shape(2, 3, 32, 32)), m.create(new int[] {0, 1}), 1e-3f);
            }
        }
    }
}
