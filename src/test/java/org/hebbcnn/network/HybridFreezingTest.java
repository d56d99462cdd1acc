package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A hybrid stacks frozen layers under fresh ones (BBHHBG: backprop 1-2, Hebbian 3-4 trained on
 * them, backprop 5-6 trained on both): training the upper stages must leave every frozen layer
 * bit-identical, weights and batch-norm statistics alike, while the trained layers do change.
 */
// Slow: whole networks, trained. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class HybridFreezingTest {

    private static List<float[]> snapshot(NDList arrays) {
        List<float[]> out = new ArrayList<>();
        for (NDArray a : arrays) {
            out.add(a.toFloatArray());
        }
        return out;
    }

    private static NDList backpropLayers(BackpropNetwork n, int first, int last) {
        NDList l = new NDList();
        for (int i = first; i <= last; i++) {
            l.add(n.weight(i));
            l.add(n.bias(i));
            if (i <= 5) {
                l.addAll(n.batchNorm(i));
            }
        }
        return l;
    }

    private static NDList hebbianLayers(HebbianNetwork n, int first, int last) {
        NDList l = new NDList();
        for (int i = first; i <= last; i++) {
            l.add(n.layer(i).weights());
            if (i <= 5) {
                l.add(n.norm(i).runningMean());
                l.add(n.norm(i).runningVar());
            }
        }
        return l;
    }

    private static void assertSame(List<float[]> before, NDList now, String what) {
        List<float[]> after = snapshot(now);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), what + ", array " + i);
        }
    }

    private static boolean changed(List<float[]> before, NDList now) {
        List<float[]> after = snapshot(now);
        for (int i = 0; i < before.size(); i++) {
            if (!Arrays.equals(before.get(i), after.get(i))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void trainingUpperStagesLeavesFrozenLayersBitIdentical() {
        HebbianNetworkTest.Task task = new HebbianNetworkTest.Task(3, 0.5f, 7);
        try (NDManager m = Djl.newManager();
                BackpropNetwork base = new BackpropNetwork(m, Plans.tryout(3), 1);
                HebbianNetwork hebb = new HebbianNetwork(m, 3, Rules.byName("hpca"), 2);
                BackpropNetwork top = new BackpropNetwork(m, Plans.tryout(3), 3)) {
            // the base as trained: a few steps so that its batch-norm statistics are not the defaults
            for (int i = 0; i < 2; i++) {
                NDArray[] b = task.batch(m, 8);
                base.trainStep(b[0], b[1]);
            }
            List<float[]> baseBefore = snapshot(backpropLayers(base, 1, 6));
            List<float[]> hebbBelowBefore = snapshot(hebbianLayers(hebb, 1, 2));
            List<float[]> hebbBefore = snapshot(hebbianLayers(hebb, 3, 4));
            UnaryOperator<NDArray> belowHebb = x -> base.forward(x, 1, 2, false).get(1);
            for (int i = 0; i < 3; i++) {
                NDArray[] b = task.batch(m, 8);
                hebb.train(belowHebb.apply(b[0]), 3, b[1], 1e-2f);
            }
            assertSame(baseBefore, backpropLayers(base, 1, 6), "backprop layers 1-6 under a Hebbian stage");
            assertSame(hebbBelowBefore, hebbianLayers(hebb, 1, 2), "Hebbian layers under the stage's first layer");
            assertTrue(changed(hebbBefore, hebbianLayers(hebb, 3, 4)), "the Hebbian stage learned");

            List<float[]> hebbTrained = snapshot(hebbianLayers(hebb, 3, 6));
            List<float[]> topBelowBefore = snapshot(backpropLayers(top, 1, 4));
            List<float[]> topBefore = snapshot(backpropLayers(top, 5, 6));
            UnaryOperator<NDArray> belowTop = x -> hebb.forward(belowHebb.apply(x), 3, 4).get(1);
            for (int i = 0; i < 3; i++) {
                NDArray[] b = task.batch(m, 8);
                top.trainStep(belowTop.apply(b[0]), 5, b[1]);
            }
            assertSame(baseBefore, backpropLayers(base, 1, 6), "backprop base under two stages");
            assertSame(hebbTrained, hebbianLayers(hebb, 3, 6), "the frozen Hebbian stage");
            assertSame(topBelowBefore, backpropLayers(top, 1, 4), "the top network's layers under its first");
            assertTrue(changed(topBefore, backpropLayers(top, 5, 6)), "the top stage learned");
        }
    }
}
