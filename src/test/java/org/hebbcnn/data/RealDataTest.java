package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Known facts of the real datasets, checked when they have been fetched (`hebbcnn data fetch mnist`
 * and `... cifar10`, into ./data or $HEBBCNN_DATA, as CI does before the tests); skipped otherwise.
 */
// Slow: real data (the fetched MNIST / CIFAR-10). Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class RealDataTest {
    private static RawDataset cifar10;
    private static RawDataset mnist;

    private static Path dir(String name) {
        return DataLocator.fromEnvironment().root().resolve(name);
    }

    static synchronized RawDataset cifar10() {
        Path dir = dir("cifar10");
        assumeTrue(DataFormat.CIFAR10.isComplete(dir), "CIFAR-10 not fetched in " + dir.toAbsolutePath());
        if (cifar10 == null) {
            cifar10 = Datasets.loadDirectory(dir, "cifar10");
        }
        return cifar10;
    }

    static synchronized RawDataset mnist() {
        Path dir = dir("mnist");
        assumeTrue(DataFormat.IDX.isComplete(dir), "MNIST not fetched in " + dir.toAbsolutePath());
        if (mnist == null) {
            mnist = Datasets.loadDirectory(dir, "mnist");
        }
        return mnist;
    }

    @Test
    void cifar10FirstLabels() {
        RawDataset data = cifar10();
        assertArrayEquals(new int[] {6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, Arrays.copyOf(data.train().labels(), 10));
        assertArrayEquals(new int[] {3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, Arrays.copyOf(data.test().labels(), 10));
    }

    @Test
    void cifar10FirstPixel() {
        ImageSet train = cifar10().train();
        assertEquals(59, train.pixel(0, 0, 0, 0), "R");
        assertEquals(62, train.pixel(0, 1, 0, 0), "G");
        assertEquals(63, train.pixel(0, 2, 0, 0), "B");
    }

    @Test
    void cifar10Sizes() {
        RawDataset data = cifar10();
        assertEquals(DataFormat.CIFAR10, data.format());
        assertEquals(50_000, data.train().size());
        assertEquals(10_000, data.test().size());
        assertEquals("3x32x32", data.train().shapeString());
        int[] trainCounts = new int[10];
        int[] testCounts = new int[10];
        Arrays.fill(trainCounts, 5000);
        Arrays.fill(testCounts, 1000);
        assertArrayEquals(trainCounts, data.train().classCounts());
        assertArrayEquals(testCounts, data.test().classCounts());
    }

    @Test
    void cifar10PaperSplits() {
        Splits splits = Splits.create(NetworkInput.prepare(cifar10()), 200);
        assertEquals("train 40000  validation 10000  test 10000", splits.sizes());
        assertSame(cifar10().test().pixels(), splits.test().pixels(), "the test set is the official one");
        assertEquals(50_000, Arrays.stream(splits.train().classCounts()).sum() + Arrays.stream(splits.validation().classCounts()).sum());
    }

    @Test
    void mnistFacts() {
        RawDataset data = mnist();
        assertEquals(DataFormat.IDX, data.format());
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        assertEquals("1x28x28", data.train().shapeString());
        assertEquals(10, data.numClasses());
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(data.train().labels(), 10));
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(data.test().labels(), 10));
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, data.train().classCounts());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, data.test().classCounts());
    }

    @Test
    void mnistPaperSplitsOfNetworkInput() {
        mnist(); // skips when absent
        Splits splits = Datasets.prepare(null, dir("mnist"), 200);
        assertEquals("train 50000  validation 10000  test 10000", splits.sizes());
        assertEquals("mnist", splits.datasetName());
        assertEquals("3x32x32", splits.train().shapeString());
        assertEquals("3x32x32", splits.test().shapeString());
    }
}
