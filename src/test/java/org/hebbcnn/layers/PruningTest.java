package org.hebbcnn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.hebbcnn.architecture.LayerPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.network.LayerRules;
import org.hebbcnn.rules.Oja;
import org.hebbcnn.rules.PlainHebb;
import org.hebbcnn.rules.PlasticityRule;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Miconi's pruning: a fixed random share of a layer's weights held at exactly zero. */
class PruningTest {
    static LayerPlan plan(double pruning) throws Exception {
        String yaml = "{layers: [{type: conv, width: 8, kernel: 3, padding: 1, pruning: " + pruning + "},"
                + " {type: classifier}]}";
        return NetworkSpec.fromConfig(new ObjectMapper(new YAMLFactory()).readTree(yaml)).plan(new long[] {3, 10, 10}, 4)
                .layer(1);
    }

    static HebbianLayer layer(NDManager m, double pruning, PlasticityRule rule, long seed) throws Exception {
        return new HebbianLayer(m, plan(pruning), rule, seed);
    }

    @Test
    void theMaskIsFixedAndPrunedWeightsStayExactlyZeroOverManyUpdates() throws Exception {
        // Plain Hebb has no decay: every weight is pushed away from zero on every step.
        for (PlasticityRule rule : new PlasticityRule[] {new PlainHebb(), new Oja()}) {
            try (NDManager m = Djl.newManager(); HebbianLayer layer = layer(m, 0.7, rule, 11)) {
                float[] mask = layer.pruning().mask().toFloatArray();
                float[] initial = layer.weights().toFloatArray();
                int kept = 0;
                for (float v : mask) {
                    assertTrue(v == 0f || v == 1f, "a 0/1 mask");
                    kept += (int) v;
                }
                assertEquals(0.3, kept / (double) mask.length, 0.1, "about 30% of the 216 weights kept");
                for (int step = 0; step < 100; step++) {
                    layer.train(m.randomUniform(-1, 1, new Shape(4, 3, 10, 10)), null, 0.05f);
                    assertArrayEquals(mask, layer.pruning().mask().toFloatArray(), "the mask never moves");
                }
                float[] w = layer.weights().toFloatArray();
                int moved = 0;
                for (int i = 0; i < w.length; i++) {
                    if (mask[i] == 0f) {
                        assertEquals(0f, w[i], 0f, rule.name() + ": pruned weight " + i + " is exactly zero");
                    } else if (w[i] != initial[i]) {
                        moved++;
                    }
                }
                assertEquals(kept, moved, rule.name() + ": every kept weight learned");
            }
        }
    }

    @Test
    void theMaskComesFromTheSeedSoAResumedLayerPrunesTheSameWeights(@TempDir Path dir) throws Exception {
        try (NDManager m = Djl.newManager(); HebbianLayer a = layer(m, 0.5, new Oja(), 3);
                HebbianLayer again = layer(m, 0.5, new Oja(), 3); HebbianLayer other = layer(m, 0.5, new Oja(), 4)) {
            assertArrayEquals(a.pruning().mask().toFloatArray(), again.pruning().mask().toFloatArray(), "same seed");
            assertFalse(java.util.Arrays.equals(a.pruning().mask().toFloatArray(), other.pruning().mask().toFloatArray()),
                    "another seed, another mask");
            NDArray x = m.randomUniform(-1, 1, new Shape(2, 3, 10, 10));
            a.train(x, null, 0.1f);
            Path file = dir.resolve("w.npy");
            a.saveWeights(file);
            again.loadWeights(file); // a resumed run: the same seed, the saved weights
            a.train(x, null, 0.1f);
            again.train(x, null, 0.1f);
            assertArrayEquals(a.weights().toFloatArray(), again.weights().toFloatArray());
            // Weights from elsewhere are pruned on the way in.
            other.setWeights(m.ones(other.kernelShape()));
            assertArrayEquals(other.pruning().mask().toFloatArray(), other.weights().toFloatArray());
            assertTrue(Files.size(file) > 0);
        }
    }

    @Test
    void theReportedWeightChangeLeavesPrunedWeightsAlone() throws Exception {
        try (NDManager m = Djl.newManager(); HebbianLayer layer = layer(m, 0.5, new PlainHebb(), 8)) {
            float[] dw = layer.weightChange(m.randomUniform(-1, 1, new Shape(2, 3, 10, 10)), null).toFloatArray();
            float[] mask = layer.pruning().mask().toFloatArray();
            for (int i = 0; i < dw.length; i++) {
                assertTrue(mask[i] == 1f || dw[i] == 0f, "weight " + i);
            }
        }
    }

    @Test
    void noPruningMeansNoMaskAndAPrunedNetworkKeepsItsZeros() throws Exception {
        try (NDManager m = Djl.newManager(); HebbianLayer layer = layer(m, 0, new Oja(), 1)) {
            assertNull(layer.pruning(), "pruning 0: every weight learns");
        }
        String yaml = "{layers: [{type: conv, width: 6, kernel: 3, pool: {type: avg, size: 2}, rule: instar, pruning: 0.5},"
                + " {type: conv, width: 5, kernel: 3, rule: hwta, pruning: 0.9}, {type: classifier}]}";
        var plan = NetworkSpec.fromConfig(new ObjectMapper(new YAMLFactory()).readTree(yaml)).plan(new long[] {3, 12, 12}, 4);
        try (NDManager m = Djl.newManager(); HebbianNetwork net = new HebbianNetwork(m, plan, LayerRules.of("oja", Map.of()), 2)) {
            for (int step = 0; step < 20; step++) {
                net.train(m.randomUniform(0, 1, new Shape(4, 3, 12, 12)), m.create(new int[] {0, 1, 2, 3}), 0.05f);
            }
            for (int l = 1; l <= 2; l++) {
                float[] mask = net.layer(l).pruning().mask().toFloatArray();
                float[] w = net.layer(l).weights().toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    assertTrue(mask[i] == 1f || w[i] == 0f, "layer " + l + " weight " + i);
                }
            }
            assertNull(net.layer(3).pruning(), "the classifier is never pruned");
        }
    }
}
