package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hebbcnn.architecture.LayerPlan;
import org.hebbcnn.architecture.LayerSpec;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.nn.Accuracy;
import org.hebbcnn.nn.Dropout;
import org.hebbcnn.nn.Losses;
import org.hebbcnn.nn.Module;
import org.hebbcnn.nn.ModuleFile;
import org.hebbcnn.nn.NesterovSgd;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.NpyArray;

/**
 * A network of a {@link NetworkPlan} trained by backpropagation: the reference's "backprop twin" of
 * the Hebbian network of the same spec (reference notes). Each layer is a {@link BackpropLayer}:
 * conv with bias (the layer's stride and padding) or Linear over the flattened input, the spec's
 * activation and pooling, and its norm after (default) or before. For the paper's {@code tryout}
 * spec, on [B, 3, 32, 32]:
 *
 * <pre>
 *   layer 1  conv 5x5 3 -> 96, ReLU, pool, BN  -> [B, 96, 14, 14]
 *   layer 2  conv 3x3 96 -> 128, ReLU, BN      -> [B, 128, 12, 12]
 *   layer 3  conv 3x3 128 -> 192, ReLU, pool, BN -> [B, 192, 5, 5]
 *   layer 4  conv 3x3 192 -> 256, ReLU, BN     -> [B, 256, 3, 3]
 *   layer 5  Linear(2304, 4096), ReLU, BN1d    -> [B, 4096]
 *   layer 6  dropout 0.5 + Linear(4096, classes) -> [B, classes] (logits)
 * </pre>
 *
 * <b>Norms.</b> {@code batch} and {@code modified} both train as PyTorch's affine batch-norm
 * (trainable gamma and beta, running statistics with momentum 0.1 and unbiased running variance,
 * eps 1e-5): the reference's backprop twin has plain affine batch-norm where the Hebbian network
 * has the modified one. {@code batch-no-affine} is the same without gamma and beta.
 *
 * <p>Training: {@link #trainStep} does one step of {@link NesterovSgd} (momentum 0.9, weight decay
 * added to the gradient of every parameter, biases and batch-norm affine parameters included, as
 * PyTorch's SGD does) on the softmax cross-entropy.
 *
 * <p><b>Layers are addressable</b> (1-based; the classifier is layer {@link #depth()}) for hybrids:
 * {@link #forward(NDArray, int, int, boolean)} runs any range of layers on the input of its first
 * layer, {@link #trainStep(NDArray, int, NDArray)} trains the layers from a given one up,
 * {@link #setTrainable} freezes a layer (no update of its parameters or momentum; its batch-norm runs
 * in eval mode, so its running statistics do not move either, and it drops no units),
 * {@link #resetLayer} re-initialises one, {@link #setParameters} copies weights in (e.g. from a
 * Hebbian layer, whose kernels have the same layout).
 *
 * <p><b>Initialisation</b> is PyTorch's default for {@code nn.Conv2d} and {@code nn.Linear},
 * drawn from {@link SplittableRandom}, never the engine's generator: layer l uses the stream
 * {@code seed * 31 + l}, weights first (in C order, the same values a {@code HebbianLayer} of that
 * shape draws from that seed), then biases. Same seed, bit-identical initial weights.
 *
 * <p><b>Dropout</b> is on a layer's input in training: the spec's {@code dropout}, or when it is
 * null 0, except on the classifier, which takes {@link #setDropout} (paper: 0.5). Masks come from
 * {@link Dropout}: mask number n of the network's seed, n counting every training forward through
 * the classifier and through any other layer with a rate above 0; the counter is saved, so a resumed
 * run draws the masks the uninterrupted run would have drawn.
 *
 * <p><b>Files</b> ({@link #save}, {@link #load}): one {@code .npz} ({@link ModuleFile}) with every
 * parameter (named as the reference's PyTorch {@code state_dict}: conv1.weight ... fc6.bias,
 * bn1.running_mean ...), every momentum buffer ({@code momentum.<name>}), and the seed, dropout
 * counter, step count, learning rate and weight decay ({@code meta.*}); written atomically. Training
 * continued after {@code load} is bit-identical to training never interrupted. Trainable flags are
 * not saved.
 *
 * <p>Native memory: parameters live in a sub-manager of the constructor's manager, closed by
 * {@link #close}; every call works in a sub-manager of its input's manager that is closed before it
 * returns, and returned arrays belong to the input's manager.
 */
