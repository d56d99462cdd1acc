package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.SplittableRandom;
import org.hebbcnn.architecture.LayerPlan;
import org.hebbcnn.architecture.LayerSpec;
import org.hebbcnn.layers.LayerOps;
import org.hebbcnn.nn.Module;
import org.hebbcnn.nn.Parameter;
import org.hebbcnn.tensors.Convolution;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.UniformInit;

/**
 * One layer of a {@link LayerPlan} trained by gradient, shared by {@link BackpropNetwork} and the
 * encoder of {@link Vae}: conv (bias, the layer's stride and padding) or a Linear map over the
 * flattened input, then {@link LayerOps#activate}, {@link LayerOps#pool} and batch-norm after, or
 * batch-norm of the input channels first ({@code normPosition: before}). Norms {@code batch} and
 * {@code modified} are PyTorch's affine batch-norm, {@code batch-no-affine} the same without gamma
 * and beta. Its arrays are a {@link Module} under the state_dict names {@code conv<l>} (conv),
 * {@code fc<l>} (dense, classifier) and {@code bn<l>}. Dropout is its network's business.
 */
final class BackpropLayer {
    /** PyTorch's batch-norm: eps, and running = (1 - momentum) running + momentum batch. */
    static final float BN_EPS = 1e-5f;
    static final float BN_MOMENTUM = 0.1f;

    final LayerPlan plan;
    final LayerSpec spec;
    final Module module;
    final Parameter weight;
    final Parameter bias;
    private final Parameter gamma;
    private final Parameter beta;
    private final NDArray runningMean;
    private final NDArray runningVar;
    private final Shape stride;
    private final Shape padding;

    BackpropLayer(NDManager manager, LayerPlan plan) {
        this.plan = plan;
        this.spec = plan.spec();
        int n = spec.number();
        String core = (spec.isConv() ? "conv" : "fc") + n;
        module = new Module(manager, core);
        long[] k = plan.kernel();
        Shape weightShape = spec.isConv() ? new Shape(k) : new Shape(k[0], k[1] * k[2] * k[3]);
        weight = module.parameter(core + ".weight", weightShape);
        bias = module.parameter(core + ".bias", new Shape(k[0]));
        String norm = spec.norm();
        if (norm.equals("none")) {
            gamma = beta = null;
            runningMean = runningVar = null;
        } else {
            Shape channels = new Shape(spec.normBefore() ? plan.input()[0] : k[0]);
            boolean affine = !norm.equals("batch-no-affine");
            gamma = affine ? module.parameter("bn" + n + ".weight", channels) : null;
            beta = affine ? module.parameter("bn" + n + ".bias", channels) : null;
            runningMean = module.state("bn" + n + ".running_mean", channels);
            runningVar = module.state("bn" + n + ".running_var", channels);
        }
        stride = new Shape(spec.stride(), spec.stride());
        // reflect padding is done by LayerOps.pad; zeros go through the convolution itself
        int p = spec.reflect() ? 0 : spec.padding();
        padding = new Shape(p, p);
    }

    int number() {
        return spec.number();
    }

    boolean hasNorm() {
        return runningMean != null;
    }

    boolean hasAffineNorm() {
        return gamma != null;
    }

    NDArray gamma() {
        return gamma.value();
    }

    NDArray beta() {
        return beta.value();
    }

    NDArray runningMean() {
        return runningMean;
    }

    NDArray runningVar() {
        return runningVar;
    }

    /**
     * PyTorch's defaults ({@code kaiming_uniform_(a=sqrt(5))} = uniform in +-1/sqrt(fan_in), bias
     * likewise) from the stream {@code seed * 31 + l}, weights first in C order, then biases;
     * batch-norm gamma 1, beta 0, running mean 0, variance 1; momentum zero.
     */
    void initialise(long modelSeed) {
        SplittableRandom random = new SplittableRandom(BackpropNetwork.layerSeed(modelSeed, number()));
        Shape w = weight.value().getShape();
        float bound = (float) (1.0 / Math.sqrt(w.size() / w.get(0)));
        Djl.assign(weight.value(), UniformInit.draw(random, w.size(), bound));
        Djl.assign(bias.value(), UniformInit.draw(random, w.get(0), bound));
        if (gamma != null) {
            Djl.assign(gamma.value(), ones(gamma.value()));
            Djl.assign(beta.value(), new float[Math.toIntExact(beta.value().size())]);
        }
        if (runningMean != null) {
            Djl.assign(runningMean, new float[Math.toIntExact(runningMean.size())]);
            Djl.assign(runningVar, ones(runningVar));
        }
        module.clearMomentum();
    }

    private static float[] ones(NDArray a) {
        float[] v = new float[Math.toIntExact(a.size())];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    /**
     * Whether {@code s} is an input this layer takes: [B, C, H, W] of its plan, or [B, C*H*W] for a
     * dense layer or a 1x1 map (a dense layer's output).
     */
    boolean accepts(Shape s) {
        long[] in = plan.input();
        if (s.dimension() == 4) {
            return s.slice(1).equals(new Shape(in));
        }
        return s.dimension() == 2 && s.get(1) == in[0] * in[1] * in[2] && (plan.dense() || in[1] * in[2] == 1);
    }

    /** The layer's output: [B, O, H', W'] for conv, [B, O] for dense and the classifier. */
    NDArray forward(NDArray h, boolean learn) {
        return forward(h, learn, null);
    }

    /** As {@link #forward(NDArray, boolean)}; {@code prePool[0]}, when given, gets the activation before pooling. */
    NDArray forward(NDArray h, boolean learn, NDArray[] prePool) {
        NDArray x = h;
        if (hasNorm() && spec.normBefore()) {
            x = norm(asMap(x), learn);
        }
        NDArray y;
        if (spec.isConv()) {
            NDArray in = spec.reflect() ? LayerOps.pad(asMap(x), spec) : asMap(x);
            y = Convolution.conv2d(in, weight.value(), bias.value(), stride, padding);
        } else {
            NDArray flat = x.getShape().dimension() == 2 ? x : x.reshape(x.getShape().get(0), -1);
            y = Linear.linear(flat, weight.value(), bias.value()).singletonOrThrow();
        }
        y = LayerOps.activate(y, spec);
        if (prePool != null) {
            prePool[0] = y;
        }
        y = LayerOps.pool(y, spec.pool());
        return hasNorm() && !spec.normBefore() ? norm(y, learn) : y;
    }

    /** x as [B, C, H, W] of the plan's input (a flattened input of a dense layer or a 1x1 map comes as [B, N]). */
    private NDArray asMap(NDArray x) {
        if (x.getShape().dimension() == 4) {
            return x;
        }
        long[] in = plan.input();
        return in[1] * in[2] == 1 && !spec.isConv() ? x : x.reshape(x.getShape().get(0), in[0], in[1], in[2]);
    }

    /** PyTorch batch-norm over axis 1; DJL's functional form takes MXNet's momentum convention, hence 1 - 0.1. */
    private NDArray norm(NDArray y, boolean learn) {
        NDArray g;
        NDArray b;
        if (gamma != null) {
            g = gamma.value();
            b = beta.value();
        } else { // no affine: gamma 1 and beta 0 leave the normalised values as they are
            g = y.getManager().ones(runningMean.getShape());
            b = y.getManager().zeros(runningMean.getShape());
        }
        return BatchNorm.batchNorm(y, runningMean, runningVar, g, b, 1, 1f - BN_MOMENTUM, BN_EPS, learn).singletonOrThrow();
    }
}
