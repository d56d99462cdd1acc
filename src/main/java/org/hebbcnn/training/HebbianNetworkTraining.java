package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.nn.Accuracy;
import org.hebbcnn.util.Progress;

/**
 * Trains a {@link HebbianNetwork} (plain SGD steps of the Hebbian rules, lr 1e-3 in the reference)
 * and scores it by its SHC's validation accuracy, the reference's model selection.
 */
public final class HebbianNetworkTraining implements CheckpointedTraining.StepResumable {
    /** Weights beyond this magnitude count as diverged (see {@link #nonFinite}). */
    public static final float EXPLODED = 1e4f;
    static final String NOT_FINITE = " is no longer finite (NaN or infinity)";
    private final NDManager manager;
    private final HebbianNetwork network;
    private final ImageSet train;
    private final ImageSet validation;
    private final Normalization normalization;
    private final int batchSize;
    private final float lr;
    private final long shuffleSeed;
    private final int epochs;
    private final String label;
    private int first = 1;
    /** Epochs per layer of a greedy schedule ({@link #greedy}); 0: every layer learns on every batch. */
    private int epochsPerLayer;
    private UnaryOperator<NDArray> below = UnaryOperator.identity();
    private FrozenFeatures frozen;

    public HebbianNetworkTraining(NDManager manager, HebbianNetwork network, ImageSet train, ImageSet validation,
            Normalization normalization, int batchSize, float lr, long shuffleSeed, int epochs, String label) {
        this.manager = manager;
        this.network = network;
        this.train = train;
        this.validation = validation;
        this.normalization = normalization;
        this.batchSize = batchSize;
        this.lr = lr;
        this.shuffleSeed = shuffleSeed;
        this.epochs = epochs;
        this.label = label;
    }

    /**
     * Trains layers {@code first..6} only, on {@code below(images)}: the output of frozen layers
     * under them (for hybrids and retrained tops). Returns this.
     */
    public HebbianNetworkTraining from(int first, UnaryOperator<NDArray> below) {
        return from(first, below, FrozenFeatures.DEFAULT_BUDGET_BYTES);
    }

    /** As {@link #from(int, UnaryOperator)}, keeping at most {@code cacheBytes} of frozen-layer outputs. */
    public HebbianNetworkTraining from(int first, UnaryOperator<NDArray> below, long cacheBytes) {
        this.first = first;
        this.below = below;
        this.frozen = new FrozenFeatures(below, cacheBytes, train, validation, normalization, manager);
        return this;
    }

    /**
     * A greedy schedule: layer {@code first} learns alone for {@code perLayer} epochs, then the next on
     * the frozen ones below, and so on; the classifier learns with the top hidden layer. The training
     * must be given {@link #greedyEpochs} epochs in all. Call after {@link #from}. Returns this.
     */
    public HebbianNetworkTraining greedy(int perLayer) {
        if (perLayer < 1) {
            throw new IllegalArgumentException("epochs per layer must be >= 1, got " + perLayer);
        }
        if (epochs != greedyEpochs(perLayer, network.depth(), first)) {
            throw new IllegalArgumentException("a greedy schedule of " + perLayer + " epoch(s) per layer for layers " + first
                    + ".." + (network.depth() - 1) + " takes " + greedyEpochs(perLayer, network.depth(), first)
                    + " epochs, this training has " + epochs);
        }
        this.epochsPerLayer = perLayer;
        return this;
    }

    /** Epochs of a greedy schedule: {@code perLayer} for each hidden layer {@code first..depth-1}. */
    public static int greedyEpochs(int perLayer, int depth, int first) {
        return perLayer * Math.max(1, depth - first);
    }

    /** The layer that learns in epoch {@code epoch} (0-based) of a greedy schedule. */
    public int learningLayer(int epoch) {
        return Math.min(first + epoch / epochsPerLayer, network.depth() - 1);
    }

    /** Freezes every layer but the one learning in {@code epoch} (and the classifier, with the top hidden layer). */
    private void freezeFor(int epoch) {
        int learning = learningLayer(epoch);
        int depth = network.depth();
        for (int l = first; l < depth; l++) {
            network.setFrozen(l, l != learning);
        }
        network.setFrozen(depth, learning != depth - 1);
    }

