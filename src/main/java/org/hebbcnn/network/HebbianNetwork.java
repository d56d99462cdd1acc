package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hebbcnn.architecture.LayerPlan;
import org.hebbcnn.architecture.LayerSpec;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.layers.BatchNorm;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.layers.LayerOps;
import org.hebbcnn.rules.PlasticityRule;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.rules.Shc;
import org.hebbcnn.util.InputError;

/**
 * A network of Hebbian layers built from a {@link NetworkPlan}: each layer below the classifier
 * learns by its own rule and passes on the spec's activation, pooling and normalisation
 * ({@code batch} and {@code batch-no-affine}: batch-norm without affine parameters, nothing here
 * learns them; {@code modified}: the paper's modified batch-norm); the classifier learns by a rule
 * with a teacher (SHC). With the {@code tryout} preset this is the paper's network (reference notes,
 * "Network"). All layers learn together on every batch (the reference's schedule), each from the
 * output of the layer below as it was before this batch's update to that layer.
 *
 * <p>Layer outputs are maps [B, C, H, W], except a dense layer's, which is flat [B, O]; a layer
 * given a flat input reads it as a map [B, C, 1, 1]. Layers are numbered 1..depth, the classifier
 * last; layer l is initialised from seed * 31 + l.
 */
public final class HebbianNetwork implements AutoCloseable {
    private final NDManager manager;
    private final NetworkPlan plan;
    private final List<HebbianLayer> layers = new ArrayList<>();
    /** Per layer below the classifier; null where the spec has no norm. */
    private final List<BatchNorm> norms = new ArrayList<>();
    /** Per layer: its learning rate (the spec's {@code lr}), or NaN for the network's. */
    private final float[] ownLr;
    private final boolean[] frozen;
    private final String ruleName;

    /**
     * @param rules a fresh rule for each layer's spec, the classifier's included (rules keep per-layer state)
     * @param seed  model seed
     */
    public HebbianNetwork(NDManager parent, NetworkPlan plan, Function<LayerSpec, PlasticityRule> rules, long seed) {
        this.manager = parent.newSubManager();
        this.plan = plan;
        int depth = plan.depth();
        this.ownLr = new float[depth];
        this.frozen = new boolean[depth];
        String name = null;
        for (LayerPlan p : plan.layers()) {
            LayerSpec l = p.spec();
            String where = "network " + plan.spec().name() + ": layer " + l.number();
            if (l.stride() != 1) {
                throw new InputError(where + ": 'stride' must be 1 in a Hebbian network (its rules learn from every patch)");
            }
            PlasticityRule rule;
            try {
                rule = rules.apply(l);
            } catch (InputError e) {
                throw new InputError(where + ": " + e.getMessage());
            }
            if (l.isClassifier() != rule.needsTeacher()) {
                throw new InputError(where + ": 'rule' " + rule.name() + (l.isClassifier()
                        ? " learns without labels; the classifier needs a rule with a teacher (" + String.join(", ", Rules.CLASSIFIERS) + ")"
                        : " needs labels; only the classifier can learn by it"));
            }
            if (!l.isClassifier()) {
                name = name == null ? rule.name() : name;
            }
            layers.add(new HebbianLayer(manager, p, rule, layerSeed(seed, l.number())));
            Object lr = l.ruleSettings().get("lr");
            ownLr[l.number() - 1] = lr == null ? Float.NaN : ((Number) lr).floatValue();
            if (!l.isClassifier()) {
                long channels = l.normBefore() ? p.input()[0] : p.output()[0];
                norms.add(l.norm().equals("none") ? null : new BatchNorm(manager, (int) channels, l.norm().equals("modified")));
            }
        }
        this.ruleName = name;
    }

    /**
     * Every hidden layer learns by a fresh {@code hidden} rule, the classifier by SHC, unless the
     * layer's spec names a rule or settings (then {@link LayerRules} makes it).
     */
    public HebbianNetwork(NDManager parent, NetworkPlan plan, Supplier<PlasticityRule> hidden, long seed) {
        this(parent, plan, l -> {
            if (l.rule() == null && l.ruleSettings().isEmpty()) {
                return l.isClassifier() ? new Shc() : hidden.get();
            }
            return LayerRules.of(l.isClassifier() ? "shc" : hidden.get().name(), Map.of()).apply(l);
        }, seed);
    }

    /** The paper's try-out network for 3x32x32 images, every hidden layer learning by {@code rules}. */
    public HebbianNetwork(NDManager parent, int classes, Supplier<PlasticityRule> rules, long seed) {
        this(parent, NetworkSpec.tryout().plan(new long[] {3, 32, 32}, classes), rules, seed);
    }

    static long layerSeed(long seed, int layer) {
        return seed * 31 + layer;
    }

    /**
     * One batch of learning for every unfrozen layer. Returns the classifier's scores [B, classes].
     */
    public NDArray train(NDArray x, NDArray labels, float lr) {
        return train(x, 1, labels, lr);
    }

