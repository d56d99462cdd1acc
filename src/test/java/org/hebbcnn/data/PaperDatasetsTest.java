package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 9: a folder of other images is never named (or compared) as one of the paper's
 * datasets; the real MNIST is recognised as MNIST.
 */
class PaperDatasetsTest {
    @TempDir
    Path tmp;

    @Test
    void aFolderAloneIsNamedAfterTheFolderOrName() throws Exception {
        Path dir = tmp.resolve("fashion");
        TestFiles.writeIdxDataset(dir, 40, 10, 28, 10, true);
        List<String> warnings = new ArrayList<>();
        assertEquals(new PaperDatasets.Naming("fashion", false), PaperDatasets.name(null, null, dir, warnings::add));
        assertEquals(new PaperDatasets.Naming("clothes", false), PaperDatasets.name(null, "clothes", dir, warnings::add));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aPaperDatasetAskedForThatTheFilesAreNotIsSaidInOneLineAndNotUsedAsTheLabel() throws Exception {
        Path dir = tmp.resolve("fashion");
        TestFiles.writeIdxDataset(dir, 40, 10, 28, 10, true);
        List<String> warnings = new ArrayList<>();
        PaperDatasets.Naming n = PaperDatasets.name("mnist", null, dir, warnings::add);
        assertEquals(new PaperDatasets.Naming("fashion", false), n);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("not mnist") && warnings.get(0).contains("40 training and 10 test images"),
                warnings.get(0));
        assertFalse(warnings.get(0).contains("\n"));
    }

    @Test
    void aFolderNamedLikeAPaperDatasetMustHoldIt() throws Exception {
        Path dir = tmp.resolve("mnist");
        TestFiles.writeIdxDataset(dir, 40, 10, 28, 10, true);
        InputError e = assertThrows(InputError.class, () -> PaperDatasets.name(null, null, dir, w -> {}));
        assertTrue(e.getMessage().contains("not mnist") && e.getMessage().contains("--name"), e.getMessage());
        assertEquals("digits", PaperDatasets.name("mnist", "digits", dir, w -> {}).label());
        assertThrows(InputError.class, () -> PaperDatasets.name(null, "CIFAR-10", dir, w -> {}));
    }

    @Test
    void labelStatisticsTellAnotherSetInMnistsFormatFromMnist() {
        // Same sizes, formats and class count as MNIST, but 6000 / 1000 images per class (a clothing set).
        int[] train = new int[60_000];
        int[] test = new int[10_000];
        for (int i = 0; i < train.length; i++) {
            train[i] = i % 10;
        }
        for (int i = 0; i < test.length; i++) {
            test[i] = i % 10;
        }
        RawDataset clothes = new RawDataset("x", DataFormat.IDX, tmp,
                new ImageSet("x/train", 1, 28, 28, new byte[train.length * 784], train, 10),
                new ImageSet("x/test", 1, 28, 28, new byte[test.length * 784], test, 10));
        Optional<String> why = PaperDatasets.mismatch("mnist", clothes);
        assertTrue(why.isPresent() && why.get().contains("10 x 6000"), why.toString());
        assertTrue(PaperDatasets.mismatch("cifar10", clothes).orElseThrow().contains("3x32x32"));
    }

    /** The fetched MNIST (HEBBCNN_DATA or ./data) is recognised as MNIST. */
    @Test
    @Tag("slow")
    void theRealMnistIsMnist() {
        Path dir = DataLocator.fromEnvironment().datasetDir("mnist");
        assumeTrue(Files.isDirectory(dir), "MNIST not fetched: " + dir);
        assertEquals(new PaperDatasets.Naming("mnist", true), PaperDatasets.name(null, null, dir, w -> {}));
        assertEquals(new PaperDatasets.Naming("mnist", true), PaperDatasets.name("mnist", null, dir, w -> {}));
    }
}
