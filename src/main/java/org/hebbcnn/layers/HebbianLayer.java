package org.hebbcnn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.hebbcnn.architecture.LayerPlan;
import org.hebbcnn.architecture.LayerSpec;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.rules.OutputFunction;
import org.hebbcnn.rules.PlasticityRule;
import org.hebbcnn.rules.RuleInput;
import org.hebbcnn.tensors.PatchOps;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.UniformInit;
import org.hebbcnn.util.Npy;

/**
 * A convolution trained by a local plasticity rule: no bias, stride 1. A fully connected layer is
 * the same thing with a kernel that covers the whole input map ({@link #fullyConnected}); it then
 * runs as matrix products. A layer built from a {@link LayerPlan} pads its input as the spec says
 * (the rule then learns from the padded patches) and passes on the spec's activation of the rule's
 * signal: the pre-activation s, or its projection s / ||w|| for rules whose output is projected
 * (HWTA); {@code relu} of either is exactly the rule's default output.
 * A spec's {@code pruning} holds a fixed random share of the weights at zero ({@link Pruning}), and
 * its {@code unitNorm} rescales each neuron's weights to norm 1 at initialisation and after every
 * update, after the pruning (Miconi's normalisation).
 *
 * <p>Training computes the pre-activation once and shares it between the output and the update.
 * Temporaries live in a sub-manager closed at the end of each call, so native memory is freed
 * deterministically; returned arrays belong to the input's manager.
 */
public final class HebbianLayer implements AutoCloseable {
    private final NDManager manager;
    private final PlasticityRule rule;
    private final OutputFunction output;
    private final Shape kernelShape;
    /** Null for a layer built from a kernel shape: no padding, the output function alone. */
    private final LayerSpec spec;
    /** The spec's {@code pruning} mask, or null: held on the weights at all times. */
    private final Pruning pruning;
    /** The spec's {@code unitNorm}: every neuron's weights rescaled to norm 1 after each change. */
    private final boolean unitNorm;
    private NDArray weights;

    /**
     * @param kernelShape [O, C, kh, kw]
     * @param output what the layer passes on; null for the rule's default
     * @param seed the rule's initial weights are drawn from this seed (uniform in +-1/sqrt(fan_in) unless the rule says otherwise)
     */
    public HebbianLayer(NDManager parent, Shape kernelShape, PlasticityRule rule, OutputFunction output, long seed) {
        this(parent, kernelShape, null, rule, output, seed);
    }

    /** The layer of a network spec: its kernel, padding and activation from the plan. */
    public HebbianLayer(NDManager parent, LayerPlan plan, PlasticityRule rule, long seed) {
        this(parent, new Shape(plan.kernel()), plan.spec(), rule, null, seed);
    }

    private HebbianLayer(NDManager parent, Shape kernelShape, LayerSpec spec, PlasticityRule rule, OutputFunction output,
            long seed) {
        if (kernelShape.dimension() != 4) {
            throw new IllegalArgumentException("kernel shape must be [O, C, kh, kw], got " + kernelShape);
        }
        this.manager = parent.newSubManager();
        this.rule = rule;
        this.output = output == null ? rule.defaultOutput() : output;
        this.kernelShape = kernelShape;
        this.spec = spec;
        this.weights = manager.create(rule.initialWeights(kernelShape, seed), kernelShape);
        Object p = spec == null ? null : spec.ruleSettings().get(NetworkSpec.PRUNING);
        this.pruning = p == null || ((Number) p).doubleValue() == 0 ? null
                : new Pruning(manager, kernelShape, ((Number) p).doubleValue(), seed);
        this.unitNorm = spec != null && Boolean.TRUE.equals(spec.ruleSettings().get(NetworkSpec.UNIT_NORM));
        constrain();
    }

    /** Pruning, then unit norms, as the spec asks, in place. */
    private void constrain() {
        if (pruning != null) {
            pruning.apply(weights);
        }
        if (unitNorm) {
            try (NDManager scope = manager.newSubManager()) {
                weights.tempAttach(scope);
                long o = kernelShape.get(0);
                NDArray norms = PatchOps.weightNorms(weights).add(1e-10f).reshape(o, 1, 1, 1);
                weights.divi(norms);
            }
        }
    }

    public HebbianLayer(NDManager parent, Shape kernelShape, PlasticityRule rule, long seed) {
        this(parent, kernelShape, rule, null, seed);
    }

    /** A dense layer on inputs [C, H, W]: a convolution whose kernel is the whole H x W map. */
    public static HebbianLayer fullyConnected(NDManager parent, Shape inputShape, int outputs, PlasticityRule rule,
            OutputFunction output, long seed) {
        Shape kernel = new Shape(outputs, inputShape.get(0), inputShape.get(1), inputShape.get(2));
        return new HebbianLayer(parent, kernel, rule, output, seed);
    }


    /** The layer's output for x [B, C, H, W], without learning. */
    public NDArray forward(NDArray x) {
        return run(x, null, 0f, false);
    }

    /** Forward pass plus one plasticity step W <- W + lr * dW; returns the output (computed before the step). */
    public NDArray train(NDArray x, NDArray teacher, float lr) {
        if (rule.needsTeacher() && teacher == null) {
            throw new IllegalArgumentException(rule.name() + " needs a teacher signal to train");
        }
        return run(x, teacher, lr, true);
    }

