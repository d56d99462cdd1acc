package org.hebbcnn.training;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.network.Vae;
import org.hebbcnn.util.Progress;

/**
 * Trains a {@link Vae} (the paper's VAE baseline: constant lr 1e-3, momentum 0.9, no schedule, no
 * L2) and selects the epoch with the lowest mean validation loss (eval mode, z = mu).
 * {@link #validate()} returns that loss negated, so that "higher is better" holds for
 * {@link CheckpointedTraining}; the checkpoint history's {@code validationAccuracy} field therefore
 * holds the negated loss, and the log shows it as "loss 0.8123".
 */
public final class VaeTraining implements CheckpointedTraining.Model {
    private static final String FILE = "vae.npz";

    private final NDManager manager;
    private final Vae vae;
    private final ImageSet train;
    private final ImageSet validation;
    private final Normalization normalization;
    private final int batchSize;
    private final long shuffleSeed;
    private final int epochs;
    private final String label;

    public VaeTraining(NDManager manager, Vae vae, ImageSet train, ImageSet validation, Normalization normalization,
            int batchSize, long shuffleSeed, int epochs, String label) {
        this.manager = manager;
        this.vae = vae;
        this.train = train;
        this.validation = validation;
        this.normalization = normalization;
        this.batchSize = batchSize;
        this.shuffleSeed = shuffleSeed;
        this.epochs = epochs;
        this.label = label;
    }

    /** One epoch (training batches never hold a single image: see {@link BatchOptions#dropSingleLast}). */
    @Override
    public void trainEpoch(int epoch) {
        BatchIterator batches = BatchIterator.of(train, normalization, BatchOptions.training(batchSize, shuffleSeed),
                epoch, manager);
        double lossSum = 0;
        double mseSum = 0;
        int steps = 0;
        try (ProgressBar bar = Progress.bar(label + " epoch " + (epoch + 1) + "/" + epochs, batches.batchCount())) {
            for (Batch b : batches) {
                try (b) {
                    lossSum += vae.trainStep(b.images());
                    mseSum += vae.lastStepLoss().mse();
                    steps++;
                }
                bar.step();
                bar.setExtraMessage(String.format(" loss %.4f (mse %.4f)", lossSum / steps, mseSum / steps));
            }
        }
    }

    /** Minus the mean validation loss per image (batch losses weighted by batch size). */
    @Override
    public double validate() {
        double sum = 0;
        for (Batch b : BatchIterator.of(validation, normalization, BatchOptions.evaluation(Evaluation.BATCH), 0, manager)) {
            try (b) {
                sum += vae.loss(b.images()) * b.size();
            }
        }
        return -sum / validation.size();
    }

    @Override
    public String formatValidation(double validation) {
        return String.format("loss %.4f", -validation);
    }

    @Override
    public void save(Path dir) {
        vae.save(dir.resolve(FILE));
    }

    @Override
    public void load(Path dir) {
        vae.load(dir.resolve(FILE));
    }

    @Override
    public Optional<String> nonFinite() {
        return vae.nonFiniteBlock().map(block -> "VAE block " + block + HebbianNetworkTraining.NOT_FINITE);
    }
}
