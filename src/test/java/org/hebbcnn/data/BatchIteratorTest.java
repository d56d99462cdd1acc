package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Epochs of batches: order, shapes, labels, the last batch, and native memory freed with the batch. */
class BatchIteratorTest {
    static NDManager manager;
    static final ImageSet SET = TestFiles.indexedSet("b", 203, 3, 32, 10, 4);

    @BeforeAll
    static void setUp() {
        manager = Djl.newManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** The image indices of an epoch, batch by batch. */
    static List<int[]> epoch(ImageSet set, BatchOptions options, int epoch) {
        List<int[]> batches = new ArrayList<>();
        for (Batch batch : BatchIterator.of(set, null, options, epoch, manager)) {
            try (batch) {
                batches.add(batch.indices());
            }
        }
        return batches;
    }

    static int[] flat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void everyEpochVisitsEveryIndexOnce() {
        for (int e = 0; e < 4; e++) {
            int[] visited = flat(epoch(SET, BatchOptions.training(64, 200), e));
            assertEquals(203, visited.length, "epoch " + e);
            assertArrayEquals(IntStream.range(0, 203).toArray(), Arrays.stream(visited).sorted().toArray(), "epoch " + e);
        }
        assertArrayEquals(IntStream.range(0, 203).toArray(), flat(epoch(SET, BatchOptions.evaluation(64), 0)),
                "evaluation goes in order");
    }

    /** A training resumed inside an epoch skips the batches it trained before and gets the rest, in order. */
    @Test
    void skippingBatchesServesTheEpochsRemainingBatches() {
        BatchOptions options = BatchOptions.training(64, 200);
        List<int[]> all = epoch(SET, options, 2);
        List<int[]> rest = new ArrayList<>();
        for (Batch b : BatchIterator.of(SET, null, options, 2, manager).skip(2)) {
            try (b) {
                rest.add(b.indices());
            }
        }
        assertEquals(all.size() - 2, rest.size());
        for (int i = 0; i < rest.size(); i++) {
            assertArrayEquals(all.get(i + 2), rest.get(i));
        }
        assertFalse(BatchIterator.of(SET, null, options, 2, manager).skip(all.size()).hasNext());
    }

    @Test
    void sameSeedAndEpochGiveTheSameOrder() {
        assertArrayEquals(flat(epoch(SET, BatchOptions.training(64, 200), 3)), flat(epoch(SET, BatchOptions.training(64, 200), 3)));
        assertArrayEquals(BatchIterator.epochOrder(1000, 5, 2), BatchIterator.epochOrder(1000, 5, 2));
    }

    @Test
    void differentEpochsAndSeedsDiffer() {
        int[] e0 = flat(epoch(SET, BatchOptions.training(64, 200), 0));
        int[] e1 = flat(epoch(SET, BatchOptions.training(64, 200), 1));
        int[] otherSeed = flat(epoch(SET, BatchOptions.training(64, 201), 0));
        assertFalse(Arrays.equals(e0, e1));
        assertFalse(Arrays.equals(e0, otherSeed));
        assertFalse(Arrays.equals(IntStream.range(0, 203).toArray(), e0), "shuffled");
        // Neighbouring (seed, epoch) pairs are not shifted copies of each other.
        assertFalse(Arrays.equals(BatchIterator.epochOrder(100, 200, 1), BatchIterator.epochOrder(100, 201, 0)));
    }

    @Test
    void batchShapesAndLabels() {
        BatchIterator it = BatchIterator.of(SET, null, BatchOptions.training(64, 1), 0, manager);
        assertEquals(4, it.batchCount());
        int[] sizes = {64, 64, 64, 11};
        for (int b = 0; b < 4; b++) {
            try (Batch batch = it.next()) {
                assertEquals(sizes[b], batch.size());
                assertEquals(new Shape(sizes[b], 3, 32, 32), batch.images().getShape());
                assertEquals(DataType.FLOAT32, batch.images().getDataType());
                assertEquals(new Shape(sizes[b]), batch.labels().getShape());
                assertEquals(DataType.INT64, batch.labels().getDataType());
                long[] labels = batch.labels().toLongArray();
                int[] indices = batch.indices();
                float[] images = batch.images().toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    assertEquals(SET.label(indices[i]), labels[i], "label of batch item " + i);
                    // The first two bytes of each image spell its index.
                    int id = Math.round(images[i * 3072] * 255) << 8 | Math.round(images[i * 3072 + 1] * 255);
                    assertEquals(indices[i], id, "image of batch item " + i);
                    assertEquals(SET.pixel(indices[i], 2, 31, 31) / 255f, images[i * 3072 + 3071], 1e-7f);
                }
            }
        }
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void dropLastLeavesOutTheSmallLastBatch() {
        BatchOptions options = BatchOptions.training(64, 9).withDropLast(true);
        List<int[]> batches = epoch(SET, options, 2);
        assertEquals(3, batches.size());
        assertEquals(3, BatchIterator.of(SET, null, options, 2, manager).batchCount());
        for (int[] b : batches) {
            assertEquals(64, b.length);
        }
        int[] kept = flat(batches);
        assertEquals(192, Arrays.stream(kept).distinct().count());
        // The dropped images are the tail of the epoch's order, a different tail every epoch.
        assertArrayEquals(Arrays.copyOf(BatchIterator.epochOrder(203, 9, 2), 192), kept);
        assertFalse(Arrays.equals(flat(epoch(SET, options, 3)), kept));
    }

    @Test
    void dropLastWithAnExactMultipleDropsNothing() {
        ImageSet set = TestFiles.indexedSet("e", 128, 3, 32, 10, 5);
        assertEquals(128, flat(epoch(set, BatchOptions.training(64, 1).withDropLast(true), 0)).length);
        assertEquals(128, flat(epoch(set, BatchOptions.training(64, 1), 0)).length);
        assertEquals(0, flat(epoch(TestFiles.indexedSet("s", 5, 3, 32, 10, 5),
                BatchOptions.training(64, 1).withDropLast(true), 0)).length, "fewer images than a batch: no batch");
    }

    @Test
    void trainingLeavesOutALastBatchOfOneImageButEvaluationKeepsIt() {
        ImageSet set = TestFiles.indexedSet("one", 129, 3, 32, 10, 5);
        BatchIterator training = BatchIterator.of(set, null, BatchOptions.training(64, 1), 0, manager);
        assertEquals(2, training.batchCount());
        List<int[]> batches = epoch(set, BatchOptions.training(64, 1), 0);
        assertEquals(List.of(64, 64), batches.stream().map(b -> b.length).toList(),
                "batch-norm cannot train on one image");
        assertEquals(129, flat(epoch(set, BatchOptions.evaluation(64), 0)).length, "evaluation sees every image");
        assertEquals(List.of(64, 2), epoch(TestFiles.indexedSet("two", 66, 3, 32, 10, 5), BatchOptions.training(64, 1), 0)
                .stream().map(b -> b.length).toList(), "a last batch of two is kept");
    }

    @Test
    void batchArraysAreFreedWithTheBatch() {
        List<NDArray> arrays = new ArrayList<>();
        List<NDManager> managers = new ArrayList<>();
        try (NDManager parent = manager.newSubManager()) {
            for (Batch batch : BatchIterator.of(SET, null, BatchOptions.training(100, 1), 0, parent)) {
                NDArray derived = batch.images().mean(); // computed from the batch: dies with it
                try (batch) {
                    assertFalse(batch.images().isReleased());
                    assertSame(batch.manager(), batch.images().getManager());
                    assertSame(batch.manager(), derived.getManager());
                    arrays.add(batch.images());
                    arrays.add(batch.labels());
                    arrays.add(derived);
                    managers.add(batch.manager());
                }
                assertTrue(batch.images().isReleased(), "images freed on close");
                assertTrue(batch.labels().isReleased(), "labels freed on close");
                assertTrue(derived.isReleased(), "arrays computed from the batch are freed too");
                assertFalse(batch.manager().isOpen());
            }
            assertEquals(9, arrays.size());
            assertTrue(parent.isOpen(), "the caller's manager stays open");
        }
        assertTrue(arrays.stream().allMatch(NDArray::isReleased));
    }

    @Test
    void normalisationArraysAreFreedWithTheBatchToo() {
        ImageSet set = TestFiles.randomSet("n", 10, 3, 32, 10, 1);
        ChannelNormalization norm = ChannelNormalization.fit(set);
        NDManager batchManager;
        NDArray images;
        try (Batch batch = BatchIterator.of(set, norm, BatchOptions.evaluation(10), 0, manager).next()) {
            batchManager = batch.manager();
            images = batch.images();
            assertSame(batchManager, images.getManager());
        }
        assertTrue(images.isReleased());
        assertFalse(batchManager.isOpen());
    }

    @Test
    void badBatchSize() {
        assertThrows(IllegalArgumentException.class, () -> BatchOptions.training(0, 1));
    }
}