    /** The weight change this batch would cause, without applying it. */
    public NDArray weightChange(NDArray x, NDArray teacher) {
        NDManager caller = x.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attach(scope, x, teacher);
            NDArray xp = padded(x);
            NDArray dw = rule.weightChange(new RuleInput(xp, weights, PatchOps.conv(xp, weights), teacher));
            if (pruning != null) {
                dw.muli(pruning.mask()); // pruned weights stay at zero: their change is none
            }
            dw.attach(caller);
            return dw;
        }
    }

    private NDArray run(NDArray x, NDArray teacher, float lr, boolean learn) {
        checkInput(x);
        NDManager caller = x.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attach(scope, x, teacher);
            NDArray xp = padded(x);
            NDArray s = PatchOps.conv(xp, weights);
            NDArray out = output(s);
            if (learn) {
                rule.apply(new RuleInput(xp, weights, s, teacher), lr);
                constrain();
            }
            out.attach(caller);
            return out;
        }
    }

    private NDArray padded(NDArray x) {
        return spec == null ? x : LayerOps.pad(x, spec);
    }

    /** What the layer passes on: the output function, or the spec's activation of the rule's signal. */
    private NDArray output(NDArray s) {
        if (spec == null) {
            return output.apply(s, weights);
        }
        boolean projected = output == OutputFunction.RELU_NORMALIZED || output == OutputFunction.NORMALIZED;
        NDArray signal = rule.shiftSignal(projected ? OutputFunction.NORMALIZED.apply(s, weights) : s, weights);
        return spec.activation().equals("none") && signal == s ? s.duplicate() : LayerOps.activate(signal, spec);
    }

    private void attach(NDManager scope, NDArray x, NDArray teacher) {
        x.tempAttach(scope);
        weights.tempAttach(scope);
        if (teacher != null) {
            teacher.tempAttach(scope);
        }
    }

    private void checkInput(NDArray x) {
        Shape s = x.getShape();
        int pad = spec == null ? 0 : 2 * spec.padding();
        if (s.dimension() != 4 || s.get(1) != kernelShape.get(1) || s.get(2) + pad < kernelShape.get(2)
                || s.get(3) + pad < kernelShape.get(3)) {
            throw new IllegalArgumentException("input " + s + " does not fit kernel " + kernelShape);
        }
    }

    /** The output shape [C, H, W] for inputs of shape [C, H, W]. */
    public Shape outputShape(Shape input) {
        int pad = spec == null ? 0 : 2 * spec.padding();
        return new Shape(kernelShape.get(0), input.get(1) + pad - kernelShape.get(2) + 1,
                input.get(2) + pad - kernelShape.get(3) + 1);
    }

    public NDArray weights() {
        return weights;
    }

    /** Replaces the weights by a copy of w (same shape), pruned where the layer prunes. */
    public void setWeights(NDArray w) {
        if (!w.getShape().equals(kernelShape)) {
            throw new IllegalArgumentException("weights " + w.getShape() + " do not match " + kernelShape);
        }
        // A real copy: toType(.., true) may share storage with w, and an array read from a file wraps a
        // direct buffer that is freed with it (a later use of the weights would read freed memory).
        NDArray copy = w.toType(DataType.FLOAT32, false).duplicate();
        copy.attach(manager);
        if (pruning != null) {
            pruning.apply(copy);
        }
        weights.close();
        weights = copy;
    }

    /** Writes the weights [O, C, kh, kw] as a NumPy .npy file (float32). */
    public void saveWeights(Path file) {
        Npy.write(file, weights);
    }

    /** Reads weights written by {@link #saveWeights} (or NumPy); the shape must match this layer's. */
    public void loadWeights(Path file) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray loaded = Npy.read(file, scope);
            if (!loaded.getShape().equals(kernelShape)) {
                throw new InputError(file + ": weights of shape " + loaded.getShape() + " do not fit this layer's "
                        + kernelShape);
            }
            setWeights(loaded);
        }
    }

    /**
     * Writes what the rule learned beside the weights ({@link PlasticityRule#state}, hwta's thresholds)
     * as a .npy file; returns false, writing nothing, when there is none yet.
     */
    public boolean saveState(Path file) {
        float[] state = rule.state();
        if (state == null) {
            return false;
        }
        try (NDManager scope = manager.newSubManager()) {
            Npy.write(file, scope.create(state));
        }
        return true;
    }

    /** Restores what {@link #saveState} wrote: one value per neuron, for a rule that keeps state. */
    public void loadState(Path file) {
        float[] state;
        try (NDManager scope = manager.newSubManager()) {
            state = Npy.read(file, scope).toFloatArray();
        }
        if (state.length != kernelShape.get(0)) {
            throw new InputError(file + " holds " + state.length + " values; the layer has "
                    + kernelShape.get(0) + " neurons");
        }
        try {
            rule.setState(state);
        } catch (IllegalStateException e) {
            throw new InputError(file + " holds learned state, but " + e.getMessage()
                    + " (was the checkpoint written by another configuration?)", e);
        }
    }

    /** The layer's pruning, or null when all its weights learn. */
    public Pruning pruning() {
        return pruning;
    }

    public PlasticityRule rule() {
        return rule;
    }

    public OutputFunction outputFunction() {
        return output;
    }

    public Shape kernelShape() {
        return kernelShape;
    }

    /** Whether every weight is finite (a diverging rule shows up here first). */
    public boolean weightsFinite() {
        try (NDManager scope = manager.newSubManager()) {
            weights.tempAttach(scope);
            return !weights.isNaN().any().getBoolean() && !weights.isInfinite().any().getBoolean();
        }
    }

    /** The largest |weight| (NaN if any weight is NaN). */
    public float maxAbsWeight() {
        try (NDManager scope = manager.newSubManager()) {
            weights.tempAttach(scope);
            return weights.abs().max().getFloat();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