public final class BackpropNetwork implements AutoCloseable {
    public static final float DROPOUT = 0.5f;
    public static final float BN_EPS = BackpropLayer.BN_EPS;
    /** PyTorch's convention: running = (1 - momentum) running + momentum batch. */
    public static final float BN_MOMENTUM = BackpropLayer.BN_MOMENTUM;
    public static final int FORMAT_VERSION = 1;

    private final NDManager manager;
    private final NetworkPlan plan;
    private final List<BackpropLayer> layers = new ArrayList<>();
    private final List<Module> modules = new ArrayList<>();
    private NesterovSgd sgd = new NesterovSgd(1e-3f, 0f);
    private float dropout = DROPOUT;
    private long seed;
    private long dropoutDraws;
    private long steps;
    private long lastStepCorrect;

    /**
     * A fresh network of {@code plan}'s layers; learning rate 1e-3 and weight decay 0 until set.
     *
     * @param seed model seed (weights and dropout masks)
     */
    public BackpropNetwork(NDManager parent, NetworkPlan plan, long seed) {
        this.manager = parent.newSubManager();
        this.plan = plan;
        this.seed = seed;
        for (LayerPlan p : plan.layers()) {
            BackpropLayer layer = new BackpropLayer(manager, p);
            layer.initialise(seed);
            layers.add(layer);
            modules.add(layer.module);
        }
    }

    static long layerSeed(long seed, int layer) {
        return seed * 31 + layer; // as HebbianNetwork, so both twins start from the same kernels
    }

    // =====================================================================================
    // forward and training

    /**
     * The outputs of every layer ([B, C, H, W] for conv layers, [B, O] for dense ones) and the logits
     * [B, classes]. In training mode the batch-norm of trainable layers uses batch statistics and
     * moves its running statistics, and trainable layers drop units; no gradient is recorded.
     * Otherwise everything runs in eval mode.
     */
    public NDList forward(NDArray x, boolean training) {
        return forward(x, 1, depth(), training);
    }

