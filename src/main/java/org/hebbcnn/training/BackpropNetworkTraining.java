package org.hebbcnn.training;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import ai.djl.ndarray.NDArray;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.network.BackpropNetwork;
import org.hebbcnn.util.Progress;

/**
 * Trains a {@link BackpropNetwork} with the paper's baseline (Nesterov SGD, the step schedule, the
 * network's weight decay) and scores it by validation accuracy of its own classifier, the paper's
 * model selection. The learning rate of epoch e is set from the schedule before the epoch starts,
 * so a resumed run uses the rate the uninterrupted run would have used.
 */
public final class BackpropNetworkTraining implements CheckpointedTraining.Model {
    private static final String FILE = "network.npz";

    private final NDManager manager;
    private final BackpropNetwork network;
    private final ImageSet train;
    private final ImageSet validation;
    private final Normalization normalization;
    private final int batchSize;
    private final LearningRateSchedule schedule;
    private final long shuffleSeed;
    private final int epochs;
    private final int selectionTopK;
    private final String label;
    private int first = 1;
    private UnaryOperator<NDArray> below = UnaryOperator.identity();
    private FrozenFeatures frozen;

    /**
     * @param selectionTopK the top-k accuracy that selects the best epoch (1, or 5 for CIFAR-100)
     */
    public BackpropNetworkTraining(NDManager manager, BackpropNetwork network, ImageSet train, ImageSet validation,
            Normalization normalization, int batchSize, LearningRateSchedule schedule, long shuffleSeed, int epochs,
            int selectionTopK, String label) {
        this.manager = manager;
        this.network = network;
        this.train = train;
        this.validation = validation;
        this.normalization = normalization;
        this.batchSize = batchSize;
        this.schedule = schedule;
        this.shuffleSeed = shuffleSeed;
        this.epochs = epochs;
        this.selectionTopK = selectionTopK;
        this.label = label;
    }

    /**
     * Trains layers {@code first..6} only, on {@code below(images)}: the output of frozen layers
     * under them (for hybrids and retrained tops; run in eval mode, no gradient). Returns this.
     */
    public BackpropNetworkTraining from(int first, UnaryOperator<NDArray> below) {
        return from(first, below, FrozenFeatures.DEFAULT_BUDGET_BYTES);
    }

    /** As {@link #from(int, UnaryOperator)}, keeping at most {@code cacheBytes} of frozen-layer outputs. */
    public BackpropNetworkTraining from(int first, UnaryOperator<NDArray> below, long cacheBytes) {
        this.first = first;
        this.below = below;
        this.frozen = new FrozenFeatures(below, cacheBytes, train, validation, normalization, manager);
        return this;
    }

    /** Images run through the frozen layers below so far (0 when training from layer 1). */
    public long frozenImagesComputed() {
        return frozen == null ? 0 : frozen.computedImages();
    }

    @Override
    public void trainEpoch(int epoch) {
        network.setLearningRate(schedule.at(epoch + 1));
        BatchIterator batches = BatchIterator.of(train, normalization, BatchOptions.training(batchSize, shuffleSeed),
                epoch, manager);
        double lossSum = 0;
        int steps = 0;
        long seen = 0;
        long correct = 0;
        try (ProgressBar bar = Progress.bar(label + " epoch " + (epoch + 1) + "/" + epochs, batches.batchCount())) {
            for (Batch b : batches) {
                try (b) {
                    lossSum += network.trainStep(input(b, train), first, b.labels());
                    correct += network.lastStepCorrect();
                    seen += b.size();
                }
                steps++;
                bar.step();
                bar.setExtraMessage(String.format(" loss %.3f, train acc %.1f%%", lossSum / steps, 100.0 * correct / seen));
            }
        }
    }

    @Override
    public double validate() {
        return Evaluation.accuracyOfBatches(manager, validation, normalization, b -> top(input(b, validation)),
                selectionTopK);
    }

    /** The input of layer {@code first} for a batch of {@code set}: the images, or the frozen layers' output. */
    private NDArray input(Batch b, ImageSet set) {
        return first == 1 ? b.images() : frozen.apply(b, set);
    }

    /** The network's logits for images (through the frozen layers below, if any). */
    public NDArray scores(NDArray images) {
        return top(first == 1 ? images : below.apply(images));
    }

    /** The logits of the trained layers {@code first..6} (eval mode) for the input of layer {@code first}. */
    private NDArray top(NDArray input) {
        return first == 1 ? network.scores(input)
                : network.forward(input, first, network.depth(), false).get(network.depth() - first);
    }

    @Override
    public void save(Path dir) {
        network.save(dir.resolve(FILE));
    }

    @Override
    public void load(Path dir) {
        network.load(dir.resolve(FILE));
    }

    @Override
    public Optional<String> nonFinite() {
        int layer = network.firstNonFiniteLayer();
        return layer == 0 ? Optional.empty() : Optional.of("layer " + layer + " (backprop)" + HebbianNetworkTraining.NOT_FINITE);
    }
}
