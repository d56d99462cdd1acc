package org.hebbcnn.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.hebbcnn.util.InputError;

/**
 * Train / validation / test sets as in the reference: the official training set shuffled with the
 * data seed, its first part for training and its last {@code validationSize} images for
 * validation; the official test set for testing. The shuffle is a Fisher-Yates pass driven by
 * {@code java.util.Random(dataSeed)}, so a seed gives the same split on every machine and run.
 * The three sets are copies of the bytes (CIFAR-10: 150 MB in all).
 */
public final class Splits {
    /** The paper's validation size for MNIST (of 60,000) and CIFAR (of 50,000). */
    public static final int PAPER_VALIDATION_SIZE = 10_000;

    private final RawDataset source;
    private final long dataSeed;
    private final ImageSet train;
    private final ImageSet validation;
    private final ImageSet test;

    private Splits(RawDataset source, long dataSeed, ImageSet train, ImageSet validation, ImageSet test) {
        this.source = source;
        this.dataSeed = dataSeed;
        this.train = train;
        this.validation = validation;
        this.test = test;
    }

    /** Split with the default validation size ({@link #defaultValidationSize}). */
    public static Splits create(RawDataset dataset, long dataSeed) {
        return create(dataset, dataSeed, defaultValidationSize(dataset.train().size()));
    }

    /** Split with a validation fraction of the official training set (e.g. 0.2 for small synthetic sets). */
    public static Splits createWithFraction(RawDataset dataset, long dataSeed, double validationFraction) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new InputError("validation fraction " + validationFraction + " must be between 0 and 1");
        }
        int n = dataset.train().size();
        return create(dataset, dataSeed, (int) Math.max(1, Math.round(n * validationFraction)));
    }

    /** Split holding out the last {@code validationSize} images of the shuffled training set. */
    public static Splits create(RawDataset dataset, long dataSeed, int validationSize) {
        ImageSet official = dataset.train();
        int n = official.size();
        if (validationSize < 1 || validationSize >= n) {
            throw new InputError(dataset.name() + ": validation size " + validationSize
                    + " must be between 1 and " + (n - 1) + " (the training set has " + n + " images)");
        }
        int[] order = shuffledIndices(n, dataSeed);
        int trainSize = n - validationSize;
        ImageSet train = official.select(Arrays.copyOfRange(order, 0, trainSize), dataset.name() + "/train");
        ImageSet validation = official.select(Arrays.copyOfRange(order, trainSize, n), dataset.name() + "/validation");
        return new Splits(dataset, dataSeed, train, validation, dataset.test().withName(dataset.name() + "/test"));
    }

    /**
     * The paper's sizes: 10,000 validation images of MNIST's 60,000 and of CIFAR's 50,000. Smaller
     * sets hold out a fifth (at least 1), so tiny synthetic sets still get a validation set.
     */
    public static int defaultValidationSize(int trainingSetSize) {
        int fifth = (int) Math.round(trainingSetSize / 5.0);
        return Math.max(1, Math.min(PAPER_VALIDATION_SIZE, fifth));
    }

    /** 0..n-1 shuffled by Fisher-Yates with java.util.Random(seed): deterministic for a seed. */
    public static int[] shuffledIndices(int n, long seed) {
        return Shuffle.permutation(n, new Random(seed));
    }

    public String datasetName() {
        return source.name();
    }

    public DataFormat format() {
        return source.format();
    }

    /** The dataset's directory (caches such as the fitted ZCA go in its cache/ folder). */
    public Path directory() {
        return source.directory();
    }

    public long dataSeed() {
        return dataSeed;
    }

    public int numClasses() {
        return train.numClasses();
    }

    public ImageSet train() {
        return train;
    }

    public ImageSet validation() {
        return validation;
    }

    public ImageSet test() {
        return test;
    }

    /** A split by name: "train", "validation" (or "val"), "test". */
    public ImageSet get(String split) {
        return switch (split) {
            case "train" -> train;
            case "validation", "val" -> validation;
            case "test" -> test;
            default -> throw new InputError("unknown split '" + split + "': use train, validation or test");
        };
    }

    /** "train 50000  validation 10000  test 10000" */
    public String sizes() {
        return "train " + train.size() + "  validation " + validation.size() + "  test " + test.size();
    }

    @Override
    public String toString() {
        return source.name() + " (data seed " + dataSeed + "): " + sizes();
    }
}
