package org.hebbcnn.config;

import java.util.List;
import java.util.Locale;
import org.hebbcnn.data.DataLocator;
import org.hebbcnn.data.PaperDatasets;
import org.hebbcnn.util.InputError;

/**
 * What a layer-wise run does: the methods and seeds, and the profile (epochs, subset sizes). The
 * full profile is the paper's (20 network epochs, 20 probe epochs, whole splits); the quick profile
 * is sized for a 2-core CPU and is labelled as such in every output.
 *
 * @param epochs           network training epochs (paper: 20)
 * @param probeEpochs      probe training epochs (paper: 20)
 * @param trainImages      training images used (the first of the shuffled training split); 0 = all
 * @param validationImages validation images used; 0 = all
 */
public record LayerwiseSettings(String dataset, List<String> methods, int seeds, boolean quick, int epochs,
        int probeEpochs, int trainImages, int validationImages, int batchSize) {
    /** The paper's datasets; any other name is the label of the user's own (read with --data-dir). */
    public static final List<String> DATASETS = List.of("mnist", "cifar10", "cifar100");
    /** The paper's methods, the default of {@code --methods}; any of {@link MethodNames#names()} may be named. */
    public static final List<String> METHODS = List.of("bp", "hpca", "hwta", "vae");
    public static final int PAPER_EPOCHS = 20;
    public static final int BATCH = 64;
    /** The quick profile: MNIST with bp, hpca and hwta and one seed fits in 30 minutes on 2 cores. */
    public static final int QUICK_EPOCHS = 3;
    public static final int QUICK_PROBE_EPOCHS = 3;
    public static final int QUICK_TRAIN_IMAGES = 10_000;
    public static final int QUICK_VALIDATION_IMAGES = 2_000;

    public LayerwiseSettings {
        // A paper dataset's name in its canonical spelling, else the label of the user's own dataset.
        dataset = PaperDatasets.paperName(dataset).orElse(dataset.trim());
        DataLocator.checkName(dataset);
        methods = methods.stream().map(m -> m.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        if (methods.isEmpty()) {
            throw new InputError("--methods: give at least one of " + String.join(",", METHODS));
        }
        methods.forEach(MethodNames::check); // refuses unknown ones
        positive("--seeds", seeds);
        positive("--epochs", epochs);
        positive("--probe-epochs", probeEpochs);
        positive("--batch", batchSize);
        if (trainImages < 0 || validationImages < 0) {
            throw new InputError("--train-images and --validation-images must be >= 0 (0 = the whole split)");
        }
    }

    private static void positive(String flag, int value) {
        if (value < 1) {
            throw new InputError(flag + " must be >= 1, got " + value);
        }
    }

    /** The paper's profile. */
    public static LayerwiseSettings paper(String dataset, List<String> methods, int seeds) {
        return new LayerwiseSettings(dataset, methods, seeds, false, PAPER_EPOCHS, PAPER_EPOCHS, 0, 0, BATCH);
    }

    /** The quick profile. */
    public static LayerwiseSettings quick(String dataset, List<String> methods, int seeds) {
        return new LayerwiseSettings(dataset, methods, seeds, true, QUICK_EPOCHS, QUICK_PROBE_EPOCHS,
                QUICK_TRAIN_IMAGES, QUICK_VALIDATION_IMAGES, BATCH);
    }

    public LayerwiseSettings withEpochs(int networkEpochs, int probes) {
        return new LayerwiseSettings(dataset, methods, seeds, quick, networkEpochs, probes, trainImages,
                validationImages, batchSize);
    }

    public LayerwiseSettings withSubset(int train, int validation) {
        return new LayerwiseSettings(dataset, methods, seeds, quick, epochs, probeEpochs, train, validation, batchSize);
    }

    /** Whether the run deviates from the paper's schedule in any way. */
    public boolean reduced() {
        return quick || epochs != PAPER_EPOCHS || probeEpochs != PAPER_EPOCHS || trainImages != 0
                || validationImages != 0 || batchSize != BATCH;
    }

    /** What makes two runs' per-seed results interchangeable (methods and seed count excluded). */
    public String identity() {
        return String.format(Locale.ROOT, "dataset=%s quick=%s epochs=%d probeEpochs=%d trainImages=%d "
                + "validationImages=%d batch=%d", dataset, quick, epochs, probeEpochs, trainImages, validationImages,
                batchSize);
    }

    /** One line for tables and logs, with the paper's epochs where they differ. */
    public String describe() {
        return describe(true);
    }

    /**
     * One line for tables and logs; {@code againstPaper} adds the paper's epochs where they differ
     * (not for a published protocol, whose own schedule they are not).
     */
    public String describe(boolean againstPaper) {
        return String.format(Locale.ROOT, "%snetwork %d epoch(s)%s, probes %d epoch(s)%s, %s training images, %s "
                + "validation images, batch %d", quick ? "quick profile: " : "", epochs,
                !againstPaper || epochs == PAPER_EPOCHS ? "" : " (paper: 20)", probeEpochs,
                !againstPaper || probeEpochs == PAPER_EPOCHS ? "" : " (paper: 20)",
                trainImages == 0 ? "all" : "first " + trainImages, validationImages == 0 ? "all" : "first " + validationImages,
                batchSize);
    }
}
