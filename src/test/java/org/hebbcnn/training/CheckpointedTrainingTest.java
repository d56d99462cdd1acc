package org.hebbcnn.training;

import org.hebbcnn.nn.NpzFile;

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
import org.hebbcnn.util.InputError;
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
            // and as the real models keep their weights: a .npz (here 1000 float64 of the epoch count)
            double[] weights = new double[1000];
            java.util.Arrays.fill(weights, epochsInModel);
            NpzFile.write(dir.resolve("weights.npz"), java.util.Map.of("w", org.hebbcnn.util.NpyArray.of(weights, new long[] {1000})));
        }

        @Override
        public void load(Path dir) {
            try {
                epochsInModel = Integer.parseInt(Files.readString(dir.resolve("epochs.txt")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            double w = NpzFile.read(dir.resolve("weights.npz")).get("w").toDoubleArray()[999];
            if (w != epochsInModel) {
                throw new IllegalStateException("weights of epoch " + w + " in a checkpoint of epoch " + epochsInModel);
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

    /** Epochs 1-3 with the best at 2: ckpt-2 (best) and ckpt-3 (newest) stay. */
    private void threeEpochsBestSecond() {
        CheckpointedTraining.run(tmp, 3, new Scripted(new double[] {0.5, 0.8, 0.7, 0.9, 0.6}, -1), s -> {});
        assertTrue(Files.isDirectory(tmp.resolve("ckpt-2")) && Files.isDirectory(tmp.resolve("ckpt-3")));
    }

    @Test
    void aTruncatedNpzInTheNewestCheckpointIsOneLineNamingTheFileAndThePreviousEpoch() throws Exception {
        threeEpochsBestSecond();
        Path npz = tmp.resolve("ckpt-3/model/weights.npz");
        byte[] bytes = Files.readAllBytes(npz);
        Files.write(npz, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // a full disk cut it in half
        InputError e = assertThrows(InputError.class,
                () -> CheckpointedTraining.run(tmp, 5, new Scripted(new double[] {0.5, 0.8, 0.7, 0.9, 0.6}, -1), s -> {}));
        assertTrue(e.getMessage().contains(npz.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--from-epoch 2"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(Files.isDirectory(tmp.resolve("ckpt-3")), "nothing is deleted without --from-epoch");
    }

    @Test
    void aGarbledStateJsonIsOneLineNamingTheFile() throws Exception {
        threeEpochsBestSecond();
        Path state = tmp.resolve("ckpt-3/state.json");
        Files.writeString(state, Files.readString(state).replace("\"epochsDone\"", "\"epochsDone\" x"));
        InputError e = assertThrows(InputError.class,
                () -> CheckpointedTraining.run(tmp, 5, new Scripted(new double[] {0.5, 0.8, 0.7, 0.9, 0.6}, -1), s -> {}));
        assertTrue(e.getMessage().startsWith(state + ": damaged checkpoint"), e.getMessage());
        assertTrue(e.getMessage().contains("--from-epoch 2"), e.getMessage());

        // edited by hand into valid JSON that does not describe epoch 3
        Files.writeString(state, "{\"epochsDone\": 7, \"bestEpoch\": 2, \"bestValidation\": 0.8, \"history\": []}");
        e = assertThrows(InputError.class,
                () -> CheckpointedTraining.run(tmp, 5, new Scripted(new double[] {0.5, 0.8, 0.7, 0.9, 0.6}, -1), s -> {}));
        assertTrue(e.getMessage().startsWith(state + ": damaged checkpoint"), e.getMessage());
    }

    @Test
    void fromEpochResumesADamagedTrainingFromThatCheckpointAndOnlyThenDropsTheLaterOnes() throws Exception {
        threeEpochsBestSecond();
        Files.writeString(tmp.resolve("ckpt-3/state.json"), "{\"epochsDone\": 3, \"bestEp");
        try {
            CheckpointedTraining.setResumeFrom(1); // no ckpt-1 kept: refused, nothing deleted
            InputError e = assertThrows(InputError.class, () -> CheckpointedTraining.run(tmp, 5,
                    new Scripted(new double[] {0.5, 0.8, 0.7, 0.9, 0.6}, -1), s -> {}));
            assertTrue(e.getMessage().contains("no complete checkpoint of epoch 1"), e.getMessage());
            assertTrue(Files.isDirectory(tmp.resolve("ckpt-3")));

            CheckpointedTraining.setResumeFrom(2);
            Scripted model = new Scripted(new double[] {0.5, 0.8, 0.7, 0.9, 0.6}, -1);
            List<String> log = new ArrayList<>();
            CheckpointedTraining.Outcome o = CheckpointedTraining.run(tmp, 5, model, log::add);
            assertEquals(List.of(2, 3, 4), model.trained, "epochs 3-5 trained again from epoch 2's weights");
            assertTrue(log.get(0).contains("back to epoch 2"), log.toString());
            assertEquals(4, o.state().bestEpoch());
            assertEquals(5, o.state().history().size());
            assertEquals(5, CheckpointedTraining.readState(tmp).epochsDone());
        } finally {
            CheckpointedTraining.setResumeFrom(0);
        }
    }

    @Test
    void fromEpochLeavesAReadableTrainingAlone() {
        threeEpochsBestSecond();
        try {
            CheckpointedTraining.setResumeFrom(2);
            Scripted model = new Scripted(new double[] {0.5, 0.8, 0.7, 0.9, 0.6}, -1);
            CheckpointedTraining.run(tmp, 5, model, s -> {});
            assertEquals(List.of(3, 4), model.trained);
        } finally {
            CheckpointedTraining.setResumeFrom(0);
        }
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
