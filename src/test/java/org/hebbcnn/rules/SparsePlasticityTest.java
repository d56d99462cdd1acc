package org.hebbcnn.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.rules.SlowRules.Form;
import org.hebbcnn.rules.SlowRules.Patches;
import org.hebbcnn.rules.SlowTwinTest.Batch;
import org.hebbcnn.rules.SlowTwinTest.Data;
import org.hebbcnn.rules.SlowTwinTest.Geometry;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;

/** Miconi's sparse plasticity ({@code plasticK}): only the N strongest neurons per position learn. */
class SparsePlasticityTest {
    /**
     * The slow twin: for each patch, the plasticK neurons with the largest cos(x_n, w_i) keep their
     * activity y = f(w_i . x_n), all others get 0; then the Miconi form, averaged over the N patches.
     */
    static double[][] sparse(Form form, Patches p, double[][] w, boolean relu, int plasticK) {
        double[][] cos = SlowRules.cosines(p, w);
        double[][] y = SlowRules.activity(p, w, relu);
        double[][] dw = new double[w.length][w[0].length];
        for (int n = 0; n < p.count(); n++) {
            boolean[] learns = SlowRules.topK(cos[n], plasticK);
            double[] x = p.rows()[n];
            for (int i = 0; i < w.length; i++) {
                double yi = learns[i] ? y[n][i] : 0;
                for (int d = 0; d < x.length; d++) {
                    double decay = form == Form.HEBB ? 0 : form == Form.INSTAR ? w[i][d] : yi * w[i][d];
                    dw[i][d] += yi * (x[d] - decay) / p.count();
                }
            }
        }
        return dw;
    }

    @Test
    void eachMiconiRuleWithPlasticKMatchesItsLoopTwin() {
        Geometry g = new Geometry("conv", 3, 2, 7, 7, 6, 3, 3);
        try (NDManager m = Djl.newManager()) {
            for (int k : new int[] {1, 2, 4}) {
                Batch b = new Batch(m, g, Data.SYMMETRIC, 40 + k);
                assertTrue(SlowRules.winnerMargin(SlowRules.cosines(b.patches, b.wRows), k) > 1e-5, "no near-ties");
                ActivityRule[] rules = {new PlainHebb(), new Instar(), new Oja()};
                Form[] forms = {Form.HEBB, Form.INSTAR, Form.OJA};
                for (int r = 0; r < rules.length; r++) {
                    NDArray fast = new SparsePlasticity(rules[r], k).weightChange(b.input());
                    SlowRules.assertMatches(rules[r].name() + " plasticK " + k, fast,
                            SlowRules.flatten(sparse(forms[r], b.patches, b.wRows, true, k)), SlowTwinTest.TOL);
                }
            }
        }
    }

    @Test
    void exactlyTheChosenNeuronsWeightsChange() {
        // One 4x4 image, 3x3 kernel: 4 positions, so with plasticK 1 at most 4 of the 12 neurons learn.
        Geometry g = new Geometry("conv", 1, 2, 4, 4, 12, 3, 3);
        try (NDManager m = Djl.newManager();
                HebbianLayer layer = new HebbianLayer(m, new Shape(12, 2, 3, 3),
                        Rules.create("instar", Map.of("plasticK", 1), 12), 3)) {
            Batch b = new Batch(m, g, Data.POSITIVE, 5);
            float[] before = layer.weights().toFloatArray();
            double[][] w = SlowRules.weightRows(before, 12);
            double[][] cos = SlowRules.cosines(b.patches, w);
            double[][] y = SlowRules.activity(b.patches, w, true);
            boolean[] learns = new boolean[12];
            for (int n = 0; n < b.patches.count(); n++) {
                boolean[] top = SlowRules.topK(cos[n], 1);
                for (int i = 0; i < 12; i++) {
                    learns[i] |= top[i] && y[n][i] > 0;
                }
            }
            layer.train(b.x, null, 0.1f);
            float[] after = layer.weights().toFloatArray();
            int k = 2 * 3 * 3;
            int changed = 0;
            for (int i = 0; i < 12; i++) {
                float[] w0 = java.util.Arrays.copyOfRange(before, i * k, (i + 1) * k);
                float[] w1 = java.util.Arrays.copyOfRange(after, i * k, (i + 1) * k);
                if (learns[i]) {
                    assertFalse(java.util.Arrays.equals(w0, w1), "neuron " + i + " won a position and learns");
                    changed++;
                } else {
                    assertArrayEquals(w0, w1, "neuron " + i + " won nowhere and keeps its weights bit for bit");
                }
            }
            assertTrue(changed >= 1 && changed <= 4, "1 to 4 winners, got " + changed);
        }
    }

    @Test
    void denseHwtaWithPlasticKOneIsOneWta() {
        Geometry g = new Geometry("conv", 2, 3, 6, 6, 7, 3, 3);
        try (NDManager m = Djl.newManager()) {
            Batch b = new Batch(m, g, Data.SYMMETRIC, 9);
            float[] sparse = new SparsePlasticity(new Hwta(7), 1).weightChange(b.input()).toFloatArray();
            assertArrayEquals(new Hwta(1).weightChange(b.input()).toFloatArray(), sparse,
                    "every neuron wins under 7-WTA; only the strongest learns");
        }
    }

    @Test
    void theWrappedRuleKeepsItsNameOutputAndInputPreference() {
        PlasticityRule r = Rules.create("hwta", Map.of("k", 3, "plasticK", 1), 8);
        assertTrue(r instanceof SparsePlasticity);
        assertEquals("hwta", r.name());
        assertEquals(OutputFunction.RELU_NORMALIZED, r.defaultOutput());
        assertTrue(r.wantsWhitenedInput());
        assertEquals(1, ((SparsePlasticity) r).plasticK());
        assertFalse(Rules.create("instar", Map.of("lr", 0.1), 8) instanceof SparsePlasticity, "none without plasticK");
    }
}
