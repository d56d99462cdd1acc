package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Random;
import org.hebbcnn.nn.Accuracy;
import org.hebbcnn.nn.Losses;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class LinearProbeTest {
    static final int CLASSES = 10;
    static final int FEATURES = 2 * 4 * 8; // features arrive as maps [B, 2, 4, 8]

    @TempDir
    Path dir;

    /** Noisy copies of one random prototype per class: linearly separable, but not trivially. */
    static final class Task {
        final float[] prototypes;
        final Random random;

        Task(long seed) {
            random = new Random(seed);
            prototypes = new float[CLASSES * FEATURES];
            for (int i = 0; i < prototypes.length; i++) {
                prototypes[i] = (float) random.nextGaussian();
            }
        }

        NDArray[] batch(NDManager m, int n) {
            float[] x = new float[n * FEATURES];
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                int c = random.nextInt(CLASSES);
                y[i] = c;
                for (int j = 0; j < FEATURES; j++) {
                    x[i * FEATURES + j] = prototypes[c * FEATURES + j] + 1.0f * (float) random.nextGaussian();
                }
            }
            return new NDArray[] {m.create(x, new Shape(n, 2, 4, 8)), m.create(y)};
        }
    }

    @Test
    @Tag("slow") // 150 training steps
    void learnsALinearlySeparableTask() {
        try (NDManager m = Djl.newManager(); LinearProbe probe = new LinearProbe(m, FEATURES, CLASSES, 1)) {
            Task task = new Task(5);
            NDArray[] test = task.batch(m, 500);
            long before = Accuracy.top1(probe.scores(test[0]), test[1]);
            probe.setLearningRate(0.05f);
            for (int step = 0; step < 150; step++) {
                try (NDManager b = m.newSubManager()) {
                    NDArray[] batch = task.batch(b, 32);
                    float loss = probe.trainStep(batch[0], batch[1]);
                    assertTrue(Float.isFinite(loss));
                }
            }
            long after = Accuracy.top1(probe.scores(test[0]), test[1]);
            assertTrue(before < 200, "untrained accuracy " + before + "/500 should be near chance");
            assertTrue(after > 450, "accuracy after training " + after + "/500");
            assertTrue(probe.parametersFinite());
            assertEquals(150, probe.steps());
        }
    }

    @Test
    void sameSeedSameProbeAndResumeIsBitIdentical() {
        try (NDManager m = Djl.newManager();
                LinearProbe straight = new LinearProbe(m, FEATURES, CLASSES, 3);
                LinearProbe interrupted = new LinearProbe(m, FEATURES, CLASSES, 3);
                LinearProbe resumed = new LinearProbe(m, FEATURES, CLASSES, 99)) {
            assertArrayEquals(straight.weight().toFloatArray(), interrupted.weight().toFloatArray());
            assertFalse(java.util.Arrays.equals(straight.weight().toFloatArray(), resumed.weight().toFloatArray()));
            Task task = new Task(8);
            NDArray[][] batches = new NDArray[4][];
            for (int i = 0; i < 4; i++) {
                batches[i] = task.batch(m, 16);
            }
            for (LinearProbe p : new LinearProbe[] {straight, interrupted}) {
                p.setLearningRate(0.1f);
                p.setWeightDecay(1e-2f);
            }
            for (int i = 0; i < 4; i++) {
                straight.trainStep(batches[i][0], batches[i][1]);
            }
            for (int i = 0; i < 2; i++) {
                interrupted.trainStep(batches[i][0], batches[i][1]);
            }
            Path file = dir.resolve("probe.npz");
            interrupted.save(file);
            resumed.load(file);
            assertEquals(0.1f, resumed.learningRate());
            assertEquals(1e-2f, resumed.weightDecay());
            for (int i = 2; i < 4; i++) {
                resumed.trainStep(batches[i][0], batches[i][1]);
            }
            assertArrayEquals(straight.weight().toFloatArray(), resumed.weight().toFloatArray());
            assertArrayEquals(straight.bias().toFloatArray(), resumed.bias().toFloatArray());
            assertEquals(4, resumed.steps());
        }
    }

    /** Dropout 0 and momentum 0 make one step plain SGD: W - lr (grad + wd W), checked on its effect. */
    @Test
    void dropoutAndMomentumAreSettings() {
        try (NDManager m = Djl.newManager();
                LinearProbe plain = new LinearProbe(m, FEATURES, CLASSES, 4);
                LinearProbe paper = new LinearProbe(m, FEATURES, CLASSES, 4)) {
            plain.setDropout(0f);
            plain.setMomentum(0f);
            NDArray[] b = new Task(9).batch(m, 16);
            // Without dropout the training loss of a step is the eval loss before it.
            float evalLoss = org.hebbcnn.nn.Losses.softmaxCrossEntropy(plain.scores(b[0]), b[1]).getFloat();
            assertEquals(evalLoss, plain.trainStep(b[0], b[1]), 1e-5f);
            assertNotEquals(evalLoss, paper.trainStep(b[0], b[1]), 1e-5f, "the paper's dropout 0.5 drops units");
            float[] w1 = plain.weight().toFloatArray();
            plain.trainStep(b[0], b[1]);
            paper.trainStep(b[0], b[1]);
            assertFalse(java.util.Arrays.equals(w1, plain.weight().toFloatArray()));
            assertThrows(IllegalArgumentException.class, () -> plain.setDropout(1f));
        }
    }

    @Test
    void loadingAProbeOfAnotherSizeNamesTheFile() {
        try (NDManager m = Djl.newManager();
                LinearProbe small = new LinearProbe(m, FEATURES, CLASSES, 0);
                LinearProbe other = new LinearProbe(m, FEATURES, CLASSES + 1, 0)) {
            Path file = dir.resolve("small-probe.npz");
            small.save(file);
            float[] w = other.weight().toFloatArray();
            InputError e = assertThrows(InputError.class, () -> other.load(file));
            assertTrue(e.getMessage().contains("small-probe.npz"), e.getMessage());
            assertArrayEquals(w, other.weight().toFloatArray(), "nothing changed");
            assertThrows(IllegalArgumentException.class, () -> small.scores(m.zeros(new Shape(2, FEATURES + 1))));
        }
    }
}
