package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.features.FeatureBatch;
import org.hebbcnn.features.FeatureBatches;
import org.hebbcnn.features.FeatureSource;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.nn.Accuracy;
import org.hebbcnn.rules.Chl;
import org.hebbcnn.rules.Shc;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.Progress;

/**
 * Linear probes on every layer of a frozen network (reference notes, "Linear probes"): for each
 * layer l = 1..5, a {@link LinearProbe} (dropout 0.5, the baseline's schedule, L2 5e-4), an SHC
 * probe (the SHC rule, constant lr) and a CHL probe ({@link Chl}, constant lr; not in the paper) on
 * the flattened batch-norm output. All fifteen probes learn from the same batches, so the frozen
 * network runs once per batch rather than once per probe.
 *
 * <p>Model selection is per probe: after every epoch each probe is scored on the validation and
 * the test set and the scores are kept in the history (saved with each checkpoint); a probe's
 * result is its test accuracy at its own best validation epoch. The test scores are never used
 * to choose anything.
 *
 * <p>Where the features come from is a {@link FeatureSource}: the frozen network run on every batch
 * (the default), or a {@link org.hebbcnn.features.FeatureStore} that ran it once per image
 * ({@link #readFeaturesFrom}). Both serve the same batches in the same order, so the probes' steps
 * and dropout masks are the same.
 */
public final class ProbeTraining implements CheckpointedTraining.Model {
    public static final List<String> KINDS = List.of("sgd", "shc", "chl");
    /** The CHL probes' learning rate unless {@link #configureChl} sets another. */
    public static final double CHL_LR = 1e-2;
    private static final String HISTORY = "probe-history.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The frozen network: images to the outputs of every probed layer (maps or flat). */
    @FunctionalInterface
    public interface Features {
        NDList apply(NDArray images);
    }

    /**
     * Scores of all probes after one epoch, indexed by {@link #index(String, int)}; top-5 is NaN
     * when there are fewer than 5 classes.
     */
    public record EpochScores(int epoch, double[] validationTop1, double[] validationTop5, double[] testTop1,
            double[] testTop5) {}

    /** One probe's outcome: its best validation epoch (1-based) and the scores of that epoch. */
    public record Result(String kind, int layer, int bestEpoch, double validation, double testTop1, double testTop5) {}

    private final NDManager manager;
    private final Features features;
    /** Probed layers 1..layers: every layer below the classifier. */
    private final int layers;
    private final int classes;
    private final ImageSet train;
    private final ImageSet validation;
    private final ImageSet test;
    private final Normalization normalization;
    private final int batchSize;
    private final LearningRateSchedule schedule;
    private final float shcLearningRate;
    private final long shuffleSeed;
    private final int epochs;
    private final String label;
    private final List<LinearProbe> sgd = new ArrayList<>();
    private final List<HebbianLayer> shc = new ArrayList<>();
    private final List<HebbianLayer> chl = new ArrayList<>();
    private float chlLearningRate = (float) CHL_LR;
    private List<EpochScores> history = new ArrayList<>();
    private FeatureSource source;
    /** The network's number of each probed layer (1..layers unless {@link #numberLayers} says otherwise). */
    private int[] numbers;
    private boolean validationSeen;

    /**
     * @param layerFeatures flattened output size of each probed layer 1..n (see
     *                      {@code NetworkPlan#features}); {@code features} must give n outputs
     */
    public ProbeTraining(NDManager manager, Features features, long[] layerFeatures, int classes, ImageSet train, ImageSet validation,
            ImageSet test, Normalization normalization, int batchSize, LearningRateSchedule schedule,
            float shcLearningRate, long seed, int epochs, String label) {
        this.manager = manager;
        this.features = features;
        this.layers = layerFeatures.length;
        this.classes = classes;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.normalization = normalization;
        this.batchSize = batchSize;
        this.schedule = schedule;
        this.shcLearningRate = shcLearningRate;
        this.shuffleSeed = seed;
        this.epochs = epochs;
        this.label = label;
        for (int l = 1; l <= layers; l++) {
            long f = layerFeatures[l - 1];
            sgd.add(new LinearProbe(manager, f, classes, seed * 31 + l));
            shc.add(new HebbianLayer(manager, new Shape(classes, f, 1, 1), new Shc(), seed * 31 + 10 + l));
            chl.add(new HebbianLayer(manager, new Shape(classes, f, 1, 1), new Chl(), seed * 31 + 20 + l));
        }
        numbers = java.util.stream.IntStream.rangeClosed(1, layers).toArray();
    }

    /**
     * The network's numbers of the probed layers, when they are not all of 1..n (a protocol probing
     * only the top layer): results then carry these numbers. Returns this.
     */
    public ProbeTraining numberLayers(int... layerNumbers) {
        if (layerNumbers.length != layers) {
            throw new IllegalArgumentException(layers + " probed layers, " + layerNumbers.length + " numbers");
        }
        numbers = layerNumbers.clone();
        return this;
    }

