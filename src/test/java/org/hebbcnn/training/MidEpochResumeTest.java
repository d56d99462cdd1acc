package org.hebbcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hebbian network killed inside its only epoch resumes after the last batch saved in partial/ and
 * ends bit for bit where an uninterrupted run ends (the single long epoch of SoftHebb's protocol).
 */
@Tag("slow")
class MidEpochResumeTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        CheckpointedTraining.stopAfterBatches = 0;
        CheckpointedTraining.partialEverySeconds = 600;
    }

    @Test
    void aKillInsideTheEpochResumesFromTheSavedBatch() {
        ImageSet train = images("train", 16, 1); // four batches of 4
        ImageSet validation = images("validation", 4, 2);
        ChannelNormalization norm = ChannelNormalization.fit(train);
        CheckpointedTraining.partialEverySeconds = 0; // save after every batch
        try (NDManager m = Djl.newManager();
                HebbianNetwork straight = new HebbianNetwork(m, 4, Rules.byName("hpca"), 5);
                HebbianNetwork killed = new HebbianNetwork(m, 4, Rules.byName("hpca"), 5);
                HebbianNetwork resumed = new HebbianNetwork(m, 4, Rules.byName("hpca"), 6)) {
            List<String> log = new ArrayList<>();
            CheckpointedTraining.run(dir.resolve("a"), 1, training(m, straight, train, validation, norm), log::add);
            assertFalse(Files.exists(dir.resolve("a").resolve(CheckpointedTraining.PARTIAL)), "deleted with the epoch done");

            CheckpointedTraining.stopAfterBatches = 3;
            assertThrows(IllegalStateException.class, () -> CheckpointedTraining.run(dir.resolve("b"), 1,
                    training(m, killed, train, validation, norm), log::add));
            assertTrue(Files.isRegularFile(dir.resolve("b").resolve(CheckpointedTraining.PARTIAL).resolve("progress.json")));
            CheckpointedTraining.stopAfterBatches = 0;
            CheckpointedTraining.Outcome b = CheckpointedTraining.run(dir.resolve("b"), 1,
                    training(m, resumed, train, validation, norm), log::add);
            assertTrue(log.stream().anyMatch(s -> s.contains("inside epoch 1 after batch 3")), String.join("\n", log));
            assertEquals(1, b.state().epochsDone());
            for (int l = 1; l <= straight.depth(); l++) {
                assertArrayEquals(straight.layer(l).weights().toFloatArray(), resumed.layer(l).weights().toFloatArray(),
                        "weights of layer " + l);
            }
            for (int l = 1; l < straight.depth(); l++) {
                assertArrayEquals(straight.norm(l).runningMean().toFloatArray(),
                        resumed.norm(l).runningMean().toFloatArray(), "running mean of bn" + l);
            }
            assertFalse(Files.exists(dir.resolve("b").resolve(CheckpointedTraining.PARTIAL)));
        }
    }

    private static HebbianNetworkTraining training(NDManager m, HebbianNetwork net, ImageSet train, ImageSet validation,
            ChannelNormalization norm) {
        return new HebbianNetworkTraining(m, net, train, validation, norm, 4, 3e-3f, 11, 1, "test");
    }

    private static ImageSet images(String name, int n, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[n * 3072];
        random.nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
        }
        return new ImageSet(name, 3, 32, 32, pixels, labels, 4);
    }
}