    /** Only epochs in which the classifier learns: before, its validation accuracy says nothing. */
    @Override
    public boolean selectable(int epoch) {
        return epochsPerLayer == 0 || learningLayer(epoch) == network.depth() - 1;
    }

    /** Images run through the frozen layers below so far (0 when training from layer 1). */
    public long frozenImagesComputed() {
        return frozen == null ? 0 : frozen.computedImages();
    }

    /** The input of layer {@code first} for a batch of {@code set}: the images, or the frozen layers' output. */
    private NDArray input(Batch b, ImageSet set) {
        return first == 1 ? b.images() : frozen.apply(b, set);
    }

    /** The SHC's scores for images (through the frozen layers below, if any). */
    public NDArray scores(NDArray images) {
        return top(below.apply(images));
    }

    /** The SHC's scores from the input of layer {@code first}. */
    private NDArray top(NDArray input) {
        int depth = network.depth();
        return network.forward(input, first, depth).get(depth - first);
    }

    @Override
    public void trainEpoch(int epoch, int fromBatch, java.util.function.IntConsumer afterBatch) {
        BatchIterator batches = BatchIterator.of(train, normalization, BatchOptions.training(batchSize, shuffleSeed),
                epoch, manager);
        int total = batches.batchCount();
        long seen = 0;
        long correct = 0;
        int step = fromBatch; // the batches before were trained before a resume
        boolean greedy = epochsPerLayer > 0;
        int learning = greedy ? learningLayer(epoch) : 0;
        boolean classifierLearns = !greedy || learning == network.depth() - 1;
        if (greedy) {
            freezeFor(epoch);
        }
        String name = label + " epoch " + (epoch + 1) + "/" + epochs + (greedy ? " (layer " + learning + ")" : "");
        try (ProgressBar bar = Progress.bar(name, total)) {
            bar.stepTo(fromBatch);
            for (Batch b : batches.skip(fromBatch)) {
                try (b) {
                    network.setProgress(progress(epoch, step / (double) total));
                    if (classifierLearns) {
                        NDArray scores = network.train(input(b, train), first, b.labels(), lr);
                        correct += Accuracy.correct(scores, b.labels(), 1);
                    } else { // nothing above the learning layer needs to run
                        network.trainHidden(input(b, train), first, learning, lr);
                    }
                    seen += b.size();
                }
                step++;
                bar.step();
                if (classifierLearns) {
                    bar.setExtraMessage(String.format(" train acc %.1f%%", 100.0 * correct / seen));
                }
                afterBatch.accept(step);
            }
        }
    }

    /** Training progress in [0, 1] for rules with schedules: of the whole run, or of the learning layer's epochs. */
    private double progress(int epoch, double withinEpoch) {
        if (epochsPerLayer == 0) {
            return (epoch + withinEpoch) / epochs;
        }
        return (epoch % epochsPerLayer + withinEpoch) / epochsPerLayer;
    }

    @Override
    public double validate() {
        return Evaluation.accuracyOfBatches(manager, validation, normalization, b -> top(input(b, validation)), 1);
    }

    @Override
    public void save(Path dir) {
        network.save(dir);
    }

    @Override
    public void load(Path dir) {
        network.load(dir);
    }

    @Override
    public Optional<String> nonFinite() {
        int layer = network.firstNonFiniteLayer();
        if (layer != 0) {
            return Optional.of("layer " + layer + " (" + network.layer(layer).rule().name() + ")" + NOT_FINITE);
        }
        // A rule can blow up while staying finite (HPCA at too high a rate: rows of norm 1e6 within a
        // few batches, accuracy at chance). Sanger weights converge to unit rows, HWTA and SHC weights
        // to means of normalised inputs, so any weight this large means the run has diverged.
        for (int l = 1; l <= network.depth(); l++) {
            float max = network.layer(l).maxAbsWeight();
            if (!(max <= EXPLODED)) {
                return Optional.of(String.format("layer %d (%s) has weights of magnitude %.3g (finite, but far beyond any fixed point of its rule)", l,
                        network.layer(l).rule().name(), max));
            }
        }
        return Optional.empty();
    }
}
