package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.UniformInit;
import org.hebbcnn.util.Npy;
import org.hebbcnn.util.NpyArray;

/**
 * A linear classifier on top of frozen features (the paper's "classifier on top of layer l",
 * reference notes, "Linear probes"): features of any shape [B, ...] are flattened without pooling,
 * then dropout 0.5 (training only) and one Linear layer with bias. Trained with
 * {@link NesterovSgd} (momentum 0.9) on the softmax cross-entropy; weight decay 5e-4 and learning
 * rate 1e-3 by default, to be set per epoch from {@link LearningRateSchedule#baseline()}.
 *
 * <p>Initialisation as PyTorch's {@code nn.Linear}: weight and bias uniform in +-1/sqrt(features),
 * weight first, from {@code new SplittableRandom(seed)}. Dropout masks from {@link Dropout} with the
 * same seed and a saved draw counter, so {@link #save}/{@link #load} resume bit-identically.
 */
public final class LinearProbe implements AutoCloseable {
    public static final float DROPOUT = 0.5f;
    public static final float DEFAULT_WEIGHT_DECAY = 5e-4f;
    public static final float DEFAULT_LEARNING_RATE = 1e-3f;
    public static final int FORMAT_VERSION = 1;

    private final NDManager manager;
    private final long features;
    private final int classes;
    private final NDArray weight;
    private final NDArray bias;
    private final NDArray weightVelocity;
    private final NDArray biasVelocity;
    private NesterovSgd sgd = new NesterovSgd(DEFAULT_LEARNING_RATE, DEFAULT_WEIGHT_DECAY);
    private float dropout = DROPOUT;
    private long seed;
    private long dropoutDraws;
    private long steps;

    /**
     * @param features number of input values per sample (e.g. 18816 for layer 1's 96x14x14)
     */
    public LinearProbe(NDManager parent, long features, int classes, long seed) {
        if (features < 1 || classes < 1) {
            throw new IllegalArgumentException("features and classes must be >= 1, got " + features + ", " + classes);
        }
        this.manager = parent.newSubManager();
        this.features = features;
        this.classes = classes;
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        float bound = (float) (1.0 / Math.sqrt(features));
        weight = manager.create(UniformInit.draw(random, Math.multiplyExact((long) classes, features), bound), new Shape(classes, features));
        bias = manager.create(UniformInit.draw(random, classes, bound), new Shape(classes));
        weightVelocity = manager.zeros(weight.getShape());
        biasVelocity = manager.zeros(bias.getShape());
        weight.setRequiresGradient(true);
        bias.setRequiresGradient(true);
    }

