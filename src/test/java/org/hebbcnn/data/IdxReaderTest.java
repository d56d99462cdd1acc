package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IDX reader and IDX dataset directories, on small generated files. */
class IdxReaderTest {
    @TempDir
    Path tmp;

    @Test
    void plainAndGzippedFilesReadIdentically() throws IOException {
        byte[] pixels = TestFiles.pixels(5, 3 * 4);
        byte[] images = TestFiles.idxImages(5, 3, 4, pixels);
        int[] labelValues = {3, 0, 9, 9, 1};
        byte[] labels = TestFiles.idxLabels(labelValues);
        Path plainImages = Files.write(tmp.resolve("images"), images);
        Path gzImages = Files.write(tmp.resolve("images.gz"), TestFiles.gzip(images));
        Path plainLabels = Files.write(tmp.resolve("labels"), labels);
        Path gzLabels = Files.write(tmp.resolve("labels.gz"), TestFiles.gzip(labels));

        for (Path file : new Path[] {plainImages, gzImages}) {
            IdxReader.IdxImages read = IdxReader.readImages(file);
            assertEquals(5, read.count(), file.toString());
            assertEquals(3, read.rows(), file.toString());
            assertEquals(4, read.cols(), file.toString());
            assertArrayEquals(pixels, read.pixels(), file.toString());
        }
        assertArrayEquals(labelValues, IdxReader.readLabels(plainLabels));
        assertArrayEquals(labelValues, IdxReader.readLabels(gzLabels));
    }

    @Test
    void gzipIsRecognisedByContentNotByName() throws IOException {
        byte[] images = TestFiles.idxImages(2, 2, 2, TestFiles.pixels(2, 4));
        Path gzipWithoutSuffix = Files.write(tmp.resolve("train-images-idx3-ubyte"), TestFiles.gzip(images));
        Path plainWithSuffix = Files.write(tmp.resolve("t10k-images-idx3-ubyte.gz"), images);
        assertArrayEquals(TestFiles.pixels(2, 4), IdxReader.readImages(gzipWithoutSuffix).pixels());
        assertArrayEquals(TestFiles.pixels(2, 4), IdxReader.readImages(plainWithSuffix).pixels());
    }

    @Test
    void labelsAreUnsignedBytes() throws IOException {
        Path file = Files.write(tmp.resolve("labels"), TestFiles.idxLabels(new int[] {0, 127, 128, 255}));
        assertArrayEquals(new int[] {0, 127, 128, 255}, IdxReader.readLabels(file));
    }

