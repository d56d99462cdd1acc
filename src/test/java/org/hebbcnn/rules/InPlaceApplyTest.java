package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused and sparse in-place paths (blocked Sanger, active-rows instar) taken by large dense
 * layers give exactly W + lr * weightChange.
 */
class InPlaceApplyTest {
    @ParameterizedTest
    @ValueSource(strings = {"hpca", "hwta", "shc", "chl", "sanger", "instar", "oja", "hebb"})
    void trainEqualsWeightsPlusRateTimesChange(String name) {
        try (NDManager m = Djl.newManager()) {
            int neurons = 300;
            NDArray x = m.randomUniform(0f, 1f, new Shape(5, 4, 3, 3));
            NDArray teacher = m.create(new long[] {0, 7, 7, 299, 12}).oneHot(neurons).toType(DataType.FLOAT32, false);
            PlasticityRule rule = Rules.byName(name).get();
            try (HebbianLayer layer = HebbianLayer.fullyConnected(m, new Shape(4, 3, 3), neurons, rule, null, 3)) {
                NDArray expected = layer.weights().add(layer.weightChange(x, teacher).mul(0.3f));
                layer.train(x, teacher, 0.3f);
                float err = layer.weights().sub(expected).abs().max().getFloat();
                float scale = expected.abs().max().getFloat();
                assertTrue(err <= 1e-6f * scale, name + ": max error " + err + " of " + scale);
            }
        }
    }
}
