package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR-10 and CIFAR-100 binary readers on tiny generated files. */
class CifarReaderTest {
    @TempDir
    Path tmp;

    /** Image {@code n} of a generated file holds, at channel c row y column x, byte 1 + c*1024 + y*32 + x of its record. */
    private static void assertImage(ImageSet set, int index, int generatedImage) {
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int expected = TestFiles.pixel(generatedImage, c * 1024 + y * 32 + x) & 0xff;
                    if (set.pixel(index, c, y, x) != expected) {
                        fail(set.name() + " image " + index + " channel " + c + " (" + y + "," + x + "): "
                                + set.pixel(index, c, y, x) + " != " + expected);
                    }
                }
            }
        }
    }

    @Test
    void cifar10BatchesAreReadInOrderWithLabelsAndPlanes() throws IOException {
        Path dir = tmp.resolve("c10");
        TestFiles.writeCifar10Dataset(dir, 5, 3, 4);
        assertEquals(DataFormat.CIFAR10, DataFormat.detect(dir).orElseThrow());
        assertTrue(DataFormat.CIFAR10.isComplete(dir));

        RawDataset data = Datasets.loadDirectory(dir, "c10");
        assertEquals(DataFormat.CIFAR10, data.format());
        assertEquals(15, data.train().size());
        assertEquals(4, data.test().size());
        assertEquals(10, data.numClasses());
        assertEquals("3x32x32", data.train().shapeString());
        assertFalse(data.train().hasCoarseLabels());
        for (int i = 0; i < 15; i++) {
            assertEquals(i % 10, data.train().label(i), "train label " + i);
            assertImage(data.train(), i, i);
        }
        for (int i = 0; i < 4; i++) {
            assertEquals((1000 + i) % 10, data.test().label(i), "test label " + i);
            assertImage(data.test(), i, 1000 + i);
        }
    }

    @Test
    void recordLayoutIsLabelThenRedGreenBluePlanes() throws IOException {
        byte[] record = new byte[CifarReader.CIFAR10_RECORD];
        record[0] = 7;
        record[1] = 11; // R (0,0)
        record[1 + 33] = 12; // R (1,1)
        record[1 + 1024] = 21; // G (0,0)
        record[1 + 1024 + 31] = 22; // G (0,31)
        record[1 + 2048] = 31; // B (0,0)
        record[1 + 2048 + 32 * 31] = 32; // B (31,0)
        Path file = Files.write(tmp.resolve("one.bin"), record);
        ImageSet set = CifarReader.readCifar10(List.of(file), "one");
        assertEquals(1, set.size());
        assertEquals(7, set.label(0));
        assertEquals(11, set.pixel(0, 0, 0, 0));
        assertEquals(12, set.pixel(0, 0, 1, 1));
        assertEquals(21, set.pixel(0, 1, 0, 0));
        assertEquals(22, set.pixel(0, 1, 0, 31));
        assertEquals(31, set.pixel(0, 2, 0, 0));
        assertEquals(32, set.pixel(0, 2, 31, 0));
        assertEquals(0, set.pixel(0, 2, 0, 1));
    }

    @Test
    void dataBatchesAreOrderedNumerically() throws IOException {
        Path dir = tmp.resolve("many");
        TestFiles.writeCifar10Dataset(dir, 11, 1, 1); // data_batch_1 .. data_batch_11, one record each
        List<Path> batches = DataFormat.dataBatches(dir);
        assertEquals(11, batches.size());
        for (int k = 0; k < 11; k++) {
            assertEquals("data_batch_" + (k + 1) + ".bin", batches.get(k).getFileName().toString());
        }
        RawDataset data = Datasets.loadDirectory(dir, "many");
        for (int i = 0; i < 11; i++) {
            assertImage(data.train(), i, i);
        }
    }

    @Test
    void gzippedBatchFilesAreReadToo() throws IOException {
        Path dir = tmp.resolve("gz");
        TestFiles.writeCifar10Dataset(dir, 5, 2, 2);
        Path batch = dir.resolve("data_batch_4.bin");
        Files.write(batch, TestFiles.gzip(Files.readAllBytes(batch)));
        RawDataset data = Datasets.loadDirectory(dir, "gz");
        assertEquals(10, data.train().size());
        assertImage(data.train(), 7, 7);
    }

    @Test
    void cifar100UsesFineLabelsAndKeepsCoarseOnes() throws IOException {
        Path dir = tmp.resolve("c100");
        TestFiles.writeCifar100Dataset(dir, 25, 6);
        assertEquals(DataFormat.CIFAR100, DataFormat.detect(dir).orElseThrow());
        assertTrue(DataFormat.CIFAR100.isComplete(dir));

        RawDataset data = Datasets.loadDirectory(dir, "c100");
        assertEquals(DataFormat.CIFAR100, data.format());
        assertEquals(100, data.numClasses());
        assertEquals(25, data.train().size());
        assertEquals(6, data.test().size());
        for (ImageSet set : List.of(data.train(), data.test())) {
            int first = set == data.train() ? 0 : 5000;
            assertTrue(set.hasCoarseLabels());
            assertEquals(20, set.numCoarseClasses());
            assertEquals(100, set.numClasses());
            for (int i = 0; i < set.size(); i++) {
                assertEquals(((first + i) * 7) % 100, set.label(i), set.name() + " fine label " + i);
                assertEquals((first + i) % 20, set.coarseLabels()[i], set.name() + " coarse label " + i);
                assertImage(set, i, first + i);
            }
        }
    }

    @Test
    void coarseLabelsFollowTheImagesThroughSelection() throws IOException {
        Path dir = tmp.resolve("c100");
        TestFiles.writeCifar100Dataset(dir, 25, 2);
        ImageSet train = Datasets.loadDirectory(dir, "c100").train();
        ImageSet picked = train.select(new int[] {21, 3}, "picked");
        assertArrayEquals(new int[] {(21 * 7) % 100, 21}, picked.labels());
        assertArrayEquals(new int[] {1, 3}, picked.coarseLabels());
        assertImage(picked, 0, 21);
    }
}
