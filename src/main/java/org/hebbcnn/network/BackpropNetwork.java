package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hebbcnn.util.Djl;
import org.hebbcnn.training.Accuracy;
import org.hebbcnn.training.Dropout;
import org.hebbcnn.training.Losses;
import org.hebbcnn.training.NesterovSgd;
import org.hebbcnn.training.NpzFile;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.UniformInit;
import org.hebbcnn.util.Npy;
import org.hebbcnn.util.NpyArray;

/**
 * The paper's six-layer try-out network trained by backpropagation: the reference's "backprop
 * twin" (reference notes). Per block: convolution with bias, stride 1, no padding -> ReLU ->
 * [2x2 max-pool] -> batch-norm with PyTorch's semantics (trainable affine gamma and beta, running
 * statistics with momentum 0.1 and unbiased running variance, eps 1e-5):
 *
 * <pre>
 *   layer 1  conv 5x5 3 -> 96, pool      -> [B, 96, 14, 14]
 *   layer 2  conv 3x3 96 -> 128          -> [B, 128, 12, 12]
 *   layer 3  conv 3x3 128 -> 192, pool   -> [B, 192, 5, 5]
 *   layer 4  conv 3x3 192 -> 256         -> [B, 256, 3, 3]
 *   layer 5  Linear(2304, 4096) + ReLU + BatchNorm1d -> [B, 4096]
 *   layer 6  dropout 0.5 + Linear(4096, classes)     -> [B, classes] (logits)
 * </pre>
 *
 * Input: [B, 3, 32, 32]. Training: {@link #trainStep} does one step of {@link NesterovSgd} (momentum
 * 0.9, weight decay added to the gradient of every parameter, biases and batch-norm affine
 * parameters included, as PyTorch's SGD does) on the softmax cross-entropy.
 *
 * <p><b>Layers are addressable</b> for hybrids: {@link #forward(NDArray, int, int, boolean)} runs
 * any range of layers on the input of its first layer (e.g. Hebbian features of layer 3 into
 * backprop layers 4-6), {@link #trainStep(NDArray, int, NDArray)} trains the layers from a given
 * one up, {@link #setTrainable} freezes a layer (no update of its parameters or momentum; its
 * batch-norm runs in eval mode, so its running statistics do not move either; a frozen layer 6
 * also drops no units), {@link #resetLayer} re-initialises one, {@link #setParameters} copies
 * weights in (e.g. from a Hebbian layer, whose kernels have the same layout).
 *
 * <p><b>Initialisation</b> is PyTorch's default for {@code nn.Conv2d} and {@code nn.Linear}
 * ({@code kaiming_uniform_(a=sqrt(5))}, which is exactly uniform in +-1/sqrt(fan_in), and biases
 * uniform in +-1/sqrt(fan_in)), drawn from {@link SplittableRandom}, never the engine's generator:
 * layer l uses the stream {@code seed * 31 + l}, weights first (in C order, the same values a
 * {@code HebbianLayer} of that shape draws from that seed), then biases. Batch-norm: gamma 1, beta
 * 0, running mean 0, running variance 1. Same seed, bit-identical initial weights.
 *
 * <p><b>Dropout</b> masks come from {@link Dropout}: mask number n of the network's seed, n
 * counting every training forward through layer 6; the counter is saved, so a resumed run draws
 * the masks the uninterrupted run would have drawn. The engine's random generator is never used.
 *
 * <p><b>Files</b> ({@link #save}, {@link #load}): one {@code .npz} with every parameter (named as
 * the reference's PyTorch {@code state_dict}: conv1.weight ... fc6.bias, bn1.running_mean ...),
 * every momentum buffer ({@code momentum.<name>}), and the seed, dropout counter, step count,
 * learning rate and weight decay ({@code meta.*}); written atomically. Training continued after
 * {@code load} is bit-identical to training never interrupted. Trainable flags are not saved.
 *
 * <p>Native memory: parameters live in a sub-manager of the constructor's manager, closed by
 * {@link #close}; every call works in a sub-manager of its input's manager that is closed before it
 * returns, and returned arrays belong to the input's manager.
 */
public final class BackpropNetwork implements AutoCloseable {
    public static final int LAYERS = 6;
    public static final float DROPOUT = 0.5f;
    public static final float BN_EPS = 1e-5f;
    /** PyTorch's convention: running = (1 - momentum) running + momentum batch. */
    public static final float BN_MOMENTUM = 0.1f;
    public static final int FORMAT_VERSION = 1;