    /**
     * The validation images are among the training images (a readout trained on both, reported at
     * its last epoch): the log then says so beside each epoch's validation figure. Returns this.
     */
    public ProbeTraining validationSeenInTraining() {
        validationSeen = true;
        return this;
    }

    @Override
    public String formatValidation(double validation) {
        String figure = CheckpointedTraining.Model.super.formatValidation(validation);
        return validationSeen ? figure + " (images it trains on, not selected on)" : figure;
    }

    /** The SGD probes train with Adam (L2 {@code weightDecay}) and this dropout instead of Nesterov SGD. */
    public void configureAdam(float weightDecay, float dropout) {
        for (LinearProbe p : sgd) {
            p.useAdam(weightDecay);
            p.setDropout(dropout);
        }
    }

    /** L2, momentum and dropout of the SGD probes (defaults: the paper's 5e-4, 0.9, 0.5). */
    public void configureSgd(float weightDecay, float momentum, float dropout) {
        for (LinearProbe p : sgd) {
            p.setWeightDecay(weightDecay);
            p.setMomentum(momentum);
            p.setDropout(dropout);
        }
    }

    /** The CHL probes' learning rate (default {@link #CHL_LR}). */
    public void configureChl(float learningRate) {
        this.chlLearningRate = learningRate;
    }

    /** The number of probed layers. */
    public int layers() {
        return layers;
    }

    /** Reads the features from {@code source} (e.g. a feature store) instead of running the network per batch. */
    public ProbeTraining readFeaturesFrom(FeatureSource source) {
        this.source = source;
        return this;
    }

    private FeatureSource source() {
        if (source == null) {
            source = FeatureSource.live(normalization, features::apply);
        }
        return source;
    }

    /** Position of the probe on the {@code layer}-th probed layer (1-based) in the score arrays. */
    public int index(String kind, int layer) {
        return index(kind, layer, layers);
    }

    /** Position of a probe in the score arrays of {@code layers} probed layers. */
    public static int index(String kind, int layer, int layers) {
        int k = KINDS.indexOf(kind);
        if (k < 0 || layer < 1 || layer > layers) {
            throw new IllegalArgumentException("no probe " + kind + " on layer " + layer);
        }
        return k * layers + layer - 1;
    }

    @Override
    public void trainEpoch(int epoch) {
        float lr = schedule.at(epoch + 1);
        for (LinearProbe p : sgd) {
            p.setLearningRate(lr);
        }
        FeatureBatches batches = source().batches(train, BatchOptions.training(batchSize, shuffleSeed), epoch, manager);
        long seen = 0;
        long[] correct = new long[layers];
        try (ProgressBar bar = Progress.bar(label + " epoch " + (epoch + 1) + "/" + epochs, batches.batchCount())) {
            for (FeatureBatch b : batches) {
                try (b) {
                    NDList f = b.features();
                    NDArray teacher = b.labels().oneHot(classes).toType(DataType.FLOAT32, false);
                    for (int l = 0; l < layers; l++) {
                        NDArray x = flat(f.get(l));
                        sgd.get(l).trainStep(x, b.labels());
                        NDArray map = x.reshape(x.getShape().get(0), -1, 1, 1);
                        NDArray s = shc.get(l).train(map, teacher, shcLearningRate);
                        chl.get(l).train(map, teacher, chlLearningRate);
                        correct[l] += Accuracy.correct(s.reshape(s.getShape().get(0), classes), b.labels(), 1);
                    }
                    seen += b.size();
                }
                bar.step();
                StringBuilder msg = new StringBuilder(" SHC train acc");
                for (long c : correct) {
                    msg.append(String.format(" %.1f", 100.0 * c / seen));
                }
                bar.setExtraMessage(msg.toString());
            }
        }
    }

    private static NDArray flat(NDArray x) {
        return x.getShape().dimension() == 2 ? x : x.reshape(x.getShape().get(0), -1);
    }

    /** Scores every probe on the validation and test sets; returns the SGD probes' mean validation top-1. */
    @Override
    public double validate() {
        double[][] v = score(validation);
        double[][] t = score(test);
        history.add(new EpochScores(history.size() + 1, v[0], v[1], t[0], t[1]));
        double sum = 0;
        for (int l = 1; l <= layers; l++) {
            sum += v[0][index("sgd", l)];
        }
        return sum / layers;
    }

    /** Top-1 and top-5 accuracy (in [0,1]) of every probe on one set. */
    private double[][] score(ImageSet set) {
        int n = KINDS.size() * layers;
        long[] top1 = new long[n];
        long[] top5 = new long[n];
        for (FeatureBatch b : source().batches(set, BatchOptions.evaluation(Evaluation.BATCH), 0, manager)) {
            try (b) {
                NDList f = b.features();
                for (int l = 1; l <= layers; l++) {
                    NDArray x = flat(f.get(l - 1));
                    NDArray s1 = sgd.get(l - 1).scores(x);
                    NDArray map = x.reshape(x.getShape().get(0), -1, 1, 1);
                    NDArray s2 = shc.get(l - 1).forward(map).reshape(x.getShape().get(0), classes);
                    NDArray s3 = chl.get(l - 1).forward(map).reshape(x.getShape().get(0), classes);
                    count(s1, b.labels(), index("sgd", l), top1, top5);
                    count(s2, b.labels(), index("shc", l), top1, top5);
                    count(s3, b.labels(), index("chl", l), top1, top5);
                }
            }
        }
        double[][] out = new double[2][n];
        for (int i = 0; i < n; i++) {
            out[0][i] = top1[i] / (double) set.size();
            out[1][i] = classes >= 5 ? top5[i] / (double) set.size() : Double.NaN;
        }
        return out;
    }