    /**
     * As {@link #train(NDArray, NDArray, float)} for layers {@code first..depth} only, from the input
     * of layer {@code first} (for hybrids: the output of frozen layers below, e.g. of a backprop
     * network). Layers below {@code first} are neither run nor changed.
     */
    public NDArray train(NDArray input, int first, NDArray labels, float lr) {
        int depth = depth();
        checkRange(first, depth);
        NDArray teacher = labels.oneHot(plan.classes()).toType(DataType.FLOAT32, false);
        NDArray h = input;
        for (int l = first; l < depth; l++) {
            h = hidden(l, h, true, lr);
        }
        HebbianLayer top = layers.get(depth - 1);
        NDArray in = asMap(h);
        NDArray scores = frozen[depth - 1] ? top.forward(in) : top.train(in, teacher, lr(depth, lr));
        return scores.reshape(scores.getShape().get(0), plan.classes());
    }

    /**
     * One batch through layers {@code first..last} (all below the classifier) only, each learning
     * unless frozen: a greedy schedule's step, where nothing above the learning layer needs to run.
     */
    public void trainHidden(NDArray input, int first, int last, float lr) {
        checkRange(first, last);
        if (last >= depth()) {
            throw new IllegalArgumentException("trainHidden runs layers below the classifier (< " + depth() + "), got " + last);
        }
        NDArray h = input;
        for (int l = first; l <= last; l++) {
            h = hidden(l, h, true, lr);
        }
    }

    /** Layer l (below the classifier) on its input h: norm before, the layer (learning unless frozen), pool, norm after. */
    private NDArray hidden(int l, NDArray h, boolean learning, float lr) {
        LayerSpec spec = plan.layer(l).spec();
        BatchNorm norm = norms.get(l - 1);
        boolean learn = learning && !frozen[l - 1];
        NDArray x = asMap(h);
        if (norm != null && spec.normBefore()) {
            x = norm.forward(x, learn);
        }
        HebbianLayer layer = layers.get(l - 1);
        NDArray y = LayerOps.pool(learn ? layer.train(x, null, lr(l, lr)) : layer.forward(x), spec.pool());
        return norm != null && !spec.normBefore() ? norm.forward(y, learn) : y;
    }

    private float lr(int layer, float networkLr) {
        float own = ownLr[layer - 1];
        return Float.isNaN(own) ? networkLr : own;
    }

    /**
     * The outputs of layers 1..depth-1 (maps, a dense layer's flat) and the classifier's scores
     * [B, classes], without learning (running statistics).
     */
    public NDList forward(NDArray x) {
        return forward(x, 1, depth());
    }

    /** The outputs of layers {@code first..last} from the input of layer {@code first}, without learning. */
    public NDList forward(NDArray input, int first, int last) {
        int depth = depth();
        checkRange(first, last);
        NDList out = new NDList();
        NDArray h = input;
        for (int l = first; l <= Math.min(last, depth - 1); l++) {
            h = hidden(l, h, false, 0f);
            out.add(plan.layer(l).dense() ? h.reshape(h.getShape().get(0), -1) : h);
        }
        if (last == depth) {
            NDArray scores = layers.get(depth - 1).forward(asMap(h));
            out.add(scores.reshape(scores.getShape().get(0), plan.classes()));
        }
        return out;
    }

    /** A flat [B, F] as the map [B, F, 1, 1] a dense kernel or the classifier reads. */
    private static NDArray asMap(NDArray h) {
        return h.getShape().dimension() == 2 ? h.reshape(h.getShape().get(0), -1, 1, 1) : h;
    }

    private void checkRange(int first, int last) {
        if (first < 1 || last > depth() || first > last) {
            throw new IllegalArgumentException("layers must satisfy 1 <= first <= last <= " + depth() + ", got "
                    + first + ".." + last);
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
        checkRange(layer, layer);
        frozen[layer - 1] = isFrozen;
    }

    public HebbianLayer layer(int layer) {
        checkRange(layer, layer);
        return layers.get(layer - 1);
    }

    /** Layer {@code layer}'s norm, or null where the spec has none. */
    public BatchNorm norm(int layer) {
        return norms.get(layer - 1);
    }

    public NetworkPlan plan() {
        return plan;
    }

    /** Layers, classifier included. */
    public int depth() {
        return plan.depth();
    }

    public int classes() {
        return plan.classes();
    }

    /** The rule of the lowest hidden layer (the network's rule unless layers name their own). */
    public String ruleName() {
        return ruleName;
    }

    /** Whether every weight is finite; returns the first layer (1-based) that is not, or 0. */
    public int firstNonFiniteLayer() {
        for (int l = 0; l < layers.size(); l++) {
            if (!layers.get(l).weightsFinite()) {
                return l + 1;
            }
        }
        return 0;
    }

    /**
     * Writes every layer's weights, batch-norm statistics and rule state (hwta's thresholds,
     * {@code layer<l>-state.npy}) into {@code dir} as .npy files.
     */
    public void save(Path dir) {
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).saveWeights(dir.resolve("layer" + (l + 1) + ".npy"));
            layers.get(l).saveState(dir.resolve("layer" + (l + 1) + "-state.npy"));
            if (l < norms.size() && norms.get(l) != null) {
                norms.get(l).save(dir, "bn" + (l + 1));
            }
        }
    }

    /** Reads what {@link #save} wrote; shapes are checked. */
    public void load(Path dir) {
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).loadWeights(dir.resolve("layer" + (l + 1) + ".npy"));
            Path state = dir.resolve("layer" + (l + 1) + "-state.npy");
            if (Files.isRegularFile(state)) {
                layers.get(l).loadState(state);
            }
            if (l < norms.size() && norms.get(l) != null) {
                norms.get(l).load(dir, "bn" + (l + 1));
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
