package org.hebbcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The epoch loop's bookkeeping: selection, resume, pruning, and divergence messages. */
class CheckpointedTrainingTest {
    @TempDir
    Path tmp;

    /** A model whose validation accuracies are scripted; its "weights" are the epochs trained. */
    static final class Scripted implements CheckpointedTraining.Model {
        final double[] accuracies;
        final int divergeAt;
        final List<Integer> trained = new ArrayList<>();
        int epochsInModel;

        Scripted(double[] accuracies, int divergeAt) {
            this.accuracies = accuracies;
            this.divergeAt = divergeAt;
        }

        @Override
        public void trainEpoch(int epoch) {
            trained.add(epoch);
            epochsInModel = epoch + 1;
        }

        @Override
        public double validate() {
            return accuracies[epochsInModel - 1];
        }

        @Override
        public void save(Path dir) {
            try {
                Files.writeString(dir.resolve("epochs.txt"), Integer.toString(epochsInModel));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void load(Path dir) {
            try {
                epochsInModel = Integer.parseInt(Files.readString(dir.resolve("epochs.txt")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public Optional<String> nonFinite() {
            return epochsInModel == divergeAt ? Optional.of("layer 4 (hpca) is no longer finite (NaN or infinity)")
                    : Optional.empty();
        }
    }

    @Test
    void theBestValidationEpochIsSelectedAndKeptAndAResumeTrainsOnlyWhatIsLeft() throws Exception {
        double[] acc = {0.5, 0.8, 0.7, 0.8, 0.6};
        Scripted first = new Scripted(acc, -1);
        CheckpointedTraining.run(tmp, 3, first, s -> {});
        assertEquals(List.of(0, 1, 2), first.trained);

        Scripted second = new Scripted(acc, -1);
        List<String> log = new ArrayList<>();
        CheckpointedTraining.Outcome o = CheckpointedTraining.run(tmp, 5, second, log::add);
        assertEquals(List.of(3, 4), second.trained, "a resumed run trains only the epochs left");
        assertTrue(log.get(0).contains("resuming"), log.toString());
        assertEquals(2, o.state().bestEpoch(), "the earliest of equal best validation scores");
        assertEquals(0.8, o.state().bestValidation());
        assertEquals(5, o.state().history().size());
        assertEquals("2", Files.readString(o.bestCheckpoint().resolve("model/epochs.txt")));
        // only the newest and the best checkpoints stay on disk
        assertTrue(Files.isDirectory(tmp.resolve("ckpt-5")));
        assertTrue(Files.isDirectory(tmp.resolve("ckpt-2")));
        assertFalse(Files.exists(tmp.resolve("ckpt-3")));
        assertEquals(5, CheckpointedTraining.readState(tmp).epochsDone());
    }

    @Test
    void aDivergingRunStopsNamingTheLayerAndTheEpoch() {
        Scripted model = new Scripted(new double[] {0.5, 0.6, 0.7}, 2);
        CheckpointedTraining.DivergedException e = assertThrows(CheckpointedTraining.DivergedException.class,
                () -> CheckpointedTraining.run(tmp, 3, model, s -> {}));
        assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
        assertTrue(e.getMessage().contains("layer 4"), e.getMessage());
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("ckpt-2")), "a diverged epoch is never checkpointed");
    }

    @Test
    void hebbianWeightsThatExplodeWhileStayingFiniteCountAsDiverged() {
        Djl.init();
        try (NDManager m = Djl.newManager();
                HebbianNetwork net = new HebbianNetwork(m, 4, Rules.byName("hpca"), 0)) {
            ImageSet none = new ImageSet("empty", 3, 32, 32, new byte[3 * 32 * 32], new int[] {0}, 4);
            HebbianNetworkTraining t = new HebbianNetworkTraining(m, net, none, none, Normalization.none(), 1, 1e-3f, 0,
                    1, "test");
            assertEquals(Optional.empty(), t.nonFinite());
            net.layer(3).setWeights(net.layer(3).weights().mul(1e7f));
            String why = t.nonFinite().orElseThrow();
            assertTrue(why.startsWith("layer 3 (hpca)"), why);
            assertTrue(why.contains("magnitude"), why);
            net.layer(3).setWeights(net.layer(3).weights().mul(Float.NaN));
            assertTrue(t.nonFinite().orElseThrow().contains("no longer finite"));
        }
    }
}
