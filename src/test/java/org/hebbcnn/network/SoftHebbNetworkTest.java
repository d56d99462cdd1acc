package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.rules.SoftHebb;
import org.hebbcnn.tensors.PatchOps;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The softhebb preset builds SoftHebb's network from the spec alone and its layers learn by their own t and lr. */
@Tag("slow")
class SoftHebbNetworkTest {
    @Test
    void theSoftHebbPresetLearnsWithEachLayersOwnTemperatureAndRate() {
        NetworkPlan plan = NetworkSpec.preset("softhebb").plan(new long[] {3, 32, 32}, 10);
        assertEquals("none", plan.spec().input(), "pixels in [0, 1], the first batch-norm standardises");
        try (NDManager m = Djl.newManager()) {
            HebbianNetwork net = new HebbianNetwork(m, plan, LayerRules.of("hpca", Map.of()), 0);
            double[] t = {1, 0.65, 0.25};
            NDArray[] before = new NDArray[3];
            for (int l = 1; l <= 3; l++) {
                SoftHebb rule = (SoftHebb) net.layer(l).rule();
                assertEquals(t[l - 1], rule.inverseTemperature(), 1e-12, "layer " + l + "'s t");
                float norm = PatchOps.weightNorms(net.layer(l).weights()).mean().getFloat();
                assertTrue(norm > 15 && norm < 35, "norms start near 25: " + norm);
                before[l - 1] = net.layer(l).weights().duplicate();
            }
            NDArray x = m.randomUniform(0f, 1f, new Shape(10, 3, 32, 32));
            NDArray labels = m.create(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
            net.train(x, labels, 1e-3f);
            net.train(x, labels, 1e-3f);
            NDList out = net.forward(x);
            for (int l = 1; l <= 3; l++) {
                assertArrayEquals(new long[] {10, plan.layer(l).output()[0], plan.layer(l).output()[1], plan.layer(l).output()[2]},
                        out.get(l - 1).getShape().getShape(), "layer " + l);
                float moved = net.layer(l).weights().sub(before[l - 1]).abs().max().getFloat();
                assertTrue(moved > 0, "layer " + l + " learned");
            }
            assertEquals(0, net.firstNonFiniteLayer());
        }
    }
}