    /** One SGD step on features [B, ...] (B x features values) with labels [B]; returns the mean loss. */
    public float trainStep(NDArray input, NDArray labels) {
        NDManager caller = input.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attach(scope, input, labels);
            float loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray x = Dropout.apply(flatten(input), dropout, seed, dropoutDraws++);
                NDArray logits = Linear.linear(x, weight, bias).singletonOrThrow();
                NDArray lossArray = Losses.softmaxCrossEntropy(logits, labels);
                loss = lossArray.getFloat();
                collector.backward(lossArray);
            }
            sgd.step(weight, weightVelocity);
            sgd.step(bias, biasVelocity);
            steps++;
            return loss;
        }
    }

    /** Class scores [B, classes] in eval mode (no dropout). The result belongs to the input's manager. */
    public NDArray scores(NDArray input) {
        NDManager caller = input.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attach(scope, input, null);
            NDArray out = Linear.linear(flatten(input), weight, bias).singletonOrThrow();
            out.attach(caller);
            return out;
        }
    }

    private NDArray flatten(NDArray input) {
        Shape s = input.getShape();
        if (s.dimension() < 2 || s.size() / s.get(0) != features || input.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("probe takes float32 [B, ...] with " + features + " values per sample, got "
                    + input.getDataType() + " " + s);
        }
        return s.dimension() == 2 ? input : input.reshape(s.get(0), features);
    }

    private void attach(NDManager scope, NDArray input, NDArray labels) {
        input.tempAttach(scope);
        if (labels != null) {
            labels.tempAttach(scope);
        }
        for (NDArray a : new NDArray[] {weight, bias, weightVelocity, biasVelocity}) {
            a.tempAttach(scope);
        }
    }

    public void setLearningRate(float lr) {
        sgd.setLearningRate(lr);
    }

    public float learningRate() {
        return sgd.learningRate();
    }

    public void setWeightDecay(float wd) {
        sgd.setWeightDecay(wd);
    }

    /** Momentum of the Nesterov SGD (paper: 0.9). */
    public void setMomentum(float momentum) {
        sgd = sgd.withMomentum(momentum);
    }

    /** Dropout rate on the features (paper: 0.5). */
    public void setDropout(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + rate);
        }
        dropout = rate;
    }

    public float weightDecay() {
        return sgd.weightDecay();
    }

    public long features() {
        return features;
    }

    public int classes() {
        return classes;
    }

    public long steps() {
        return steps;
    }

    /** The live weight [classes, features]; owned by the probe. */
    public NDArray weight() {
        return weight;
    }

    /** The live bias [classes]; owned by the probe. */
    public NDArray bias() {
        return bias;
    }

    /** Whether the weights, biases and momentum buffers are all finite. */
    public boolean parametersFinite() {
        try (NDManager scope = manager.newSubManager()) {
            for (NDArray a : new NDArray[] {weight, bias, weightVelocity, biasVelocity}) {
                a.tempAttach(scope);
                if (a.isNaN().any().getBoolean() || a.isInfinite().any().getBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Writes weights, momentum, seed, dropout counter, step count, learning rate and weight decay (.npz, atomic). */
    public void save(Path file) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("meta.version", NpyArray.of(new long[] {FORMAT_VERSION}, new long[] {1}));
        arrays.put("meta.features", NpyArray.of(new long[] {features}, new long[] {1}));
        arrays.put("meta.classes", NpyArray.of(new long[] {classes}, new long[] {1}));
        arrays.put("meta.seed", NpyArray.of(new long[] {seed}, new long[] {1}));
        arrays.put("meta.dropout_draws", NpyArray.of(new long[] {dropoutDraws}, new long[] {1}));
        arrays.put("meta.steps", NpyArray.of(new long[] {steps}, new long[] {1}));
        arrays.put("meta.learning_rate", NpyArray.of(new float[] {sgd.learningRate()}, new long[] {1}));
        arrays.put("meta.weight_decay", NpyArray.of(new float[] {sgd.weightDecay()}, new long[] {1}));
        arrays.put("fc.weight", NpyArray.of(weight));
        arrays.put("fc.bias", NpyArray.of(bias));
        arrays.put("momentum.fc.weight", NpyArray.of(weightVelocity));
        arrays.put("momentum.fc.bias", NpyArray.of(biasVelocity));
        NpzFile.write(file, arrays);
    }

    /** Restores what {@link #save} wrote; a file for another size raises {@link InputError} naming it, changing nothing. */
    public void load(Path file) {
        Map<String, NpyArray> arrays = NpzFile.read(file);
        long version = NpzFile.longScalar(file, arrays, "meta.version", "linear probe");
        if (version != FORMAT_VERSION) {
            throw new InputError(file + ": linear probe file version " + version + ", expected " + FORMAT_VERSION);
        }
        long f = NpzFile.longScalar(file, arrays, "meta.features", "linear probe");
        long c = NpzFile.longScalar(file, arrays, "meta.classes", "linear probe");
        if (f != features || c != classes) {
            throw new InputError(file + ": a probe for " + f + " features and " + c + " classes, this one has " + features
                    + " and " + classes);
        }
        Map<String, NDArray> targets = new LinkedHashMap<>();
        targets.put("fc.weight", weight);
        targets.put("fc.bias", bias);
        targets.put("momentum.fc.weight", weightVelocity);
        targets.put("momentum.fc.bias", biasVelocity);
        for (Map.Entry<String, NDArray> e : targets.entrySet()) {
            NpyArray a = arrays.get(e.getKey());
            if (a == null || a.dtype() != Npy.Dtype.FLOAT32
                    || !java.util.Arrays.equals(a.shape(), e.getValue().getShape().getShape())) {
                throw new InputError(file + ": missing or misshapen '" + e.getKey() + "' (expected <f4 "
                        + Npy.shapeRepr(e.getValue().getShape().getShape()) + ")");
            }
        }
        long fileSeed = NpzFile.longScalar(file, arrays, "meta.seed", "linear probe");
        long draws = NpzFile.longScalar(file, arrays, "meta.dropout_draws", "linear probe");
        long fileSteps = NpzFile.longScalar(file, arrays, "meta.steps", "linear probe");
        float lr = NpzFile.floatScalar(file, arrays, "meta.learning_rate", "linear probe");
        float wd = NpzFile.floatScalar(file, arrays, "meta.weight_decay", "linear probe");
        for (Map.Entry<String, NDArray> e : targets.entrySet()) {
            Djl.assign(e.getValue(), arrays.get(e.getKey()).toFloatArray());
        }
        seed = fileSeed;
        dropoutDraws = draws;
        steps = fileSteps;
        sgd.setLearningRate(lr);
        sgd.setWeightDecay(wd);
    }

    @Override
    public void close() {
        manager.close();
    }
}
