package org.hebbcnn.architecture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkSpecTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final long[] CIFAR = {3, 32, 32};

    static NetworkSpec spec(String yaml) throws Exception {
        JsonNode node = YAML.readTree(yaml);
        return NetworkSpec.fromConfig(node);
    }

    @Test
    void theTryoutPresetHasThePapersShapesComputedFromTheInput() {
        NetworkPlan p = NetworkSpec.tryout().plan(CIFAR, 10);
        assertEquals(6, p.depth());
        assertEquals(5, p.probedLayers());
        long[][] outputs = {{96, 14, 14}, {128, 12, 12}, {192, 5, 5}, {256, 3, 3}, {4096, 1, 1}, {10, 1, 1}};
        for (int l = 1; l <= 6; l++) {
            assertArrayEquals(outputs[l - 1], p.layer(l).output(), "layer " + l);
        }
        assertArrayEquals(new long[] {4096, 256, 3, 3}, p.layer(5).kernel(), "the dense layer's kernel covers its map");
        assertArrayEquals(new long[] {100, 4096, 1, 1}, NetworkSpec.tryout().plan(CIFAR, 100).layer(6).kernel());
        assertEquals(18816, p.features(1));
        assertEquals(4096, p.features(5));
    }

    @Test
    void wide3HasSoftHebbsGeometry() {
        NetworkPlan p = NetworkSpec.preset("wide3").plan(CIFAR, 10);
        assertEquals(4, p.depth());
        assertArrayEquals(new long[] {96, 16, 16}, p.layer(1).output());
        assertArrayEquals(new long[] {384, 8, 8}, p.layer(2).output());
        assertArrayEquals(new long[] {1536, 4, 4}, p.layer(3).output());
        assertEquals(24576, p.features(3), "SoftHebb's 24,576 features");
        assertTrue(p.describe().contains("wide3"));
    }

    /** The authors' doubleNeurons preset: SoftHebb's network with every layer twice as wide, nothing else changed. */
    @Test
    void softhebbWideIsSoftHebbAtTwiceTheWidth() {
        NetworkPlan wide = NetworkSpec.preset("softhebb-wide").plan(CIFAR, 10);
        NetworkPlan base = NetworkSpec.preset("softhebb").plan(CIFAR, 10);
        assertEquals(base.depth(), wide.depth());
        for (int l = 1; l < base.depth(); l++) {
            long[] b = base.layer(l).output();
            assertArrayEquals(new long[] {2 * b[0], b[1], b[2]}, wide.layer(l).output(), "layer " + l);
        }
        assertEquals(49152, wide.features(3));
        // every layer setting but the width is the same (rules, t, lr, activations, pooling)
        String narrow = NetworkSpec.preset("softhebb").canonical().get("layers").toString();
        assertTrue(narrow.contains("\"width\":96") && narrow.contains("\"t\":0.65"), narrow);
        assertEquals(narrow.replace("\"width\":1536", "\"width\":3072").replace("\"width\":384", "\"width\":768")
                .replace("\"width\":96", "\"width\":192"),
                NetworkSpec.preset("softhebb-wide").canonical().get("layers").toString());
    }

    @Test
    void everyPresetParsesAndPlans() {
        for (String name : NetworkSpec.PRESETS) {
            NetworkSpec s = NetworkSpec.preset(name);
            assertEquals(name, s.name());
            assertTrue(s.plan(CIFAR, 10).depth() >= 2);
        }
        assertEquals(NetworkSpec.tryout(), NetworkSpec.fromConfig(null), "the default is the paper's network");
    }

    /** Each malformed spec is refused before training, naming the layer and the key. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{layers: [{type: conv, width: 8, kernel: 5, pool: {type: max, size: 2}}, {type: conv, width: 8, kernel: 3, pool: {size: 2}}, {type: conv, width: 8, kernel: 3, pool: {size: 2}}, {type: conv, width: 8, kernel: 3}, {type: classifier}]}|layer 4|shrinks to nothing",
        "{layers: [{type: conv, width: 8, kernel: 33}, {type: classifier}]}|layer 1|'kernel'",
        "{layers: [{type: conv, width: 8, kernel: 3, colour: red}, {type: classifier}]}|layer 1|'colour'",
        "{layers: [{type: conv, width: 8, kernel: 3, activation: sigmoid}, {type: classifier}]}|layer 1|'activation'",
        "{layers: [{type: classifier}, {type: conv, width: 8, kernel: 3}]}|layer 1|classifier",
        "{layers: [{type: conv, width: 8, kernel: 3}, {type: dense, width: 4}]}|layer 2|classifier",
        "{layers: [{type: conv, kernel: 3}, {type: classifier}]}|layer 1|'width'",
        "{layers: [{type: conv, width: 8, kernel: 3, pool: {type: max, size: 64}}, {type: classifier}]}|layer 1|'pool.size'",
        "{layers: [{type: conv, width: 8, kernel: 3, norm: group}, {type: classifier}]}|layer 1|'norm'",
        "{layers: [{type: dense, width: 8, kernel: 3}, {type: classifier}]}|layer 1|'kernel'",
        "{layers: [{type: conv, width: 8, kernel: 3, power: 2}, {type: classifier}]}|layer 1|'power'",
        "{layers: [{type: conv, width: 8, kernel: 3, pool: {type: median, size: 2}}, {type: classifier}]}|layer 1|'pool.type'",
        "{layers: [{type: conv, width: 8, kernel: 3, padding: 40, paddingMode: reflect}, {type: classifier}]}|layer 1|'padding'",
    })
    void malformedSpecsAreRefusedNamingTheLayerAndTheKey(String yaml, String layer, String key) {
        InputError e = assertThrows(InputError.class, () -> spec(yaml).plan(CIFAR, 10));
        assertTrue(e.getMessage().contains(layer), e.getMessage());
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void anUnknownPresetIsRefusedListingThePresets() {
        InputError e = assertThrows(InputError.class, () -> NetworkSpec.preset("resnet"));
        assertTrue(e.getMessage().contains("tryout") && e.getMessage().contains("wide3"), e.getMessage());
    }

    @Test
    void theCanonicalFormWritesDefaultsSoEqualSpecsCompareEqual() throws Exception {
        NetworkSpec terse = spec("{layers: [{type: conv, width: 8, kernel: 3}, {type: classifier}]}");
        NetworkSpec full = spec("{layers: [{type: conv, width: 8, kernel: 3, stride: 1, padding: 0, paddingMode: zeros,"
                + " activation: relu, norm: none, normPosition: after}, {type: classifier, activation: none}]}");
        assertEquals(terse, full);
        assertNotEquals(terse, spec("{layers: [{type: conv, width: 8, kernel: 3, rule: hwta, k: 2}, {type: classifier}]}"));
    }
}
