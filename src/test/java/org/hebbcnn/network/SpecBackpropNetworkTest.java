package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.hebbcnn.architecture.LayerPlan;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backprop networks of specs other than the paper's: every spec key trains end to end. Conv widths
 * are 32 and 64: with 8 to 24 channels, PyTorch's multithreaded CPU convolution backward (this
 * engine) gives run-to-run different and at times NaN input gradients.
 */
class SpecBackpropNetworkTest {
    /** Reflect padding and avg pooling with padding; a triangle layer with batch-norm (no affine) before it. */
    static final String THREE = """
            layers:
              - {type: conv, width: 32, kernel: 3, padding: 1, paddingMode: reflect, norm: batch,
                 pool: {type: avg, size: 3, stride: 2, padding: 1}}
              - {type: conv, width: 64, kernel: 3, activation: triangle, norm: batch-no-affine, normPosition: before}
              - {type: classifier}
            """;
    /** Zeros and reflect padding, max pooling, every norm, norm before, dense layers, dropout on a dense layer. */
    static final String SEVEN = """
            layers:
              - {type: conv, width: 32, kernel: 3, padding: 1, norm: batch, pool: {type: max, size: 2}}
              - {type: conv, width: 32, kernel: 3, padding: 1, norm: batch-no-affine}
              - {type: conv, width: 64, kernel: 3, norm: modified, pool: {type: max, size: 2}}
              - {type: conv, width: 64, kernel: 3, padding: 1, paddingMode: reflect, activation: triangle,
                 norm: batch, normPosition: before}
              - {type: dense, width: 32, norm: batch, dropout: 0.1}
              - {type: dense, width: 16}
              - {type: classifier}
            """;
    static final long[] INPUT = {3, 12, 12};
    static final long[] INPUT7 = {3, 16, 16};
    static final int CLASSES = 4;

    @TempDir
    Path dir;

    @Test
    void threeLayerSpecTrainsAndEveryOutputHasThePlansShape() {
        trainsAndHasThePlansShapes(Plans.parse(THREE, INPUT, CLASSES));
    }

    @Test
    void sevenLayerSpecTrainsAndEveryOutputHasThePlansShape() {
        trainsAndHasThePlansShapes(Plans.parse(SEVEN, INPUT7, CLASSES));
    }

    private static void trainsAndHasThePlansShapes(NetworkPlan plan) {
        try (NDManager m = Djl.newManager(); BackpropNetwork net = new BackpropNetwork(m, plan, 3)) {
            assertEquals(plan.depth(), net.depth());
            net.setLearningRate(0.01f);
            NDArray[] batch = Plans.prototypes(m, plan.input(), CLASSES, 16, 1);
            for (boolean training : new boolean[] {false, true}) {
                try (NDList out = net.forward(batch[0], training)) {
                    assertEquals(plan.depth(), out.size());
                    for (LayerPlan l : plan.layers()) {
                        assertEquals(expectedShape(l, 16), out.get(l.number() - 1).getShape(), "layer " + l.number());
                    }
                }
            }
            float first = net.trainStep(batch[0], batch[1]);
            float last = first;
            for (int step = 0; step < 25; step++) {
                last = net.trainStep(batch[0], batch[1]);
            }
            assertTrue(net.parametersFinite());
            assertTrue(last < 0.5f * first, "loss " + first + " -> " + last);
        }
    }

    /** [B, O, H, W] for conv layers, [B, O] for dense layers and the classifier. */
    static Shape expectedShape(LayerPlan l, long batch) {
        long[] o = l.output();
        return l.spec().isConv() ? new Shape(batch, o[0], o[1], o[2]) : new Shape(batch, o[0]);
    }

    @Test
    void layersRunFromTheMiddleOnMapsOrFlattenedInputs() {
        NetworkPlan plan = Plans.parse(SEVEN, INPUT7, CLASSES);
        try (NDManager m = Djl.newManager(); BackpropNetwork net = new BackpropNetwork(m, plan, 3)) {
            NDArray x = Plans.prototypes(m, plan.input(), CLASSES, 4, 1)[0];
            NDList all = net.forward(x, false);
            NDArray map4 = all.get(3);
            NDArray flat = map4.reshape(4, -1);
            assertArrayEquals(all.get(6).toFloatArray(), net.forward(map4, 5, 7, false).get(2).toFloatArray());
            assertArrayEquals(all.get(6).toFloatArray(), net.forward(flat, 5, 7, false).get(2).toFloatArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.forward(flat, 4, 7, false));
            assertTrue(e.getMessage().contains("layer 4 takes [B, 64, 3, 3]"), e.getMessage());
            assertEquals(new Shape(64, 64, 3, 3), net.weight(4).getShape());
            assertEquals(new Shape(32, 64 * 3 * 3), net.weight(5).getShape());
            assertEquals(new Shape(CLASSES, 16), net.weight(7).getShape());
            assertEquals(4, net.batchNorm(5).size());
            assertThrows(IllegalArgumentException.class, () -> net.batchNorm(2), "batch-no-affine has no gamma and beta");
        }
    }

    @Test
    void aSavedSpecNetworkLoadsBitIdenticallyAndTrainsOnAsIfNeverSaved() {
        NetworkPlan plan = Plans.parse(SEVEN, INPUT7, CLASSES);
        Path file = dir.resolve("seven.npz");
        try (NDManager m = Djl.newManager();
                BackpropNetwork a = new BackpropNetwork(m, plan, 5);
                BackpropNetwork b = new BackpropNetwork(m, plan, 6)) {
            NDArray[] batch = Plans.prototypes(m, plan.input(), CLASSES, 8, 2);
            a.trainStep(batch[0], batch[1]);
            a.save(file);
            b.load(file);
            assertArrayEquals(a.scores(batch[0]).toFloatArray(), b.scores(batch[0]).toFloatArray());
            assertEquals(a.trainStep(batch[0], batch[1]), b.trainStep(batch[0], batch[1]));
            for (int l = 1; l <= plan.depth(); l++) {
                assertArrayEquals(a.weight(l).toFloatArray(), b.weight(l).toFloatArray(), "layer " + l);
            }
        }
    }
}
