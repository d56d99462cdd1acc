package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hebbcnn.nn.Adam;
import org.hebbcnn.nn.Dropout;
import org.hebbcnn.nn.Losses;
import org.hebbcnn.nn.Module;
import org.hebbcnn.nn.ModuleFile;
import org.hebbcnn.nn.NesterovSgd;
import org.hebbcnn.nn.Optimizer;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.NpyArray;
import org.hebbcnn.util.UniformInit;

/**
 * A linear classifier on top of frozen features (the paper's "classifier on top of layer l",
 * reference notes, "Linear probes"): features of any shape [B, ...] are flattened without pooling,
 * then dropout 0.5 (training only) and one Linear layer with bias. Trained with
 * {@link NesterovSgd} (momentum 0.9) on the softmax cross-entropy; weight decay 5e-4 and learning
 * rate 1e-3 by default, to be set per epoch from {@link LearningRateSchedule#baseline()}. Or, after
 * {@link #useAdam}, with {@link Adam} (SoftHebb's readout).
 *
 * <p>Initialisation as PyTorch's {@code nn.Linear}: weight and bias uniform in +-1/sqrt(features),
 * weight first, from {@code new SplittableRandom(seed)}. Dropout masks from {@link Dropout} with the
 * same seed and a saved draw counter, so {@link #save}/{@link #load} resume bit-identically. Its
 * arrays are one {@link Module} ({@code fc.weight}, {@code fc.bias} and their momentum).
 */
public final class LinearProbe implements AutoCloseable {
    public static final float DROPOUT = 0.5f;
    public static final float DEFAULT_WEIGHT_DECAY = 5e-4f;
    public static final float DEFAULT_LEARNING_RATE = 1e-3f;
    public static final int FORMAT_VERSION = 1;

    private final NDManager manager;
    private final long features;
    private final int classes;
    private final Module module;
    private final NDArray weight;
    private final NDArray bias;
    private NesterovSgd sgd = new NesterovSgd(DEFAULT_LEARNING_RATE, DEFAULT_WEIGHT_DECAY);
    /** Null unless {@link #useAdam}: then it replaces the SGD. */
    private Adam adam;
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
        module = new Module(manager, "fc");
        weight = module.parameter("fc.weight", new Shape(classes, features)).value();
        bias = module.parameter("fc.bias", new Shape(classes)).value();
        SplittableRandom random = new SplittableRandom(seed);
        float bound = (float) (1.0 / Math.sqrt(features));
        Djl.assign(weight, UniformInit.draw(random, Math.multiplyExact((long) classes, features), bound));
        Djl.assign(bias, UniformInit.draw(random, classes, bound));
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
            module.step(optimizer());
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
        module.attach(scope);
    }

    private Optimizer optimizer() {
        return adam != null ? adam : sgd;
    }

    /**
     * Trains with Adam (PyTorch's betas and eps) instead of Nesterov SGD, with the given L2, from
     * now on; call before the first step or {@link #load}. The second moments join the probe's file.
     */
    public void useAdam(float weightDecay) {
        if (adam == null) {
            adam = new Adam(sgd.learningRate(), weightDecay).attach(module);
        }
    }

    public void setLearningRate(float lr) {
        optimizer().setLearningRate(lr);
    }

    public float learningRate() {
        return optimizer().learningRate();
    }

    public void setWeightDecay(float wd) {
        if (adam != null) {
            throw new IllegalStateException("set Adam's weight decay with useAdam");
        }
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
        return adam != null ? adam.weightDecay() : sgd.weightDecay();
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
        return module.finite();
    }

    /** Writes weights, momentum, seed, dropout counter, step count, learning rate and weight decay (.npz, atomic). */
    public void save(Path file) {
        Map<String, NpyArray> meta = new LinkedHashMap<>();
        meta.put("meta.version", ModuleFile.scalar(FORMAT_VERSION));
        meta.put("meta.features", ModuleFile.scalar(features));
        meta.put("meta.classes", ModuleFile.scalar(classes));
        meta.put("meta.seed", ModuleFile.scalar(seed));
        meta.put("meta.dropout_draws", ModuleFile.scalar(dropoutDraws));
        meta.put("meta.steps", ModuleFile.scalar(steps));
        meta.put("meta.learning_rate", ModuleFile.scalar(learningRate()));
        meta.put("meta.weight_decay", ModuleFile.scalar(weightDecay()));
        if (adam != null) {
            meta.put("meta.adam_steps", ModuleFile.scalar(adam.steps()));
        }
        ModuleFile.write(file, meta, List.of(module));
    }

    /** Restores what {@link #save} wrote; a file for another size raises {@link InputError} naming it, changing nothing. */
    public void load(Path file) {
        ModuleFile in = ModuleFile.read(file, "linear probe");
        in.checkVersion(FORMAT_VERSION);
        long f = in.longScalar("meta.features");
        long c = in.longScalar("meta.classes");
        if (f != features || c != classes) {
            throw new InputError(file + ": a probe for " + f + " features and " + c + " classes, this one has " + features
                    + " and " + classes);
        }
        if (in.has("meta.adam_steps") != (adam != null)) {
            throw new InputError(file + ": a probe trained by " + (adam != null ? "SGD" : "Adam") + ", this one trains by "
                    + (adam != null ? "Adam" : "SGD"));
        }
        Runnable restore = in.restorer(List.of(module));
        long fileSeed = in.longScalar("meta.seed");
        long draws = in.longScalar("meta.dropout_draws");
        long fileSteps = in.longScalar("meta.steps");
        float lr = in.floatScalar("meta.learning_rate");
        float wd = in.floatScalar("meta.weight_decay");
        long adamSteps = adam == null ? 0 : in.longScalar("meta.adam_steps");
        restore.run();
        seed = fileSeed;
        dropoutDraws = draws;
        steps = fileSteps;
        optimizer().setLearningRate(lr);
        if (adam != null) {
            adam.setSteps(adamSteps);
        } else {
            sgd.setWeightDecay(wd);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