    /**
     * Runs layers {@code first..last} (1-based) on {@code input}, the input of layer {@code first}
     * (the images for layer 1, else the output of layer first - 1; a dense layer also takes its
     * input flattened, [B, C*H*W]). Returns the outputs of layers first..last.
     */
    public NDList forward(NDArray input, int first, int last, boolean training) {
        checkRange(first, last);
        checkInput(input, first);
        NDManager caller = input.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attachAll(scope, input, null);
            NDList outputs = new NDList();
            run(input, first, last, training, outputs);
            NDList result = new NDList();
            for (NDArray out : outputs) {
                out.attach(caller);
                result.add(out);
            }
            return result;
        }
    }

    /** The logits [B, classes] in eval mode. */
    public NDArray scores(NDArray x) {
        checkInput(x, 1);
        NDManager caller = x.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attachAll(scope, x, null);
            NDArray out = run(x, 1, depth(), false, null);
            out.attach(caller);
            return out;
        }
    }

    /**
     * One SGD step on a batch of images [B, C, H, W] with labels [B]: forward in training mode,
     * softmax cross-entropy, backward, Nesterov update of every trainable layer. Returns the batch's
     * mean loss (before the update, without the L2 term).
     */
    public float trainStep(NDArray x, NDArray labels) {
        return trainStep(x, 1, labels);
    }

    /**
     * As {@link #trainStep(NDArray, NDArray)} from the input of layer {@code first}: only layers
     * first..depth take part (and are updated if trainable); the input gets no gradient.
     */
    public float trainStep(NDArray input, int first, NDArray labels) {
        checkRange(first, depth());
        checkInput(input, first);
        List<Module> taking = modules.subList(first - 1, depth());
        if (taking.stream().noneMatch(Module::trainable)) {
            throw new IllegalStateException("layers " + first + "-" + depth() + " are all frozen: nothing to train");
        }
        NDManager caller = input.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attachAll(scope, input, labels);
            float loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray logits = run(input, first, depth(), true, null);
                NDArray lossArray = Losses.softmaxCrossEntropy(logits, labels);
                loss = lossArray.getFloat();
                lastStepCorrect = Accuracy.top1(logits, labels);
                collector.backward(lossArray);
            }
            for (Module m : taking) {
                m.step(sgd);
            }
            steps++;
            return loss;
        }
    }

    /** How many samples of the last {@link #trainStep} batch the training-mode logits got right (top-1). */
    public long lastStepCorrect() {
        return lastStepCorrect;
    }

    /** Runs layers first..last; collects every layer's output in {@code outputs} when not null; returns the last. */
    private NDArray run(NDArray input, int first, int last, boolean training, NDList outputs) {
        NDArray h = input;
        for (int l = first; l <= last; l++) {
            BackpropLayer layer = layers.get(l - 1);
            boolean learn = training && layer.module.trainable();
            float rate = dropoutRate(layer.spec);
            if (learn && (rate > 0f || layer.spec.isClassifier())) {
                h = Dropout.apply(h, rate, seed, dropoutDraws++);
            }
            h = layer.forward(h, learn);
            if (outputs != null) {
                outputs.add(h);
            }
        }
        return h;
    }

    private float dropoutRate(LayerSpec spec) {
        if (spec.dropout() != null) {
            return spec.dropout().floatValue();
        }
        return spec.isClassifier() ? dropout : 0f;
    }

    private void attachAll(NDManager scope, NDArray input, NDArray labels) {
        input.tempAttach(scope);
        if (labels != null) {
            labels.tempAttach(scope);
        }
        for (Module m : modules) {
            m.attach(scope);
        }
    }

    private void checkRange(int first, int last) {
        if (first < 1 || last > depth() || first > last) {
            throw new IllegalArgumentException("layers must satisfy 1 <= first <= last <= " + depth() + ", got " + first
                    + ".." + last);
        }
    }

    private void checkInput(NDArray input, int first) {
        Shape s = input.getShape();
        BackpropLayer layer = layers.get(first - 1);
        if (!layer.accepts(s) || s.get(0) < 1) {
            long[] in = layer.plan.input();
            String flat = layer.plan.dense() || in[1] * in[2] == 1 ? " or [B, " + in[0] * in[1] * in[2] + "]" : "";
            throw new IllegalArgumentException("layer " + first + " takes [B, " + in[0] + ", " + in[1] + ", " + in[2] + "]"
                    + flat + ", got " + s);
        }
        if (input.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("input must be float32, got " + input.getDataType());
        }
    }

    // =====================================================================================
    // settings

    public void setLearningRate(float lr) {
        sgd.setLearningRate(lr);
    }

    public float learningRate() {
        return sgd.learningRate();
    }

    public void setWeightDecay(float wd) {
        sgd.setWeightDecay(wd);
    }

    public float weightDecay() {
        return sgd.weightDecay();
    }

    /** Momentum of the Nesterov SGD (paper: 0.9). */
    public void setMomentum(float momentum) {
        sgd = sgd.withMomentum(momentum);
    }

    /** Dropout rate on the classifier's input when its spec gives none (paper: 0.5). */
    public void setDropout(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + rate);
        }
        dropout = rate;
    }

    /** A frozen layer (1-based) gets no update, and its batch-norm and dropout run in eval mode. */
    public void setTrainable(int layer, boolean trainable) {
        layer(layer).module.setTrainable(trainable);
    }

    public boolean isTrainable(int layer) {
        return layer(layer).module.trainable();
    }

    /** Layers, classifier included. */
    public int depth() {
        return layers.size();
    }

    public NetworkPlan plan() {
        return plan;
    }

    public int classes() {
        return plan.classes();
    }

    public long seed() {
        return seed;
    }

    /** Training steps done (counted across save and load). */
    public long steps() {
        return steps;
    }

    /**
     * The live weight of a layer: [O, C, kh, kw] for conv layers, [O, inputs] for dense ones and the
     * classifier. Owned by the network: read it, do not close it.
     */
    public NDArray weight(int layer) {
        return layer(layer).weight.value();
    }

    /** The live bias [O] of a layer. */
    public NDArray bias(int layer) {
        return layer(layer).bias.value();
    }

    /**
     * The live batch-norm arrays of a layer with an affine norm, in the order gamma, beta, running
     * mean, running variance.
     */
    public NDList batchNorm(int layer) {
        BackpropLayer l = layer(layer);
        if (!l.hasAffineNorm()) {
            throw new IllegalArgumentException("layer " + layer + " has no affine batch-norm");
        }
        return new NDList(l.gamma(), l.beta(), l.runningMean(), l.runningVar());
    }

    /**
     * Copies weights (any shape with the layer's number of elements, e.g. a Hebbian layer-5 kernel
     * [4096, 256, 3, 3]) and a bias (null: zeros) into a layer. Momentum and batch-norm are kept.
     */
    public void setParameters(int layer, NDArray weight, NDArray bias) {
        BackpropLayer l = layer(layer);
        NDArray w = l.weight.value();
        NDArray b = l.bias.value();
        if (weight.getShape().size() != w.getShape().size() || weight.getShape().get(0) != w.getShape().get(0)) {
            throw new IllegalArgumentException("weights " + weight.getShape() + " do not fit layer " + layer + "'s "
                    + w.getShape());
        }
        if (bias != null && !bias.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException("bias " + bias.getShape() + " does not fit layer " + layer + "'s "
                    + b.getShape());
        }
        Djl.assign(w, weight.toType(DataType.FLOAT32, false).toFloatArray());
        Djl.assign(b, bias == null ? new float[Math.toIntExact(b.size())] : bias.toType(DataType.FLOAT32, false).toFloatArray());
    }

    /** Re-initialises one layer as a fresh network with {@code seed} would have it, momentum zero. */
    public void resetLayer(int layer, long seed) {
        layer(layer).initialise(seed);
    }

    /** Sets every momentum buffer to zero (e.g. when a loaded base network starts a new training). */
    public void clearMomentum() {
        modules.forEach(Module::clearMomentum);
    }

    private BackpropLayer layer(int layer) {
        if (layer < 1 || layer > depth()) {
            throw new IllegalArgumentException("layers are numbered 1-" + depth() + ", got " + layer);
        }
        return layers.get(layer - 1);
    }

    // =====================================================================================
    // files

    /** Writes the whole training state to one {@code .npz} file, atomically. */
    public void save(Path file) {
        Map<String, NpyArray> meta = new LinkedHashMap<>();
        meta.put("meta.version", ModuleFile.scalar(FORMAT_VERSION));
        meta.put("meta.classes", ModuleFile.scalar(classes()));
        meta.put("meta.seed", ModuleFile.scalar(seed));
        meta.put("meta.dropout_draws", ModuleFile.scalar(dropoutDraws));
        meta.put("meta.steps", ModuleFile.scalar(steps));
        meta.put("meta.learning_rate", ModuleFile.scalar(sgd.learningRate()));
        meta.put("meta.weight_decay", ModuleFile.scalar(sgd.weightDecay()));
        ModuleFile.write(file, meta, modules);
    }

    /**
     * Restores what {@link #save} wrote: parameters, statistics, momentum, seed, dropout counter,
     * step count, learning rate and weight decay. A file for another number of classes or with a
     * missing or misshapen array raises {@link InputError} naming the file; nothing is changed then.
     */
    public void load(Path file) {
        ModuleFile in = ModuleFile.read(file, "backprop network");
        in.checkVersion(FORMAT_VERSION);
        long fileClasses = in.longScalar("meta.classes");
        if (fileClasses != classes()) {
            throw new InputError(file + ": a network for " + fileClasses + " classes, this one has " + classes());
        }
        Runnable restore = in.restorer(modules);
        long fileSeed = in.longScalar("meta.seed");
        long draws = in.longScalar("meta.dropout_draws");
        long fileSteps = in.longScalar("meta.steps");
        float lr = in.floatScalar("meta.learning_rate");
        float wd = in.floatScalar("meta.weight_decay");
        restore.run();
        seed = fileSeed;
        dropoutDraws = draws;
        steps = fileSteps;
        sgd.setLearningRate(lr);
        sgd.setWeightDecay(wd);
    }

    // =====================================================================================
    // checks

    /** Whether every parameter, statistic and momentum buffer is finite. */
    public boolean parametersFinite() {
        return firstNonFiniteLayer() == 0;
    }

    /** The first layer (1-based) with a NaN or infinite array, or 0. */
    public int firstNonFiniteLayer() {
        for (int l = 1; l <= depth(); l++) {
            if (!modules.get(l - 1).finite()) {
                return l;
            }
        }
        return 0;
    }

    @Override
    public void close() {
        manager.close();
    }
}
