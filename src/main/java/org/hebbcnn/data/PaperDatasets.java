package org.hebbcnn.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.hebbcnn.util.InputError;

/**
 * The paper's datasets (MNIST, CIFAR-10, CIFAR-100) recognised by their contents, so that a folder of
 * other images is never run, or compared with the paper's figures, under one of their names.
 *
 * <p>The check is by counts and label statistics: image size and channels, training and test set
 * sizes, number of classes and the number of images of every class in both sets (MNIST's are
 * uneven and known exactly; CIFAR's are even). Another set in the same file format (a clothing set
 * in MNIST's IDX format, say) differs in at least one of them.
 */
public final class PaperDatasets {
    private PaperDatasets() {}

    /** Folders taken for a paper dataset without looking (tests of the paper path on tiny synthetic files). */
    private static final java.util.Map<Path, String> TRUSTED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Test seam: {@code dir} counts as the paper's {@code dataset} whatever it holds. Only the tests
     * call this, to run the paper comparison end to end on files small enough to train on in seconds.
     */
    public static void trustForTests(Path dir, String dataset) {
        TRUSTED.put(dir.toAbsolutePath().normalize(), paperName(dataset).orElseThrow());
    }

    /** What a paper dataset looks like. */
    private record Expected(int channels, int side, int[] trainCounts, int[] testCounts) {}

    private static Expected expected(String dataset) {
        return switch (dataset) {
            case "mnist" -> new Expected(1, 28, new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                    new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009});
            case "cifar10" -> new Expected(3, 32, even(10, 5000), even(10, 1000));
            case "cifar100" -> new Expected(3, 32, even(100, 500), even(100, 100));
            default -> throw new IllegalArgumentException("not a paper dataset: " + dataset);
        };
    }

    private static int[] even(int classes, int each) {
        int[] c = new int[classes];
        Arrays.fill(c, each);
        return c;
    }

    /** "CIFAR-10" -> "cifar10" when that is a paper dataset's name, else empty. */
    public static Optional<String> paperName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return DataLocator.FETCHABLE.contains(n) ? Optional.of(n) : Optional.empty();
    }

    /** Why {@code data} is not the paper's {@code dataset} (e.g. "train class counts 6000 x 10, MNIST's differ"), or empty if it is. */
    public static Optional<String> mismatch(String dataset, RawDataset data) {
        if (data.directory() != null && dataset.equals(TRUSTED.get(data.directory().toAbsolutePath().normalize()))) {
            return Optional.empty();
        }
        Expected e = expected(dataset);
        ImageSet train = data.train();
        ImageSet test = data.test();
        if (train.channels() != e.channels() || train.height() != e.side() || train.width() != e.side()) {
            return Optional.of("images are " + train.shapeString() + ", " + dataset + "'s are " + e.channels() + "x"
                    + e.side() + "x" + e.side());
        }
        int trainSize = Arrays.stream(e.trainCounts()).sum();
        int testSize = Arrays.stream(e.testCounts()).sum();
        if (train.size() != trainSize || test.size() != testSize) {
            return Optional.of(train.size() + " training and " + test.size() + " test images, " + dataset + " has "
                    + trainSize + " and " + testSize);
        }
        if (train.numClasses() != e.trainCounts().length) {
            return Optional.of(train.numClasses() + " classes, " + dataset + " has " + e.trainCounts().length);
        }
        if (!Arrays.equals(train.classCounts(), e.trainCounts()) || !Arrays.equals(test.classCounts(), e.testCounts())) {
            return Optional.of("the images per class differ from " + dataset + "'s (training set: " + summary(train.classCounts())
                    + ")");
        }
        return Optional.empty();
    }

    private static String summary(int[] counts) {
        int min = Arrays.stream(counts).min().orElse(0);
        int max = Arrays.stream(counts).max().orElse(0);
        return min == max ? counts.length + " x " + min : min + " to " + max + " per class";
    }

    /** A dataset's label and whether the paper's figures apply to it. */
    public record Naming(String label, boolean paper) {}

    /**
     * Names the dataset read from {@code dir}: {@code requested} is a paper dataset asked for
     * ({@code --dataset}), or another label, or null; {@code name} ({@code --name}) is the label to
     * use, or null for the folder's name. A requested paper dataset whose files are something else is
     * said in one line to {@code warn} and the run is labelled with the folder's name (or
     * {@code name}) without the paper's figures; a label that is a paper dataset's name must be that
     * dataset.
     */
    public static Naming name(String requested, String name, Path dir, Consumer<String> warn) {
        RawDataset data = Datasets.loadDirectory(dir, "check");
        Optional<String> paper = paperName(requested);
        String folder = dir.toAbsolutePath().normalize().getFileName().toString();
        String label = name != null && !name.isBlank() ? name.trim()
                : requested != null && !requested.isBlank() && paper.isEmpty() ? requested.trim() : null;
        if (paper.isPresent()) {
            Optional<String> why = mismatch(paper.get(), data);
            if (why.isEmpty()) {
                return label == null || paperName(label).equals(paper) ? new Naming(paper.get(), true)
                        : checkedLabel(label, data, dir);
            }
            label = label != null ? label : folder;
            if (paperName(label).isPresent()) {
                throw new InputError(dir + ": these files are not " + paper.get() + " (" + why.get() + "); the folder's "
                        + "name '" + folder + "' is a paper dataset's: give --name to label the run");
            }
            warn.accept(dir + ": these files are not " + paper.get() + " (" + why.get() + "): the run is labelled '"
                    + label + "' and shown without the paper's figures");
            return new Naming(label, false);
        }
        return checkedLabel(label != null ? label : folder, data, dir);
    }

    /** A label for an own dataset: a paper dataset's name only if the files are that dataset. */
    private static Naming checkedLabel(String label, RawDataset data, Path dir) {
        Optional<String> paper = paperName(label);
        if (paper.isPresent()) {
            Optional<String> why = mismatch(paper.get(), data);
            if (why.isPresent()) {
                throw new InputError(dir + ": labelled '" + label + "', but these files are not " + paper.get() + " ("
                        + why.get() + "); give another --name");
            }
            return new Naming(paper.get(), true);
        }
        DataLocator.checkName(label);
        return new Naming(label, false);
    }
}
