package org.hebbcnn.data;

import java.nio.file.Path;
import org.hebbcnn.util.InputError;

/** Loading datasets by name or directory, and the one-call path to network-ready splits. */
public final class Datasets {
    private Datasets() {}

    /** Loads {@code <root>/<name>} with the root from $HEBBCNN_DATA or ./data. */
    public static RawDataset load(String name) {
        return load(name, null);
    }

    /**
     * Loads a dataset: from {@code dataDir} when not null (its name is then {@code name}, or the
     * directory's name when {@code name} is null), else from the data root.
     */
    public static RawDataset load(String name, Path dataDir) {
        return load(DataLocator.fromEnvironment(), name, dataDir);
    }

    public static RawDataset load(DataLocator locator, String name, Path dataDir) {
        Path dir = locator.resolve(name, dataDir);
        String label = name != null && !name.isBlank() ? name : dir.toAbsolutePath().normalize().getFileName().toString();
        return loadDirectory(dir, label);
    }

    /** Reads the dataset in {@code dir}, whose format is recognised from the files it holds. */
    public static RawDataset loadDirectory(Path dir, String name) {
        DataFormat format = DataFormat.detect(dir).orElseThrow(() -> new InputError(dir
                + ": no dataset recognised; expected one of: " + DataFormat.IDX.expectedFiles() + " | "
                + DataFormat.CIFAR10.expectedFiles() + " | " + DataFormat.CIFAR100.expectedFiles()));
        return format.load(dir, name);
    }

    /**
     * Load, bring every image to the network's 3x32x32 ({@link NetworkInput}), and split with
     * {@code dataSeed} using the paper's validation size.
     */
    public static Splits prepare(String name, Path dataDir, long dataSeed) {
        return Splits.create(NetworkInput.prepare(load(name, dataDir)), dataSeed);
    }

    /** As {@link #prepare(String, Path, long)}, holding out {@code validationSize} images (0: the paper's). */
    public static Splits prepare(String name, Path dataDir, long dataSeed, int validationSize) {
        RawDataset raw = NetworkInput.prepare(load(name, dataDir));
        return validationSize == 0 ? Splits.create(raw, dataSeed) : Splits.create(raw, dataSeed, validationSize);
    }
}
