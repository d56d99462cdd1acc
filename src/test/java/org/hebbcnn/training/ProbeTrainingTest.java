package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.nn.NpzFile;
import org.hebbcnn.training.ProbeTraining.EpochScores;
import org.hebbcnn.training.ProbeTraining.Result;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.NpyArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

// Slow: trains probes on a network's features, several epochs. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class ProbeTrainingTest {
    /** The try-out network's probed layers and their feature sizes. */
    static final long[] FEATURES = java.util.stream.IntStream.rangeClosed(1, 5)
            .mapToLong(NetworkSpec.tryout().plan(new long[] {3, 32, 32}, 10)::features).toArray();
    static final int LAYERS = FEATURES.length;
    static final int PROBES = ProbeTraining.KINDS.size() * LAYERS;
    static final double AMPLITUDE = 15;
    static final double NOISE = 60;

    @TempDir
    Path dir;

    /**
     * 3x32x32 byte images: grey 128 plus a class pattern of +-AMPLITUDE per pixel (fixed random
     * signs per class, shared by all splits) plus Gaussian noise of NOISE: weak per pixel, so the
     * probes need a few epochs and their scores move from epoch to epoch.
     */
    static ImageSet imageSet(String name, int n, int classes, long seed) {
        Random patterns = new Random(42);
        int[][] sign = new int[classes][3072];
        for (int[] p : sign) {
            for (int j = 0; j < p.length; j++) {
                p[j] = patterns.nextBoolean() ? 1 : -1;
            }
        }
        Random random = new Random(seed);
        byte[] pixels = new byte[n * 3072];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < 3072; j++) {
                double v = 128 + AMPLITUDE * sign[labels[i]][j] + NOISE * random.nextGaussian();
                pixels[i * 3072 + j] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return new ImageSet(name, 3, 32, 32, pixels, labels, classes);
    }

    /**
     * A stand-in for the frozen network: the flattened image tiled to each layer's size and shaped
     * like that layer's batch-norm output ([B,96,14,14], ..., [B,4096]), so every layer carries
     * the class information and the probes see the real input sizes.
     */
    static NDList fakeFeatures(NDArray images) {
        long b = images.getShape().get(0);
        NDArray flat = images.reshape(b, 3072);
        NDList copies = new NDList();
        for (int i = 0; i < 7; i++) { // 7 x 3072 = 21504 values, more than layer 1's 18816
            copies.add(flat);
        }
        NDArray tiled = NDArrays.concat(copies, 1); // (DJL's PyTorch engine has no tile())
        long[][] shapes = {{b, 96, 14, 14}, {b, 128, 12, 12}, {b, 192, 5, 5}, {b, 256, 3, 3}, {b, 4096}};
        NDList out = new NDList();
        for (int l = 1; l <= 5; l++) {
            long f = FEATURES[l - 1];
            out.add(tiled.get(":, 0:" + f).reshape(shapes[l - 1]));
        }
        return out;
    }

    private record Data(ImageSet train, ImageSet validation, ImageSet test, ChannelNormalization norm) {}

    private static Data data(int classes) {
        ImageSet train = imageSet("train", 8 * classes, classes, 1);
        return new Data(train, imageSet("validation", 4 * classes, classes, 2), imageSet("test", 4 * classes, classes, 3),
                ChannelNormalization.fit(train));
    }

    private static ProbeTraining probes(NDManager m, Data d, int classes, int epochs) {
        return new ProbeTraining(m, ProbeTrainingTest::fakeFeatures, FEATURES, classes, d.train(), d.validation(), d.test(),
                d.norm(), 8, LearningRateSchedule.baseline(), 1e-3f, 7, epochs, "probe test");
    }

    /** Both probe kinds on every layer learn a separable 4-class task (chance 0.25). */
    @Test
    void sgdAndShcProbesOnEveryLayerBeatChance() {
        Data d = data(4);
        try (NDManager m = Djl.newManager()) {
            ProbeTraining probes = probes(m, d, 4, 3);
            CheckpointedTraining.Outcome outcome = CheckpointedTraining.run(dir, 3, probes, s -> {});
            assertEquals(3, probes.history().size());
            assertTrue(outcome.state().bestValidation() > 0.6, "mean SGD validation " + outcome.state().bestValidation());
            for (String kind : ProbeTraining.KINDS) {
                for (int l = 1; l <= LAYERS; l++) {
                    Result r = probes.result(kind, l, 1);
                    System.out.printf("%s probe on layer %d: best epoch %d, validation %.2f, test %.2f%n", kind, l,
                            r.bestEpoch(), r.validation(), r.testTop1());
                    assertEquals(kind, r.kind());
                    assertEquals(l, r.layer());
                    assertTrue(r.testTop1() > 0.6, kind + " probe on layer " + l + ": test top-1 " + r.testTop1());
                }
            }
            assertEquals(Optional.empty(), probes.nonFinite());
        }
    }

    private static double[] filled(double value) {
        double[] a = new double[PROBES];
        Arrays.fill(a, value);
        return a;
    }

    private static EpochScores epoch(int e, int probe, double validation, double test, double validation5,
            double test5) {
        double[] v1 = filled(0.3);
        double[] v5 = filled(0.5);
        double[] t1 = filled(0.2);
        double[] t5 = filled(0.4);
        v1[probe] = validation;
        t1[probe] = test;
        v5[probe] = validation5;
        t5[probe] = test5;
        return new EpochScores(e, v1, v5, t1, t5);
    }

    /**
     * Each probe is judged at its own best validation epoch (the earliest of equals), and reports
     * that epoch's test score, never the best test score.
     */
    @Test
    void selectionIsPerProbeByValidationEarliestOnTies() {
        int shc3 = ProbeTraining.index("shc", 3, LAYERS);
        int sgd5 = ProbeTraining.index("sgd", 5, LAYERS);
        assertEquals(7, shc3);
        assertEquals(4, sgd5);
        List<EpochScores> history = new ArrayList<>();
        // shc-3: validation 0.5, 0.8, 0.8, 0.7; best test comes later (0.95 in epoch 4)
        double[][] shc = {{0.5, 0.40}, {0.8, 0.75}, {0.8, 0.90}, {0.7, 0.95}};
        double[] shcTop5 = {0.9, 0.85, 0.95, 0.95};
        double[] shcTestTop5 = {0.60, 0.61, 0.62, 0.63};
        for (int e = 0; e < 4; e++) {
            history.add(epoch(e + 1, shc3, shc[e][0], shc[e][1], shcTop5[e], shcTestTop5[e]));
        }
        // sgd-5: its own best epoch is the last one
        for (int e = 0; e < 4; e++) {
            history.get(e).validationTop1()[sgd5] = 0.1 * (e + 1);
            history.get(e).testTop1()[sgd5] = 0.11 * (e + 1);
        }
        Result r = ProbeTraining.select(history, "shc", 3, 1);
        assertEquals(new Result("shc", 3, 2, 0.8, 0.75, 0.61), r);
        Result sgd = ProbeTraining.select(history, "sgd", 5, 1);
        assertEquals(4, sgd.bestEpoch());
        assertEquals(0.44, sgd.testTop1(), 1e-12);
        // an untouched probe (equal scores every epoch) keeps epoch 1
        assertEquals(1, ProbeTraining.select(history, "sgd", 1, 1).bestEpoch());
        // selection by top-5 validation: epoch 3 (0.95, earlier than epoch 4's equal score)
        Result top5 = ProbeTraining.select(history, "shc", 3, 5);
        assertEquals(3, top5.bestEpoch());
        assertEquals(0.95, top5.validation());
        assertEquals(0.90, top5.testTop1());
        assertEquals(0.62, top5.testTop5());
        // NaN validation (top-5 with fewer than 5 classes) never wins; an all-NaN history falls back to epoch 1
        for (EpochScores e : history) {
            e.validationTop5()[shc3] = Double.NaN;
        }
        assertEquals(1, ProbeTraining.select(history, "shc", 3, 5).bestEpoch());
        assertThrows(IllegalStateException.class, () -> ProbeTraining.select(List.of(), "shc", 3, 1));
        assertThrows(IllegalArgumentException.class, () -> ProbeTraining.select(history, "svm", 3, 1));
        assertThrows(IllegalArgumentException.class, () -> ProbeTraining.select(history, "sgd", 6, 1));
    }

    /** A model wrapper that records which epochs it trains. */
    private static final class Counting implements CheckpointedTraining.Model {
        final ProbeTraining inner;
        final List<Integer> trained = new ArrayList<>();

        Counting(ProbeTraining inner) {
            this.inner = inner;
        }

        @Override
        public void trainEpoch(int epoch) {
            trained.add(epoch);
            inner.trainEpoch(epoch);
        }

        @Override
        public double validate() {
            return inner.validate();
        }

        @Override
        public void save(Path d) {
            inner.save(d);
        }

        @Override
        public void load(Path d) {
            inner.load(d);
        }

        @Override
        public Optional<String> nonFinite() {
            return inner.nonFinite();
        }
    }

    private static void assertSameHistory(List<EpochScores> expected, List<EpochScores> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            EpochScores a = expected.get(i);
            EpochScores b = actual.get(i);
            assertEquals(a.epoch(), b.epoch());
            assertArrayEquals(a.validationTop1(), b.validationTop1(), "validation top-1, epoch " + a.epoch());
            assertArrayEquals(a.validationTop5(), b.validationTop5(), "validation top-5, epoch " + a.epoch());
            assertArrayEquals(a.testTop1(), b.testTop1(), "test top-1, epoch " + a.epoch());
            assertArrayEquals(a.testTop5(), b.testTop5(), "test top-5, epoch " + a.epoch());
        }
    }

    /** 2 epochs straight == 1 epoch, then a fresh ProbeTraining resuming to 2: same history and same probes. */
    @Test
    void resumedProbeTrainingRepeatsTheUninterruptedRun() throws IOException {
        Data d = data(4);
        try (NDManager m = Djl.newManager()) {
            ProbeTraining straight = probes(m, d, 4, 2);
            CheckpointedTraining.run(dir.resolve("a"), 2, straight, s -> {});
            CheckpointedTraining.run(dir.resolve("b"), 1, probes(m, d, 4, 2), s -> {});
            ProbeTraining fresh = probes(m, d, 4, 2);
            Counting resumed = new Counting(fresh);
            CheckpointedTraining.Outcome outcome = CheckpointedTraining.run(dir.resolve("b"), 2, resumed, s -> {});
            assertEquals(List.of(1), resumed.trained, "only the second epoch is trained again");
            assertEquals(2, outcome.state().epochsDone());
            assertSameHistory(straight.history(), fresh.history());
            assertFalse(Arrays.equals(fresh.history().get(0).validationTop1(), fresh.history().get(1).validationTop1())
                    && Arrays.equals(fresh.history().get(0).testTop1(), fresh.history().get(1).testTop1()),
                    "the second epoch changed some score (the probes kept learning)");
            // the probes themselves: the last checkpoints hold identical parameters
            Path a = dir.resolve("a").resolve("ckpt-2").resolve("model");
            Path b = dir.resolve("b").resolve("ckpt-2").resolve("model");
            for (int l = 1; l <= LAYERS; l++) {
                Map<String, NpyArray> sgdA = NpzFile.read(a.resolve("sgd-layer" + l + ".npz"));
                Map<String, NpyArray> sgdB = NpzFile.read(b.resolve("sgd-layer" + l + ".npz"));
                assertEquals(sgdA.keySet(), sgdB.keySet());
                assertEquals(8, NpzFile.longScalar(b.resolve("sgd-layer" + l + ".npz"), sgdB, "meta.steps", "probe"), "2 epochs of 4 batches");
                for (String key : sgdA.keySet()) {
                    assertEquals(sgdA.get(key), sgdB.get(key), "SGD probe on layer " + l + ": " + key);
                }
                assertArrayEquals(Files.readAllBytes(a.resolve("shc-layer" + l + ".npy")),
                        Files.readAllBytes(b.resolve("shc-layer" + l + ".npy")), "SHC probe on layer " + l);
            }
        }
    }

    /** With 4 classes top-5 is meaningless: NaN in every score array, and NaN survives the JSON round trip. */
    @Test
    void withFewerThanFiveClassesTopFiveIsNaNAndTheHistorySurvivesSaveAndLoad() {
        Data d = data(4);
        try (NDManager m = Djl.newManager()) {
            ProbeTraining probes = probes(m, d, 4, 1);
            probes.trainEpoch(0);
            probes.validate();
            EpochScores e = probes.history().get(0);
            for (int i = 0; i < PROBES; i++) {
                assertTrue(Double.isNaN(e.validationTop5()[i]), "validation top-5 of probe " + i);
                assertTrue(Double.isNaN(e.testTop5()[i]), "test top-5 of probe " + i);
                assertTrue(e.validationTop1()[i] >= 0 && e.validationTop1()[i] <= 1);
                assertTrue(e.testTop1()[i] >= 0 && e.testTop1()[i] <= 1);
            }
            assertTrue(Double.isNaN(probes.result("shc", 2, 1).testTop5()));
            probes.save(dir);
            ProbeTraining loaded = new ProbeTraining(m, ProbeTrainingTest::fakeFeatures, FEATURES, 4, d.train(), d.validation(),
                    d.test(), d.norm(), 8, LearningRateSchedule.baseline(), 1e-3f, 99, 1, "loaded");
            loaded.load(dir);
            assertSameHistory(probes.history(), loaded.history());
            for (String kind : ProbeTraining.KINDS) {
                for (int l = 1; l <= LAYERS; l++) {
                    assertEquals(probes.result(kind, l, 1), loaded.result(kind, l, 1), kind + " probe on layer " + l);
                }
            }
        }
    }

    /** With 5 or more classes top-5 is scored: finite, at least top-1, and 1 when there are exactly 5 classes. */
    @Test
    void withFiveClassesTopFiveIsScored() {
        Data d = data(5);
        try (NDManager m = Djl.newManager()) {
            ProbeTraining probes = probes(m, d, 5, 1);
            probes.trainEpoch(0);
            probes.validate();
            EpochScores e = probes.history().get(0);
            for (int i = 0; i < PROBES; i++) {
                assertEquals(1.0, e.validationTop5()[i], "every label is among the top 5 of 5 classes, probe " + i);
                assertEquals(1.0, e.testTop5()[i]);
                assertTrue(e.testTop1()[i] <= e.testTop5()[i]);
            }
        }
    }
}