    @Test
    void setHoldsPixelsRowByRowWithLabels() throws IOException {
        int count = 4;
        int rows = 3;
        int cols = 5;
        byte[] pixels = TestFiles.pixels(count, rows * cols);
        Path images = Files.write(tmp.resolve("img"), TestFiles.idxImages(count, rows, cols, pixels));
        Path labels = Files.write(tmp.resolve("lab"), TestFiles.idxLabels(new int[] {2, 0, 1, 2}));
        ImageSet set = IdxReader.readSet(images, labels, "tiny", 0);

        assertEquals("tiny", set.name());
        assertEquals(count, set.size());
        assertEquals(1, set.channels());
        assertEquals(rows, set.height());
        assertEquals(cols, set.width());
        assertEquals("1x3x5", set.shapeString());
        assertEquals(3, set.numClasses(), "classes = max label + 1");
        assertArrayEquals(new int[] {2, 0, 1, 2}, set.labels());
        assertFalse(set.hasCoarseLabels());
        for (int i = 0; i < count; i++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    assertEquals(TestFiles.pixel(i, y * cols + x) & 0xff, set.pixel(i, 0, y, x),
                            "image " + i + " (" + y + "," + x + ")");
                }
            }
        }
    }

    @Test
    void classCountFromLabelsIsAtLeastTwo() {
        assertEquals(2, IdxReader.classesOf(new int[] {0, 0, 0}));
        assertEquals(10, IdxReader.classesOf(new int[] {9, 0, 3}));
        assertEquals(47, IdxReader.classesOf(new int[] {46, 1}));
    }

    @Test
    void givenClassCountIsKept() throws IOException {
        Path images = Files.write(tmp.resolve("img"), TestFiles.idxImages(2, 1, 1, new byte[] {1, 2}));
        Path labels = Files.write(tmp.resolve("lab"), TestFiles.idxLabels(new int[] {0, 1}));
        assertEquals(10, IdxReader.readSet(images, labels, "s", 10).numClasses());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void directoryOfTrainAndTestPairsLoadsAsADataset(boolean gzip) throws IOException {
        Path dir = tmp.resolve("fashion");
        TestFiles.writeIdxDataset(dir, 12, 5, 6, 10, gzip);

        assertEquals(DataFormat.IDX, DataFormat.detect(dir).orElseThrow());
        assertTrue(DataFormat.IDX.isComplete(dir));
        RawDataset data = Datasets.loadDirectory(dir, "fashion");
        assertEquals("fashion", data.name());
        assertEquals(DataFormat.IDX, data.format());
        assertEquals(dir, data.directory());
        assertEquals(10, data.numClasses());
        assertEquals(12, data.train().size());
        assertEquals(5, data.test().size());
        assertEquals("1x6x6", data.train().shapeString());
        assertEquals("1x6x6", data.test().shapeString());
        assertArrayEquals(TestFiles.labels(12, 10), data.train().labels());
        assertArrayEquals(TestFiles.labels(5, 10), data.test().labels());
        assertArrayEquals(TestFiles.pixels(12, 36), data.train().pixels());
        assertArrayEquals(TestFiles.pixels(5, 36), data.test().pixels());
        assertEquals(10, data.test().numClasses(), "the test set takes the training set's classes");
    }

    @Test
    void plainAndGzippedDirectoriesGiveTheSameDataset() throws IOException {
        TestFiles.writeIdxDataset(tmp.resolve("plain"), 9, 4, 5, 7, false);
        TestFiles.writeIdxDataset(tmp.resolve("gz"), 9, 4, 5, 7, true);
        RawDataset plain = Datasets.loadDirectory(tmp.resolve("plain"), "a");
        RawDataset gz = Datasets.loadDirectory(tmp.resolve("gz"), "a");
        assertTrue(plain.train().sameContents(gz.train()));
        assertTrue(plain.test().sameContents(gz.test()));
    }

    @Test
    void mirrorSpellingWithDotIsFound() throws IOException {
        Path dir = tmp.resolve("dotted");
        TestFiles.writeIdxDataset(dir, 6, 3, 4, 3, false);
        for (String base : DataFormat.IDX_FILES) {
            Files.move(dir.resolve(base), dir.resolve(base.replace("-idx", ".idx")));
        }
        RawDataset data = Datasets.loadDirectory(dir, "dotted");
        assertEquals(6, data.train().size());
        assertEquals(3, data.test().size());
    }

    @Test
    void datasetLoadsByNameUnderTheRootOrFromItsOwnDirectory() throws IOException {
        Path root = tmp.resolve("root");
        TestFiles.writeIdxDataset(root.resolve("kmnist"), 8, 4, 4, 10, true);
        DataLocator locator = new DataLocator(root);

        RawDataset byName = Datasets.load(locator, "kmnist", null);
        assertEquals("kmnist", byName.name());
        assertEquals(root.resolve("kmnist"), byName.directory());
        assertEquals("kmnist/train", byName.train().name());
        assertEquals("kmnist/test", byName.test().name());

        Path elsewhere = tmp.resolve("some-other-place");
        TestFiles.writeIdxDataset(elsewhere, 8, 4, 4, 10, false);
        RawDataset byDir = Datasets.load(locator, null, elsewhere);
        assertEquals("some-other-place", byDir.name(), "named after its directory");
        assertEquals(elsewhere, byDir.directory());
        assertTrue(byName.train().sameContents(byDir.train()));

        assertEquals("mine", Datasets.load(locator, "mine", elsewhere).name(), "--data-dir with a name");
    }
}
