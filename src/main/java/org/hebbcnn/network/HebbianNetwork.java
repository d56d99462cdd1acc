package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hebbcnn.layers.BatchNorm;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.layers.TryOutShapes;
import org.hebbcnn.layers.TryOutShapes.LayerShape;
import org.hebbcnn.rules.PlasticityRule;
import org.hebbcnn.rules.Shc;

/**
 * The try-out network trained by Hebbian rules (reference notes, "Network"): layers 1-5 are
 * Hebbian layers with one rule (HPCA or HWTA), each followed by its output function (ReLU, or
 * ReLU of the projection for HWTA), max-pooling after layers 1 and 3, plain batch-norm after
 * layers 1 and 2 and the modified batch-norm after 3, 4 and 5; layer 6 is an SHC classifier.
 * All six layers learn together on every batch (the reference's schedule).
 */
public final class HebbianNetwork implements AutoCloseable {
    public static final int LAYERS = 6;
    private static final boolean[] POOL_AFTER = {true, false, true, false, false};
    private static final boolean[] MODIFIED_NORM = {false, false, true, true, true};

    private final NDManager manager;
    private final List<HebbianLayer> layers = new ArrayList<>();
    private final List<BatchNorm> norms = new ArrayList<>();
    private final int classes;
    private final String ruleName;
    private final boolean[] frozen = new boolean[LAYERS];

    /**
     * @param rules supplies a fresh rule for each of layers 1-5 (rules keep per-layer state)
     * @param seed  model seed; layer l is initialised from seed * 31 + l
     */
    public HebbianNetwork(NDManager parent, int classes, Supplier<PlasticityRule> rules, long seed) {
        this.manager = parent.newSubManager();
        this.classes = classes;
        List<LayerShape> shapes = TryOutShapes.layers(classes);
        String name = null;
        for (int l = 0; l < 5; l++) {
            PlasticityRule rule = rules.get();
            name = rule.name();
            layers.add(new HebbianLayer(manager, shapes.get(l).kernel(), rule, layerSeed(seed, l + 1)));
            norms.add(new BatchNorm(manager, (int) shapes.get(l).kernel().get(0), MODIFIED_NORM[l]));
        }
        layers.add(new HebbianLayer(manager, shapes.get(5).kernel(), new Shc(), layerSeed(seed, 6)));
        this.ruleName = name;
    }

    static long layerSeed(long seed, int layer) {
        return seed * 31 + layer;
    }

    /**
     * One batch of learning for every unfrozen layer (each learns from the output of the layer below
     * as it was before this batch's update to that layer). Returns the SHC scores [B, classes].
     */
    public NDArray train(NDArray x, NDArray labels, float lr) {
        return train(x, 1, labels, lr);
    }

    /**
     * As {@link #train(NDArray, NDArray, float)} for layers {@code first..6} only, from the input of
     * layer {@code first} (for hybrids: the output of frozen layers below, e.g. of a backprop
     * network). Layers below {@code first} are neither run nor changed.
     */
    public NDArray train(NDArray input, int first, NDArray labels, float lr) {
        checkRange(first, LAYERS);
        NDArray teacher = labels.oneHot(classes).toType(DataType.FLOAT32, false);
        NDArray h = input;
        for (int l = first - 1; l < 5; l++) {
            HebbianLayer layer = layers.get(l);
            NDArray y = frozen[l] ? layer.forward(h) : layer.train(h, null, lr);
            h = norms.get(l).forward(pool(y, l), !frozen[l]);
        }
        NDArray scores = frozen[5] ? layers.get(5).forward(flatMap(h)) : layers.get(5).train(flatMap(h), teacher, lr);
        return scores.reshape(scores.getShape().get(0), classes);
    }

    /**
     * The batch-norm outputs of layers 1-5 ([B,96,14,14], [B,128,12,12], [B,192,5,5], [B,256,3,3],
     * [B,4096]) and the SHC scores [B, classes], without learning (running statistics).
     */
    public NDList forward(NDArray x) {
        return forward(x, 1, LAYERS);
    }

    /**
     * The outputs of layers {@code first..last} (shapes as in {@link #forward(NDArray)}) from the
     * input of layer {@code first}, without learning.
     */
    public NDList forward(NDArray input, int first, int last) {
        checkRange(first, last);
        NDList out = new NDList();
        NDArray h = input;
        for (int l = first - 1; l < Math.min(last, 5); l++) {
            h = norms.get(l).forward(pool(layers.get(l).forward(h), l), false);
            out.add(l == 4 ? h.reshape(h.getShape().get(0), -1) : h);
        }
        if (last == LAYERS) {
            NDArray scores = layers.get(5).forward(flatMap(h));
            out.add(scores.reshape(scores.getShape().get(0), classes));
        }
        return out;
    }

    private static void checkRange(int first, int last) {
        if (first < 1 || last > LAYERS || first > last) {
            throw new IllegalArgumentException("layers must satisfy 1 <= first <= last <= 6, got " + first + ".." + last);
        }
    }

    /** Training progress in [0, 1] for rules with schedules (the SOM's neighbourhood). */
    public void setProgress(double fraction) {
        for (HebbianLayer layer : layers) {
            layer.rule().setProgress(fraction);
        }
    }

    /** A frozen layer neither learns nor moves its batch-norm statistics. Layers are 1-based. */
    public void setFrozen(int layer, boolean isFrozen) {
        frozen[layer - 1] = isFrozen;
    }

    private static NDArray pool(NDArray y, int l) {
        return POOL_AFTER[l] ? Pool.maxPool2d(y, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false) : y;
    }

    /** Layer 5's output [B, 4096, 1, 1] as the SHC's input map. */
    private static NDArray flatMap(NDArray h) {
        return h.reshape(h.getShape().get(0), -1, 1, 1);
    }

    public HebbianLayer layer(int layer) {
        return layers.get(layer - 1);
    }

    public BatchNorm norm(int layer) {
        return norms.get(layer - 1);
    }

    public int classes() {
        return classes;
    }

    public String ruleName() {
        return ruleName;
    }

    /** Whether every weight is finite; returns the first layer (1-based) that is not, or 0. */
    public int firstNonFiniteLayer() {
        for (int l = 0; l < LAYERS; l++) {
            if (!layers.get(l).weightsFinite()) {
                return l + 1;
            }
        }
        return 0;
    }

    /** Writes every layer's weights and batch-norm statistics into {@code dir} as .npy files. */
    public void save(Path dir) {
        for (int l = 0; l < LAYERS; l++) {
            layers.get(l).saveWeights(dir.resolve("layer" + (l + 1) + ".npy"));
            if (l < 5) {
                norms.get(l).save(dir, "bn" + (l + 1));
            }
        }
    }

    /** Reads what {@link #save} wrote; shapes are checked. */
    public void load(Path dir) {
        for (int l = 0; l < LAYERS; l++) {
            layers.get(l).loadWeights(dir.resolve("layer" + (l + 1) + ".npy"));
            if (l < 5) {
                norms.get(l).load(dir, "bn" + (l + 1));
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
