package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.training.BackpropNetworkTraining;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.HebbianNetworkTraining;
import org.hebbcnn.training.LearningRateSchedule;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stages trained on frozen layers keep those layers' outputs after the first epoch: the frozen
 * layers then run once per image instead of once per epoch, and the trained weights are
 * bit-identical to recomputing them every time.
 */
// Slow: whole networks, trained. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class FrozenFeaturesTest {
    @TempDir
    Path tmp;

    @Test
    void cachedFrozenOutputsTrainExactlyLikeRecomputedOnes() {
        ImageSet train = HebbianNetworkTest.imageSet("train", 40, 3, 1);
        ImageSet validation = HebbianNetworkTest.imageSet("val", 12, 3, 2);
        int epochs = 3;
        try (NDManager m = Djl.newManager(); ChannelNormalization norm = ChannelNormalization.fit(train);
                BackpropNetwork base = new BackpropNetwork(m, Plans.tryout(3), 5)) {
            UnaryOperator<NDArray> below = x -> base.forward(x, 1, 4, false).get(3);
            float[][] weights = new float[2][];
            long[] computed = new long[2];
            long[] budgets = {1L << 30, 0};
            for (int run = 0; run < 2; run++) {
                try (BackpropNetwork top = new BackpropNetwork(m, Plans.tryout(3), 6)) {
                    BackpropNetworkTraining t = new BackpropNetworkTraining(m, top, train, validation, norm, 8,
                            LearningRateSchedule.baseline(), 7, epochs, 1, "top").from(5, below, budgets[run]);
                    CheckpointedTraining.run(tmp.resolve("bp" + run), epochs, t, s -> {});
                    weights[run] = top.weight(5).toFloatArray();
                    computed[run] = t.frozenImagesComputed();
                }
            }
            assertArrayEquals(weights[1], weights[0], "same weights with and without the cache");
            // frozen layers run once per image (and once more on one image, which sizes the cache)
            assertEquals(train.size() + validation.size() + 1, computed[0], "frozen layers run once per image");
            assertEquals(epochs * (train.size() + validation.size()), computed[1], "without room: every epoch");

            // the same for a Hebbian stage (layers 5-6 on the backprop base's layers 1-4)
            float[][] hebbian = new float[2][];
            for (int run = 0; run < 2; run++) {
                try (HebbianNetwork top = new HebbianNetwork(m, 3, Rules.byName("hpca"), 6)) {
                    HebbianNetworkTraining t = new HebbianNetworkTraining(m, top, train, validation, norm, 8, 1e-2f, 7,
                            epochs, "hebb").from(5, below, budgets[run]);
                    CheckpointedTraining.run(tmp.resolve("h" + run), epochs, t, s -> {});
                    hebbian[run] = top.layer(5).weights().toFloatArray();
                }
            }
            assertArrayEquals(hebbian[1], hebbian[0]);
        }
    }
}
