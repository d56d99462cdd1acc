package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;

/** VAEs whose decoder is mirrored from specs other than the paper's (conv widths: see SpecBackpropNetworkTest). */
class SpecVaeTest {
    /** A 15x15 map max-pooled to 7x7 (the last row and column unpool to 0), then triangle with norm before. */
    static final String THREE = """
            layers:
              - {type: conv, width: 32, kernel: 3, padding: 1, norm: batch, pool: {type: max, size: 2}}
              - {type: conv, width: 64, kernel: 3, activation: triangle, norm: batch-no-affine, normPosition: before}
              - {type: classifier}
            """;

    /**
     * Ten steps keep every parameter finite. They once did not, about one run in three: the native
     * input gradient of the last transposed convolution (3 output channels) was wrong and sometimes
     * NaN (see {@link org.hebbcnn.tensors.Convolution}; {@code ConvolutionTest} checks that op directly).
     */
    @Test
    void aThreeLayerSpecVaeTrainsAndReconstructsTheInputsShape() {
        trains(Plans.parse(THREE, new long[] {3, 15, 15}, 4));
    }

    @Test
    void aSevenLayerSpecVaeTrainsAndReconstructsTheInputsShape() {
        trains(Plans.parse(SpecBackpropNetworkTest.SEVEN, SpecBackpropNetworkTest.INPUT7, 4));
    }

    private static void trains(NetworkPlan plan) {
        try (NDManager m = Djl.newManager(); Vae vae = new Vae(m, plan, 2)) {
            NDArray images = Plans.prototypes(m, plan.input(), 4, 8, 3)[0];
            NDArray reconstruction = vae.reconstruct(images);
            assertEquals(images.getShape(), reconstruction.getShape());
            NDList features = vae.features(images);
            assertEquals(plan.depth() - 1, features.size());
            for (int l = 1; l < plan.depth(); l++) {
                assertEquals(SpecBackpropNetworkTest.expectedShape(plan.layer(l), 8), features.get(l - 1).getShape());
            }
            assertTrue(Double.isFinite(vae.loss(images)));
            vae.setLearningRate(3e-3f);
            double first = vae.trainStep(images);
            for (int step = 1; step < 10; step++) {
                vae.trainStep(images);
            }
            double last = vae.lastStepLoss().total();
            assertTrue(vae.parametersFinite(), vae.nonFiniteBlock().orElse(""));
            assertTrue(Double.isFinite(vae.loss(images)));
            // training losses, as VaeTest's: after ten steps the batch-norm running statistics that the eval loss uses still lag
            assertTrue(last < 0.75 * first, "training loss " + first + " -> " + last);
        }
    }

    @Test
    void specsTheDecoderCannotMirrorAreRefusedNamingTheLayerAndKey() {
        String avg = THREE.replace("type: max", "type: avg");
        String stride = THREE.replace("kernel: 3, activation", "kernel: 3, stride: 2, activation");
        String[][] cases = {{avg, "layer 1", "'pool.type'"}, {stride, "layer 2", "'stride'"}};
        try (NDManager m = Djl.newManager()) {
            for (String[] c : cases) {
                NetworkPlan plan = Plans.parse(c[0], new long[] {3, 15, 15}, 4);
                InputError e = assertThrows(InputError.class, () -> new Vae(m, plan, 0));
                assertTrue(e.getMessage().contains(c[1] + ": " + c[2]), e.getMessage());
            }
            NetworkPlan wide3 = NetworkSpec.preset("wide3").plan(new long[] {3, 32, 32}, 10);
            InputError e = assertThrows(InputError.class, () -> new Vae(m, wide3, 0));
            assertTrue(e.getMessage().contains("network wide3: layer 1: 'pool'"), e.getMessage());
        }
    }
}
