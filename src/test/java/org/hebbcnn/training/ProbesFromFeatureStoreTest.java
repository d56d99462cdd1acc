package org.hebbcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.features.FeatureStore;
import org.hebbcnn.network.BackpropNetwork;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes trained from a feature store equal probes trained on the live network, bit for bit: the
 * same scores every epoch (hence the same selected epochs and accuracies) and the same saved
 * weights and optimiser state, with the store in memory and in files, on a stand-in network and on
 * real frozen Hebbian and backprop networks.
 */
class ProbesFromFeatureStoreTest {
    @TempDir
    Path tmp;

    private record Run(List<ProbeTraining.EpochScores> history, Map<String, byte[]> files) {}

    private Run train(NDManager m, Function<NDArray, NDList> net, ImageSet train, ImageSet validation, ImageSet test,
            ChannelNormalization norm, Path dir, Long storeMemoryBytes) throws Exception {
        int epochs = 2;
        ProbeTraining probes = new ProbeTraining(m, net::apply, ProbeTrainingTest.FEATURES, 4, train, validation, test, norm, 8,
                LearningRateSchedule.baseline(), 1e-3f, 7, epochs, "probes");
        FeatureStore store = null;
        if (storeMemoryBytes != null) {
            Map<String, ImageSet> sets = new LinkedHashMap<>();
            sets.put("train", train);
            sets.put("validation", validation);
            sets.put("test", test);
            store = new FeatureStore(dir.resolve("features"), storeMemoryBytes, sets, norm, net, Evaluation.BATCH, "k", m,
                    s -> {});
            probes.readFeaturesFrom(store);
        }
        CheckpointedTraining.Outcome o = CheckpointedTraining.run(dir.resolve("probes"), epochs, probes, s -> {});
        if (store != null) {
            assertEquals(storeMemoryBytes == 0, Files.isDirectory(dir.resolve("features")));
            assertEquals(train.size() + validation.size() + test.size(), store.computedImages());
            store.close();
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        Path model = o.bestCheckpoint().getParent().resolve("ckpt-" + epochs).resolve("model");
        try (Stream<Path> s = Files.list(model)) {
            for (Path p : s.sorted().toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return new Run(probes.history(), files);
    }

    private void assertSameRuns(Run expected, Run actual) {
        assertEquals(expected.history().size(), actual.history().size());
        for (int e = 0; e < expected.history().size(); e++) {
            ProbeTraining.EpochScores a = expected.history().get(e);
            ProbeTraining.EpochScores b = actual.history().get(e);
            assertArrayEquals(a.validationTop1(), b.validationTop1(), "epoch " + (e + 1));
            assertArrayEquals(a.testTop1(), b.testTop1(), "epoch " + (e + 1));
        }
        assertEquals(expected.files().keySet(), actual.files().keySet());
        for (String f : expected.files().keySet()) {
            assertArrayEquals(expected.files().get(f), actual.files().get(f), f + " differs");
        }
    }

    private void compare(NDManager m, Function<NDArray, NDList> net, String name, boolean inMemoryToo) throws Exception {
        ImageSet train = ProbeTrainingTest.imageSet("train", 36, 4, 1); // batches of 8: the last one holds 4
        ImageSet validation = ProbeTrainingTest.imageSet("validation", 16, 4, 2);
        ImageSet test = ProbeTrainingTest.imageSet("test", 16, 4, 3);
        try (ChannelNormalization norm = ChannelNormalization.fit(train)) {
            Run live = train(m, net, train, validation, test, norm, tmp.resolve(name + "-live"), null);
            Run files = train(m, net, train, validation, test, norm, tmp.resolve(name + "-files"), 0L);
            assertSameRuns(live, files);
            if (inMemoryToo) {
                assertSameRuns(live, train(m, net, train, validation, test, norm, tmp.resolve(name + "-memory"), 1L << 30));
            }
        }
    }

    @Test
    void probesFromTheStoreEqualProbesOnTheLiveFeatures() throws Exception {
        try (NDManager m = Djl.newManager()) {
            compare(m, ProbeTrainingTest::fakeFeatures, "fake", true);
        }
    }

    @Test
    @Tag("slow")
    void probesOnRealFrozenNetworksAreBitIdenticalFromTheStore() throws Exception {
        try (NDManager m = Djl.newManager(); HebbianNetwork hebb = new HebbianNetwork(m, 4, Rules.byName("hpca"), 0);
                BackpropNetwork bp = new BackpropNetwork(m, org.hebbcnn.architecture.NetworkSpec.tryout().plan(new long[] {3, 32, 32}, 4), 0)) {
            compare(m, x -> hebb.forward(x, 1, 5), "hpca", false);
            compare(m, x -> bp.forward(x, 1, 5, false), "bp", false);
        }
    }

    /**
     * What makes the above hold at full scale: a frozen network's output for an image does not depend
     * on the batch it is computed in (eval mode: batch-norm uses its running statistics, and the
     * engine's kernels compute each image alone). Here, as the store computes it (in order, batches
     * of 256, the last one smaller) against shuffled training batches of 64, for both networks.
     */
    @Test
    @Tag("slow")
    void anImagesFeaturesDoNotDependOnItsBatch() {
        ImageSet set = ProbeTrainingTest.imageSet("set", 300, 10, 4);
        try (NDManager m = Djl.newManager(); ChannelNormalization norm = ChannelNormalization.fit(set);
                HebbianNetwork hebb = new HebbianNetwork(m, 10, Rules.byName("hpca"), 0);
                BackpropNetwork bp = new BackpropNetwork(m, org.hebbcnn.architecture.NetworkSpec.tryout().plan(new long[] {3, 32, 32}, 10), 0)) {
            List<Function<NDArray, NDList>> nets = List.of(x -> hebb.forward(x, 1, 5), x -> bp.forward(x, 1, 5, false));
            for (Function<NDArray, NDList> net : nets) {
                float[][][] inOrder = perImage(m, set, norm, net, BatchOptions.evaluation(Evaluation.BATCH));
                float[][][] shuffled = perImage(m, set, norm, net, BatchOptions.training(64, 3));
                for (int l = 0; l < 5; l++) {
                    for (int i = 0; i < set.size(); i++) {
                        assertArrayEquals(inOrder[l][i], shuffled[l][i], "layer " + (l + 1) + ", image " + i);
                    }
                }
            }
        }
    }

    private static float[][][] perImage(NDManager m, ImageSet set, ChannelNormalization norm, Function<NDArray, NDList> net,
            BatchOptions options) {
        float[][][] out = new float[5][set.size()][];
        List<Integer> seen = new ArrayList<>();
        for (Batch b : BatchIterator.of(set, norm, options, 0, m)) {
            try (b) {
                NDList f = net.apply(b.images());
                for (int l = 0; l < 5; l++) {
                    float[] all = f.get(l).toFloatArray();
                    int per = all.length / b.size();
                    for (int i = 0; i < b.size(); i++) {
                        out[l][b.indices()[i]] = java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
                    }
                }
                for (int i : b.indices()) {
                    seen.add(i);
                }
            }
        }
        assertTrue(seen.size() == set.size(), "every image once");
        return out;
    }
}
