package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Every rule runs on conv and dense shapes and keeps native memory scoped. */
class RulesRunTest {
    @Test
    void everyRuleRunsOnConvAndDense() {
        try (NDManager m = Djl.newManager()) {
            NDArray x = m.randomUniform(-1f, 1f, new Shape(4, 3, 8, 8));
            NDArray teacher = m.create(new int[] {0, 1, 5, 1}).oneHot(6);
            PlasticityRule[] rules = {new Hpca(), new Hwta(), new Hwta(2), new Som(2, 3), new Shc(), new PlainHebb(),
                new Instar(), new Oja(), new Hpca(Activation.LINEAR)};
            for (PlasticityRule rule : rules) {
                for (Shape k : new Shape[] {new Shape(6, 3, 3, 3), new Shape(6, 3, 8, 8)}) {
                    try (HebbianLayer layer = new HebbianLayer(m, k, rule, 1)) {
                        NDArray before = layer.weights().duplicate();
                        NDArray out = layer.train(x, teacher, 0.1f);
                        assertEquals(x.getManager(), out.getManager());
                        assertEquals(new Shape(4, 6, 8 - k.get(2) + 1, 8 - k.get(3) + 1), out.getShape());
                        assertTrue(layer.weights().sub(before).abs().sum().getFloat() > 0, rule.name() + " " + k);
                        assertTrue(layer.weightsFinite());
                    }
                }
            }
        }
    }
}
