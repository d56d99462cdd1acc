package org.hebbcnn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hebbcnn.util.InputError;

/**
 * The on-disk layouts a dataset directory can have, recognised by the files it contains (not by
 * the dataset's name), so that any MNIST-like IDX set or CIFAR-format set loads without code changes.
 */
public enum DataFormat {
    /** train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each maybe .gz. */
    IDX("IDX (MNIST-like)"),
    /** data_batch_1.bin .. data_batch_5.bin and test_batch.bin. */
    CIFAR10("CIFAR-10 binary"),
    /** train.bin and test.bin. */
    CIFAR100("CIFAR-100 binary");

    public static final String IDX_TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String IDX_TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String IDX_TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String IDX_TEST_LABELS = "t10k-labels-idx1-ubyte";
    public static final List<String> IDX_FILES = List.of(IDX_TRAIN_IMAGES, IDX_TRAIN_LABELS, IDX_TEST_IMAGES, IDX_TEST_LABELS);
    public static final List<String> CIFAR10_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin");
    public static final List<String> CIFAR100_FILES = List.of("train.bin", "test.bin");

    private static final Pattern DATA_BATCH = Pattern.compile("data_batch_(\\d+)\\.bin");

    private final String description;

    DataFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** What a directory of this format holds, for messages. */
    public String expectedFiles() {
        return switch (this) {
            case IDX -> String.join(", ", IDX_FILES) + " (each optionally .gz)";
            case CIFAR10 -> "data_batch_1.bin .. data_batch_5.bin and test_batch.bin";
            case CIFAR100 -> "train.bin and test.bin";
        };
    }

    /** The format whose files appear in {@code dir}, if any (CIFAR-10, then CIFAR-100, then IDX). */
    public static Optional<DataFormat> detect(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        if (Files.exists(dir.resolve("test_batch.bin")) || !dataBatches(dir).isEmpty()) {
            return Optional.of(CIFAR10);
        }
        if (Files.exists(dir.resolve("train.bin")) || Files.exists(dir.resolve("test.bin"))) {
            return Optional.of(CIFAR100);
        }
        for (String base : IDX_FILES) {
            if (findIdx(dir, base).isPresent()) {
                return Optional.of(IDX);
            }
        }
        return Optional.empty();
    }

    /** True when every file of this format is present in {@code dir}. */
    public boolean isComplete(Path dir) {
        return switch (this) {
            case IDX -> IDX_FILES.stream().allMatch(base -> findIdx(dir, base).isPresent());
            case CIFAR10 -> CIFAR10_FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
            case CIFAR100 -> CIFAR100_FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
        };
    }

    /** Loads the official train and test sets of the dataset stored in {@code dir}. */
    public RawDataset load(Path dir, String name) {
        return switch (this) {
            case IDX -> loadIdx(dir, name);
            case CIFAR10 -> loadCifar10(dir, name);
            case CIFAR100 -> new RawDataset(name, this, dir,
                    CifarReader.readCifar100(require(dir, "train.bin"), name + "/train"),
                    CifarReader.readCifar100(require(dir, "test.bin"), name + "/test"));
        };
    }

    private RawDataset loadIdx(Path dir, String name) {
        Path trainImages = requireIdx(dir, IDX_TRAIN_IMAGES);
        Path trainLabels = requireIdx(dir, IDX_TRAIN_LABELS);
        Path testImages = requireIdx(dir, IDX_TEST_IMAGES);
        Path testLabels = requireIdx(dir, IDX_TEST_LABELS);
        ImageSet train = IdxReader.readSet(trainImages, trainLabels, name + "/train", 0);
        // The number of classes comes from the training labels; a test label beyond them is an error.
        ImageSet test = IdxReader.readSet(testImages, testLabels, name + "/test", train.numClasses());
        if (test.height() != train.height() || test.width() != train.width()) {
            throw new InputError(testImages + ": images are " + test.height() + "x" + test.width() + " but "
                    + trainImages + " has " + train.height() + "x" + train.width());
        }
        return new RawDataset(name, this, dir, train, test);
    }

    private RawDataset loadCifar10(Path dir, String name) {
        List<Path> batches = dataBatches(dir);
        if (batches.isEmpty()) {
            throw new InputError(dir.resolve("data_batch_1.bin") + ": file not found (CIFAR-10 format needs "
                    + expectedFiles() + ")");
        }
        return new RawDataset(name, this, dir, CifarReader.readCifar10(batches, name + "/train"),
                CifarReader.readCifar10(List.of(require(dir, "test_batch.bin")), name + "/test"));
    }

    /** data_batch_1.bin .. data_batch_K.bin in numeric order; a gap in the numbering is an error. */
    static List<Path> dataBatches(Path dir) {
        TreeMap<Integer, Path> found = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                Matcher m = DATA_BATCH.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.put(Integer.parseInt(m.group(1)), p);
                }
            });
        } catch (IOException e) {
            throw BinaryFiles.ioError(dir, e);
        }
        List<Path> ordered = new ArrayList<>();
        for (int k = 1; k <= (found.isEmpty() ? 0 : found.lastKey()); k++) {
            if (!found.containsKey(k)) {
                throw new InputError(dir.resolve("data_batch_" + k + ".bin") + ": file not found (the batches "
                        + "must be numbered 1.." + found.lastKey() + " without gaps)");
            }
            ordered.add(found.get(k));
        }
        return ordered;
    }

    /** The IDX file with this base name: exact, ".gz", or the "train-images.idx3-ubyte" spelling some mirrors use. */
    static Optional<Path> findIdx(Path dir, String base) {
        String dotted = base.replaceFirst("-(idx\\d-ubyte)$", ".$1");
        for (String candidate : new String[] {base, base + ".gz", dotted, dotted + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Path requireIdx(Path dir, String base) {
        return findIdx(dir, base).orElseThrow(() -> new InputError(dir.resolve(base) + "[.gz]: file not found "
                + "(an IDX dataset needs " + IDX.expectedFiles() + ")"));
    }

    private static Path require(Path dir, String file) {
        Path p = dir.resolve(file);
        BinaryFiles.requireFile(p);
        return p;
    }
}