    private static final Shape UNIT = new Shape(1, 1);
    private static final Shape NO_PADDING = new Shape(0, 0);
    private static final Shape POOL = new Shape(2, 2);
    /** The input of each layer, per sample. */
    private static final Shape[] INPUTS = {new Shape(3, 32, 32), new Shape(96, 14, 14), new Shape(128, 12, 12),
        new Shape(192, 5, 5), new Shape(256, 3, 3), new Shape(4096)};

    private final NDManager manager;
    private final int classes;
    private final Layer[] layers = new Layer[LAYERS];
    private NesterovSgd sgd = new NesterovSgd(1e-3f, 0f);
    private float dropout = DROPOUT;
    private long seed;
    private long dropoutDraws;
    private long steps;
    private long lastStepCorrect;

    /**
     * A fresh network; learning rate 1e-3 and weight decay 0 until set.
     *
     * @param seed model seed (weights and dropout masks)
     */
    public BackpropNetwork(NDManager parent, int classes, long seed) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        this.manager = parent.newSubManager();
        this.classes = classes;
        this.seed = seed;
        layers[0] = new Layer(1, new Shape(96, 3, 5, 5), true);
        layers[1] = new Layer(2, new Shape(128, 96, 3, 3), false);
        layers[2] = new Layer(3, new Shape(192, 128, 3, 3), true);
        layers[3] = new Layer(4, new Shape(256, 192, 3, 3), false);
        layers[4] = new Layer(5, new Shape(4096, 2304), false);
        layers[5] = new Layer(6, new Shape(classes, 4096), false);
        for (Layer layer : layers) {
            layer.initialise(seed);
        }
    }

    static long layerSeed(long seed, int layer) {
        return seed * 31 + layer; // as HebbianNetwork, so both twins start from the same kernels
    }

    // =====================================================================================
    // forward and training

    /**
     * The batch-norm outputs of layers 1-5 ([B,96,14,14], [B,128,12,12], [B,192,5,5], [B,256,3,3],
     * [B,4096]) and the logits [B, classes]. In training mode the batch-norm of trainable layers uses
     * batch statistics and moves its running statistics, and dropout is applied before layer 6 (if
     * trainable); no gradient is recorded. Otherwise everything runs in eval mode.
     */
    public NDList forward(NDArray x, boolean training) {
        return forward(x, 1, LAYERS, training);
    }

    /**
     * Runs layers {@code first..last} (1-based) on {@code input}, the input of layer {@code first}
     * (the images for layer 1, else the output of layer first - 1; layer 5 also takes [B, 2304]).
     * Returns the outputs of layers first..last.
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
            NDArray out = run(x, 1, LAYERS, false, null);
            out.attach(caller);
            return out;
        }
    }

    /**
     * One SGD step on a batch of images [B, 3, 32, 32] with labels [B]: forward in training mode,
     * softmax cross-entropy, backward, Nesterov update of every trainable layer. Returns the batch's
     * mean loss (before the update, without the L2 term).
     */
    public float trainStep(NDArray x, NDArray labels) {
        return trainStep(x, 1, labels);
    }

    /**
     * As {@link #trainStep(NDArray, NDArray)} from the input of layer {@code first}: only layers
     * first..6 take part (and are updated if trainable); the input gets no gradient.
     */
    public float trainStep(NDArray input, int first, NDArray labels) {
        checkRange(first, LAYERS);
        checkInput(input, first);
        boolean any = false;
        for (int l = first; l <= LAYERS; l++) {
            any |= layers[l - 1].trainable;
        }
        if (!any) {
            throw new IllegalStateException("layers " + first + "-" + LAYERS + " are all frozen: nothing to train");
        }
        NDManager caller = input.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attachAll(scope, input, labels);
            float loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray logits = run(input, first, LAYERS, true, null);
                NDArray lossArray = Losses.softmaxCrossEntropy(logits, labels);
                loss = lossArray.getFloat();
                lastStepCorrect = Accuracy.top1(logits, labels);
                collector.backward(lossArray);
            }
            for (int l = first; l <= LAYERS; l++) {
                Layer layer = layers[l - 1];
                if (layer.trainable) {
                    List<NDArray> params = layer.parameters();
                    List<NDArray> velocities = layer.velocities();
                    for (int i = 0; i < params.size(); i++) {
                        sgd.step(params.get(i), velocities.get(i));
                    }
                }
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
            h = layers[l - 1].forward(h, training);
            if (outputs != null) {
                outputs.add(h);
            }
        }
        return h;
    }

    private void attachAll(NDManager scope, NDArray input, NDArray labels) {
        input.tempAttach(scope);
        if (labels != null) {
            labels.tempAttach(scope);
        }
        for (Layer layer : layers) {
            for (NDArray a : layer.allArrays()) {
                a.tempAttach(scope);
            }
        }
    }

    private static void checkRange(int first, int last) {
        if (first < 1 || last > LAYERS || first > last) {
            throw new IllegalArgumentException("layers must satisfy 1 <= first <= last <= 6, got " + first + ".." + last);
        }
    }

    private static void checkInput(NDArray input, int first) {
        Shape s = input.getShape();
        Shape expected = INPUTS[first - 1];
        boolean ok = s.dimension() == expected.dimension() + 1 && s.slice(1).equals(expected);
        if (first == 5 && s.dimension() == 2 && s.get(1) == expected.size()) {
            ok = true;
        }
        if (!ok || s.get(0) < 1) {
            throw new IllegalArgumentException("layer " + first + " takes [B, " + expected.toString().replaceAll("[()]", "")
                    + "], got " + s);
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

    /** Dropout rate before layer 6 (paper: 0.5). */
    public void setDropout(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + rate);
        }
        dropout = rate;
    }

    /** A frozen layer (1-based) gets no update, and its batch-norm and dropout run in eval mode. */
    public void setTrainable(int layer, boolean trainable) {
        layer(layer).setTrainable(trainable);
    }

    public boolean isTrainable(int layer) {
        return layer(layer).trainable;
    }

    public int classes() {
        return classes;
    }

    public long seed() {
        return seed;
    }

    /** Training steps done (counted across save and load). */
    public long steps() {
        return steps;
    }

    /**
     * The live weight of a layer: [O, C, kh, kw] for layers 1-4, [O, inputs] for 5 and 6. Owned by
     * the network: read it, do not close it.
     */
    public NDArray weight(int layer) {
        return layer(layer).weight;
    }

    /** The live bias [O] of a layer. */
    public NDArray bias(int layer) {
        return layer(layer).bias;
    }

    /**
     * The live batch-norm arrays of layers 1-5, in the order gamma, beta, running mean, running
     * variance.
     */
    public NDList batchNorm(int layer) {
        Layer l = layer(layer);
        if (l.gamma == null) {
            throw new IllegalArgumentException("layer " + layer + " has no batch-norm");
        }
        return new NDList(l.gamma, l.beta, l.runningMean, l.runningVar);
    }

    /**
     * Copies weights (any shape with the layer's number of elements, e.g. a Hebbian layer-5 kernel
     * [4096, 256, 3, 3]) and a bias (null: zeros) into a layer. Momentum and batch-norm are kept.
     */
    public void setParameters(int layer, NDArray weight, NDArray bias) {
        Layer l = layer(layer);
        if (weight.getShape().size() != l.weight.getShape().size()
                || weight.getShape().get(0) != l.weight.getShape().get(0)) {
            throw new IllegalArgumentException("weights " + weight.getShape() + " do not fit layer " + layer + "'s "
                    + l.weight.getShape());
        }
        if (bias != null && !bias.getShape().equals(l.bias.getShape())) {
            throw new IllegalArgumentException("bias " + bias.getShape() + " does not fit layer " + layer + "'s "
                    + l.bias.getShape());
        }
        Djl.assign(l.weight, weight.toType(DataType.FLOAT32, false).toFloatArray());
        Djl.assign(l.bias, bias == null ? new float[(int) l.bias.getShape().size()] : bias.toType(DataType.FLOAT32, false).toFloatArray());
    }

    /** Re-initialises one layer as a fresh network with {@code seed} would have it, momentum zero. */
    public void resetLayer(int layer, long seed) {
        layer(layer).initialise(seed);
    }

    /** Sets every momentum buffer to zero (e.g. when a loaded base network starts a new training). */
    public void clearMomentum() {
        for (Layer layer : layers) {
            for (NDArray v : layer.velocities()) {
                Djl.assign(v, new float[(int) v.getShape().size()]);
            }
        }
    }

    private Layer layer(int layer) {
        if (layer < 1 || layer > LAYERS) {
            throw new IllegalArgumentException("layers are numbered 1-" + LAYERS + ", got " + layer);
        }
        return layers[layer - 1];
    }

    // =====================================================================================
    // files

    /** Writes the whole training state to one {@code .npz} file, atomically. */
    public void save(Path file) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("meta.version", NpyArray.of(new long[] {FORMAT_VERSION}, new long[] {1}));
        arrays.put("meta.classes", NpyArray.of(new long[] {classes}, new long[] {1}));
        arrays.put("meta.seed", NpyArray.of(new long[] {seed}, new long[] {1}));
        arrays.put("meta.dropout_draws", NpyArray.of(new long[] {dropoutDraws}, new long[] {1}));
        arrays.put("meta.steps", NpyArray.of(new long[] {steps}, new long[] {1}));
        arrays.put("meta.learning_rate", NpyArray.of(new float[] {sgd.learningRate()}, new long[] {1}));
        arrays.put("meta.weight_decay", NpyArray.of(new float[] {sgd.weightDecay()}, new long[] {1}));
        for (Layer layer : layers) {
            for (Map.Entry<String, NDArray> e : layer.named().entrySet()) {
                arrays.put(e.getKey(), NpyArray.of(e.getValue()));
            }
        }
        NpzFile.write(file, arrays);
    }

    /**
     * Restores what {@link #save} wrote: parameters, statistics, momentum, seed, dropout counter,
     * step count, learning rate and weight decay. A file for another number of classes or with a
     * missing or misshapen array raises {@link InputError} naming the file; nothing is changed then.
     */
    public void load(Path file) {
        Map<String, NpyArray> arrays = NpzFile.read(file);
        long version = NpzFile.longScalar(file, arrays, "meta.version", "network");
        if (version != FORMAT_VERSION) {
            throw new InputError(file + ": backprop network file version " + version + ", expected " + FORMAT_VERSION);
        }
        long fileClasses = NpzFile.longScalar(file, arrays, "meta.classes", "network");
        if (fileClasses != classes) {
            throw new InputError(file + ": a network for " + fileClasses + " classes, this one has " + classes);
        }
        List<Runnable> copies = new ArrayList<>();
        for (Layer layer : layers) {
            for (Map.Entry<String, NDArray> e : layer.named().entrySet()) {
                NpyArray a = arrays.get(e.getKey());
                NDArray target = e.getValue();
                if (a == null) {
                    throw new InputError(file + ": no array '" + e.getKey() + "' (not a backprop network file?)");
                }
                if (a.dtype() != Npy.Dtype.FLOAT32 || !java.util.Arrays.equals(a.shape(), target.getShape().getShape())) {
                    throw new InputError(file + ": '" + e.getKey() + "' is " + a.dtype().descr() + " "
                            + Npy.shapeRepr(a.shape()) + ", this network needs <f4 " + Npy.shapeRepr(target.getShape().getShape()));
                }
                copies.add(() -> Djl.assign(target, a.toFloatArray()));
            }
        }
        long fileSeed = NpzFile.longScalar(file, arrays, "meta.seed", "network");
        long draws = NpzFile.longScalar(file, arrays, "meta.dropout_draws", "network");
        long fileSteps = NpzFile.longScalar(file, arrays, "meta.steps", "network");
        float lr = NpzFile.floatScalar(file, arrays, "meta.learning_rate", "network");
        float wd = NpzFile.floatScalar(file, arrays, "meta.weight_decay", "network");
        copies.forEach(Runnable::run);
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
        try (NDManager scope = manager.newSubManager()) {
            for (Layer layer : layers) {
                for (NDArray a : layer.allArrays()) {
                    a.tempAttach(scope);
                    if (a.isNaN().any().getBoolean() || a.isInfinite().any().getBoolean()) {
                        return layer.number;
                    }
                }
            }
        }
        return 0;
    }

    @Override
    public void close() {
        manager.close();
    }

    // =====================================================================================

    /** One layer: its parameters, batch-norm state, momentum buffers and trainable flag. */
    private final class Layer {
        final int number;
        final Shape weightShape;
        final boolean convolutional;
        final boolean pooled;
        final NDArray weight;
        final NDArray bias;
        final NDArray gamma;
        final NDArray beta;
        final NDArray runningMean;
        final NDArray runningVar;
        final List<NDArray> velocities = new ArrayList<>();
        boolean trainable = true;

        Layer(int number, Shape weightShape, boolean pooled) {
            this.number = number;
            this.weightShape = weightShape;
            this.convolutional = weightShape.dimension() == 4;
            this.pooled = pooled;
            long out = weightShape.get(0);
            weight = manager.zeros(weightShape);
            bias = manager.zeros(new Shape(out));
            if (number < LAYERS) {
                gamma = manager.ones(new Shape(out));
                beta = manager.zeros(new Shape(out));
                runningMean = manager.zeros(new Shape(out));
                runningVar = manager.ones(new Shape(out));
            } else {
                gamma = null;
                beta = null;
                runningMean = null;
                runningVar = null;
            }
            for (NDArray p : parameters()) {
                velocities.add(manager.zeros(p.getShape()));
                p.setRequiresGradient(true);
            }
        }

        /** Weights and biases as PyTorch's default init (see the class comment), batch-norm reset, momentum zero. */
        void initialise(long modelSeed) {
            SplittableRandom random = new SplittableRandom(layerSeed(modelSeed, number));
            long fanIn = weightShape.size() / weightShape.get(0);
            float bound = (float) (1.0 / Math.sqrt(fanIn));
            Djl.assign(weight, UniformInit.draw(random, (int) weightShape.size(), bound));
            Djl.assign(bias, UniformInit.draw(random, (int) weightShape.get(0), bound));
            if (gamma != null) {
                int n = (int) weightShape.get(0);
                float[] ones = new float[n];
                java.util.Arrays.fill(ones, 1f);
                Djl.assign(gamma, ones);
                Djl.assign(beta, new float[n]);
                Djl.assign(runningMean, new float[n]);
                Djl.assign(runningVar, ones);
            }
            for (NDArray v : velocities) {
                Djl.assign(v, new float[(int) v.getShape().size()]);
            }
        }

        NDArray forward(NDArray h, boolean training) {
            boolean learn = training && trainable;
            if (number == LAYERS) {
                NDArray in = learn ? Dropout.apply(h, dropout, seed, dropoutDraws++) : h;
                return Linear.linear(in, weight, bias).singletonOrThrow();
            }
            NDArray y;
            if (convolutional) {
                y = Conv2d.conv2d(h, weight, bias, UNIT, NO_PADDING, UNIT, 1).singletonOrThrow();
            } else {
                NDArray flat = h.getShape().dimension() == 2 ? h : h.reshape(h.getShape().get(0), -1);
                y = Linear.linear(flat, weight, bias).singletonOrThrow();
            }
            y = Activation.relu(y);
            if (pooled) {
                y = Pool.maxPool2d(y, POOL, POOL, NO_PADDING, false);
            }
            // DJL's functional batch-norm takes MXNet's momentum convention (weight of the old running value).
            return BatchNorm.batchNorm(y, runningMean, runningVar, gamma, beta, 1, 1f - BN_MOMENTUM, BN_EPS, learn)
                    .singletonOrThrow();
        }

        void setTrainable(boolean value) {
            trainable = value;
            for (NDArray p : parameters()) {
                p.setRequiresGradient(value);
            }
        }

        List<NDArray> parameters() {
            List<NDArray> p = new ArrayList<>(List.of(weight, bias));
            if (gamma != null) {
                p.add(gamma);
                p.add(beta);
            }
            return p;
        }

        List<NDArray> velocities() {
            return velocities;
        }

        List<NDArray> allArrays() {
            List<NDArray> all = new ArrayList<>(parameters());
            if (runningMean != null) {
                all.add(runningMean);
                all.add(runningVar);
            }
            all.addAll(velocities);
            return all;
        }

        /** Every array under the reference's state_dict name, momentum buffers as momentum.NAME. */
        Map<String, NDArray> named() {
            String core = (number <= 4 ? "conv" : "fc") + number;
            String bn = "bn" + number;
            Map<String, NDArray> m = new LinkedHashMap<>();
            m.put(core + ".weight", weight);
            m.put(core + ".bias", bias);
            if (gamma != null) {
                m.put(bn + ".weight", gamma);
                m.put(bn + ".bias", beta);
                m.put(bn + ".running_mean", runningMean);
                m.put(bn + ".running_var", runningVar);
            }
            List<String> names = new ArrayList<>(List.of(core + ".weight", core + ".bias"));
            if (gamma != null) {
                names.add(bn + ".weight");
                names.add(bn + ".bias");
            }
            for (int i = 0; i < names.size(); i++) {
                m.put("momentum." + names.get(i), velocities.get(i));
            }
            return m;
        }
    }
}
