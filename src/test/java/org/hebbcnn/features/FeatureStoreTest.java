package org.hebbcnn.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature store serves exactly the live network's batches (same images, same order, same
 * floats), from memory or from mapped files split into several chunks, and a store killed half-way
 * resumes from its last flushed chunk with the same features.
 */
class FeatureStoreTest {
    @TempDir
    Path tmp;

    static ImageSet images(String name, int n, long seed) {
        Random r = new Random(seed);
        byte[] pixels = new byte[n * 3 * 8 * 8];
        r.nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
        }
        return new ImageSet(name, 3, 8, 8, pixels, labels, 3);
    }

    /** A small deterministic "network" with three layers of different shapes. */
    static NDList network(NDArray x) {
        long b = x.getShape().get(0);
        return new NDList(x.mul(2f), x.reshape(b, 192).get(":, 0:50").exp(), x.sum(new int[] {2, 3}));
    }

    private static Map<String, ImageSet> sets() {
        Map<String, ImageSet> sets = new LinkedHashMap<>();
        sets.put("train", images("train", 70, 1));
        sets.put("validation", images("validation", 23, 2));
        return sets;
    }

    /** Every batch of every epoch and option: features, labels and indices as a list of float arrays. */
    private static List<float[]> read(FeatureSource source, ImageSet set, NDManager m) {
        List<float[]> out = new ArrayList<>();
        for (BatchOptions o : List.of(BatchOptions.training(16, 5), BatchOptions.evaluation(32))) {
            for (int epoch = 0; epoch < 2; epoch++) {
                for (FeatureBatch b : source.batches(set, o, epoch, m)) {
                    try (b) {
                        for (NDArray f : b.features()) {
                            out.add(f.toFloatArray());
                            out.add(new float[] {f.getShape().dimension()});
                        }
                        out.add(b.labels().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
                        float[] idx = new float[b.size()];
                        for (int i = 0; i < idx.length; i++) {
                            idx[i] = b.indices()[i];
                        }
                        out.add(idx);
                    }
                }
            }
        }
        return out;
    }

    private static void assertSame(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "array " + i);
        }
    }

    @Test
    void theStoreServesTheLiveBatchesBitForBitFromMemoryAndFromChunkedFiles() throws Exception {
        Map<String, ImageSet> sets = sets();
        try (NDManager m = Djl.newManager(); Normalization norm = ChannelNormalization.fit(sets.get("train"))) {
            FeatureSource live = FeatureSource.live(norm, FeatureStoreTest::network);
            try (FeatureStore memory = new FeatureStore(tmp.resolve("mem"), 1L << 30, sets, norm, FeatureStoreTest::network,
                    32, "k", m, s -> {});
                    FeatureStore files = new FeatureStore(tmp.resolve("files"), 0, sets, norm, FeatureStoreTest::network, 32,
                            "k", m, s -> {}).chunkSizes(1000, 10 * 192 * 4)) { // layer 1: 10 rows per mapped chunk
                for (ImageSet set : sets.values()) {
                    List<float[]> expected = read(live, set, m);
                    assertSame(expected, read(memory, set, m));
                    assertSame(expected, read(files, set, m));
                }
                assertTrue(memory.inMemory());
                assertFalse(Files.exists(tmp.resolve("mem")), "an in-memory store writes nothing");
                assertFalse(files.inMemory());
                assertEquals(93, files.computedImages(), "the network ran once per image");
                assertEquals(3, files.layers());
                assertEquals(192, files.features(0));
                assertEquals(93L * (192 + 50 + 3) * 4, files.bytes());
                assertEquals(70L * 192 * 4, Files.size(tmp.resolve("files/train-layer1.f32")));
                assertThrows(IllegalArgumentException.class,
                        () -> files.batches(images("other", 4, 9), BatchOptions.evaluation(4), 0, m));
            }
            // a second store on the same folder finds it complete and computes nothing
            try (FeatureStore again = new FeatureStore(tmp.resolve("files"), 0, sets, norm, FeatureStoreTest::network, 32,
                    "k", m, s -> {})) {
                assertSame(read(live, sets.get("train"), m), read(again, sets.get("train"), m));
                assertEquals(0, again.computedImages());
            }
            // ... unless it was made for another network
            try (FeatureStore other = new FeatureStore(tmp.resolve("files"), 0, sets, norm, FeatureStoreTest::network, 32,
                    "another network", m, s -> {})) {
                other.build();
                assertEquals(93, other.computedImages());
            }
        }
    }

    @Test
    void aStoreKilledHalfWayResumesFromItsLastChunkWithTheSameFeatures() throws Exception {
        Map<String, ImageSet> sets = sets();
        Path dir = tmp.resolve("store");
        try (NDManager m = Djl.newManager(); Normalization norm = ChannelNormalization.fit(sets.get("train"))) {
            // killed (here: an exception, leaving the files as a kill would) in the 2nd batch of "validation",
            // after "train" (3 batches of 32) was complete and with one chunk of "validation" flushed
            AtomicInteger calls = new AtomicInteger();
            Function<NDArray, NDList> dying = x -> {
                if (calls.incrementAndGet() == 7) {
                    throw new IllegalStateException("killed");
                }
                return network(x);
            };
            try (FeatureStore store = new FeatureStore(dir, 0, sets, norm, dying, 16, "k", m, s -> {}).chunkSizes(1, 1 << 20)) {
                assertThrows(IllegalStateException.class, store::build);
            }
            ObjectMapper json = new ObjectMapper();
            FeatureStore.Header train = json.readValue(dir.resolve("train.json").toFile(), FeatureStore.Header.class);
            FeatureStore.Header validation = json.readValue(dir.resolve("validation.json").toFile(), FeatureStore.Header.class);
            assertTrue(train.complete());
            assertFalse(validation.complete());
            assertEquals(16, validation.imagesDone());

            List<String> log = new ArrayList<>();
            try (FeatureStore resumed = new FeatureStore(dir, 0, sets, norm, FeatureStoreTest::network, 16, "k", m, log::add)) {
                resumed.build();
                assertEquals(23 - 16, resumed.computedImages(), "only the unflushed images are computed again");
                assertTrue(log.stream().anyMatch(l -> l.contains("resuming validation after 16 of 23 images")), log.toString());
                FeatureSource live = FeatureSource.live(norm, FeatureStoreTest::network);
                for (ImageSet set : sets.values()) {
                    assertSame(read(live, set, m), read(resumed, set, m));
                }
            }
            FeatureStore.deleteFolder(dir);
            assertFalse(Files.exists(dir));
        }
    }
}