    private void count(NDArray scores, NDArray labels, int i, long[] top1, long[] top5) {
        if (classes >= 5) {
            long[] c = Accuracy.correct(scores, labels, 1, 5);
            top1[i] += c[0];
            top5[i] += c[1];
        } else {
            top1[i] += Accuracy.correct(scores, labels, 1);
        }
    }

    /** Every epoch's scores so far. */
    public List<EpochScores> history() {
        return List.copyOf(history);
    }

    /**
     * The outcome of probe {@code kind} on {@code layer}: the epoch with the best validation accuracy
     * in top-{@code selectionTopK} (the earliest on ties) and its scores.
     */
    public Result result(String kind, int layer, int selectionTopK) {
        Result r = select(history, kind, position(layer), selectionTopK);
        return new Result(r.kind(), layer, r.bestEpoch(), r.validation(), r.testTop1(), r.testTop5());
    }

    /**
     * The outcome of probe {@code kind} on {@code layer} at the last epoch trained, with no selection:
     * for a readout that trained on its validation images too, whose validation score (NaN here)
     * would measure nothing.
     */
    public Result lastResult(String kind, int layer) {
        if (history.isEmpty()) {
            throw new IllegalStateException("no probe epoch has been scored yet");
        }
        EpochScores last = history.get(history.size() - 1);
        int i = index(kind, position(layer));
        return new Result(kind, layer, last.epoch(), Double.NaN, last.testTop1()[i], last.testTop5()[i]);
    }

    /** 1-based position of the network's layer {@code layer} among the probed ones. */
    private int position(int layer) {
        return java.util.stream.IntStream.range(0, layers).filter(i -> numbers[i] == layer).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("layer " + layer + " is not probed")) + 1;
    }

    /** The network's numbers of the probed layers. */
    public int[] layerNumbers() {
        return numbers.clone();
    }

    /** {@link #result} over a given history (also usable on a history read back from disk). */
    public static Result select(List<EpochScores> history, String kind, int layer, int selectionTopK) {
        if (history.isEmpty()) {
            throw new IllegalStateException("no probe epoch has been scored yet");
        }
        int i = index(kind, layer, history.get(0).validationTop1().length / KINDS.size());
        EpochScores best = null;
        for (EpochScores e : history) {
            double v = selectionTopK == 5 ? e.validationTop5()[i] : e.validationTop1()[i];
            double b = best == null ? Double.NEGATIVE_INFINITY
                    : selectionTopK == 5 ? best.validationTop5()[i] : best.validationTop1()[i];
            if (v > b) {
                best = e;
            }
        }
        if (best == null) {
            best = history.get(0);
        }
        double v = selectionTopK == 5 ? best.validationTop5()[i] : best.validationTop1()[i];
        return new Result(kind, layer, best.epoch(), v, best.testTop1()[i], best.testTop5()[i]);
    }

    @Override
    public void save(Path dir) {
        for (int l = 1; l <= layers; l++) {
            sgd.get(l - 1).save(dir.resolve("sgd-layer" + l + ".npz"));
            shc.get(l - 1).saveWeights(dir.resolve("shc-layer" + l + ".npy"));
            chl.get(l - 1).saveWeights(dir.resolve("chl-layer" + l + ".npy"));
        }
        try {
            AtomicFiles.writeString(dir.resolve(HISTORY), JSON.writeValueAsString(history));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void load(Path dir) {
        for (int l = 1; l <= layers; l++) {
            sgd.get(l - 1).load(dir.resolve("sgd-layer" + l + ".npz"));
            shc.get(l - 1).loadWeights(dir.resolve("shc-layer" + l + ".npy"));
            chl.get(l - 1).loadWeights(dir.resolve("chl-layer" + l + ".npy"));
        }
        try {
            history = new ArrayList<>(List.of(JSON.readValue(dir.resolve(HISTORY).toFile(), EpochScores[].class)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<String> nonFinite() {
        for (int l = 1; l <= layers; l++) {
            if (!sgd.get(l - 1).parametersFinite()) {
                return Optional.of("the SGD probe on layer " + l + HebbianNetworkTraining.NOT_FINITE);
            }
            if (!shc.get(l - 1).weightsFinite()) {
                return Optional.of("the SHC probe on layer " + l + HebbianNetworkTraining.NOT_FINITE);
            }
            if (!chl.get(l - 1).weightsFinite()) {
                return Optional.of("the CHL probe on layer " + l + HebbianNetworkTraining.NOT_FINITE);
            }
        }
        return Optional.empty();
    }
}
