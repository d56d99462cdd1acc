package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.hebbcnn.rules.SlowRules.Form;
import org.hebbcnn.rules.SlowTwinTest.Batch;
import org.hebbcnn.rules.SlowTwinTest.Data;
import org.hebbcnn.rules.SlowTwinTest.Geometry;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Miconi's surrogate losses: autograd of L must reproduce the direct update of Hebb, instar and Oja
 * for both activations and both aggregations, on conv and dense shapes, and both must match the
 * slow twin (so the two cannot agree on a shared mistake).
 */
class SurrogateLossTest {
    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Djl.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void surrogateGradientEqualsTheDirectUpdate() {
        int cases = 0;
        for (Geometry g : SlowTwinTest.SHAPES) {
            for (Form form : Form.values()) {
                for (Activation act : Activation.values()) {
                    for (Aggregation agg : Aggregation.values()) {
                        boolean weighted = agg == Aggregation.ACTIVITY_WEIGHTED;
                        Data data = !weighted ? Data.SYMMETRIC : act == Activation.RELU ? Data.WITH_DEAD_UNIT : Data.POSITIVE;
                        try (NDManager m = manager.newSubManager()) {
                            Batch b = new Batch(m, g, data, 71);
                            ActivityRule rule = SlowTwinTest.miconiRule(form, act, agg);
                            RuleInput in = b.input();
                            NDArray direct = rule.weightChange(in);
                            NDArray surrogate = SurrogateLoss.weightChange(rule, in);
                            String what = form + " " + act + " " + agg + " " + g.name();
                            assertEquals(direct.getShape(), surrogate.getShape(), what);
                            SlowRules.assertMatches(what + " surrogate vs direct", surrogate,
                                    toDouble(direct.toFloatArray()), 1e-5);
                            double[][] slow = SlowRules.miconi(form, b.patches, b.wRows, act == Activation.RELU, weighted);
                            SlowRules.assertMatches(what + " surrogate vs twin", surrogate, slow, 1e-5);
                            // The surrogate must not touch the layer's weights or leave them requiring gradients.
                            assertArrayEquals(b.wData, in.weights().toFloatArray(), 0f, what + " weights untouched");
                            assertFalse(in.weights().hasGradient(), what + " weights must not require gradients");
                            cases++;
                        }
                    }
                }
            }
        }
        assertEquals(24, cases);
    }

    @Test
    void noSurrogateForSanger() {
        try (NDManager m = manager.newSubManager()) {
            Batch b = new Batch(m, SlowTwinTest.CONV, Data.SYMMETRIC, 72);
            assertThrows(IllegalArgumentException.class, () -> SurrogateLoss.weightChange(new Hpca(), b.input()));
        }
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
