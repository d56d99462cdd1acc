package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.hebbcnn.nn.Module;
import org.hebbcnn.nn.Parameter;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.UniformInit;

/**
 * A head or decoder block of the {@link Vae}: a Linear map over the flattened input, or a
 * transposed convolution (stride 1, weight in PyTorch's {@code ConvTranspose2d} layout [in, out,
 * kh, kw]), with bias; then, on every decoder block but the last, ReLU and PyTorch's affine
 * batch-norm ({@code <prefix>bn<k>}); then optionally a reshape to a map and max-unpooling with an
 * encoder layer's switches. Its arrays are a {@link Module}.
 */
final class VaeBlock {
    private final Module module;
    private final int stream;
    private final boolean deconv;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter gamma;
    private final Parameter beta;
    private final NDArray runningMean;
    private final NDArray runningVar;
    private long[] reshape;
    private int unpoolLayer;
    private int unpoolSize;
    private long[] unpoolTo;

    /**
     * @param stream  the init stream number n (stream {@code seed * 31 + n})
     * @param weight  [out, in] for a Linear map; [in, out, kh, kw] for a transposed convolution
     * @param padding the transposed convolution's padding (the mirrored conv's)
     * @param bnName  the batch-norm's name, null for a block without ReLU and batch-norm
     */
    VaeBlock(NDManager manager, int stream, String name, String bnName, Shape weight, int padding) {
        this.module = new Module(manager, name);
        this.stream = stream;
        this.deconv = weight.dimension() == 4;
        this.padding = padding;
        Shape out = new Shape(weight.get(deconv ? 1 : 0));
        this.weight = module.parameter(name + ".weight", weight);
        this.bias = module.parameter(name + ".bias", out);
        if (bnName != null) {
            gamma = module.parameter(bnName + ".weight", out);
            beta = module.parameter(bnName + ".bias", out);
            runningMean = module.state(bnName + ".running_mean", out);
            runningVar = module.state(bnName + ".running_var", out);
        } else {
            gamma = beta = null;
            runningMean = runningVar = null;
        }
    }

    /** Reshapes the block's output [B, N] to [B, C, H, W] (a Linear block that rebuilds a map). */
    VaeBlock reshapeTo(long[] map) {
        reshape = map.clone();
        return this;
    }

    /** Max-unpools the output with encoder layer {@code layer}'s k x k switches, to its [C, H, W] conv map. */
    VaeBlock unpoolTo(int layer, int k, long[] convMap) {
        unpoolLayer = layer;
        unpoolSize = k;
        unpoolTo = convMap.clone();
        return this;
    }

    boolean isDeconv() {
        return deconv;
    }

    Module module() {
        return module;
    }

    /**
     * PyTorch's defaults: weight and bias uniform in +-1/sqrt(fan_in), fan_in = size / axis 0 for
     * every layout (inputs, or out * kh * kw for [in, out, kh, kw], as PyTorch computes it), weight
     * first; batch-norm gamma 1, beta 0, running mean 0, variance 1; momentum zero.
     */
    void initialise(long modelSeed) {
        SplittableRandom random = new SplittableRandom(BackpropNetwork.layerSeed(modelSeed, stream));
        Shape w = weight.value().getShape();
        float bound = (float) (1.0 / Math.sqrt(w.size() / w.get(0)));
        Djl.assign(weight.value(), UniformInit.draw(random, w.size(), bound));
        Djl.assign(bias.value(), UniformInit.draw(random, bias.value().size(), bound));
        if (gamma != null) {
            float[] ones = new float[Math.toIntExact(gamma.value().size())];
            Arrays.fill(ones, 1f);
            Djl.assign(gamma.value(), ones);
            Djl.assign(beta.value(), new float[ones.length]);
            Djl.assign(runningMean, new float[ones.length]);
            Djl.assign(runningVar, ones);
        }
        module.clearMomentum();
    }

    /** The block on h; {@code switches[l - 1]} are encoder layer l's pooling switches. */
    NDArray forward(NDArray h, boolean training, NDArray[] switches) {
        NDArray y;
        if (deconv) {
            y = Vae.conv2dTranspose(h, weight.value(), bias.value(), padding);
        } else {
            NDArray flat = h.getShape().dimension() == 2 ? h : h.reshape(h.getShape().get(0), -1);
            y = Linear.linear(flat, weight.value(), bias.value()).singletonOrThrow();
        }
        if (gamma != null) {
            // DJL's functional batch-norm takes MXNet's momentum convention, hence 1 - 0.1
            y = BatchNorm.batchNorm(Activation.relu(y), runningMean, runningVar, gamma.value(), beta.value(), 1,
                    1f - BackpropNetwork.BN_MOMENTUM, BackpropNetwork.BN_EPS, training).singletonOrThrow();
        }
        if (reshape != null) {
            y = y.reshape(y.getShape().get(0), reshape[0], reshape[1], reshape[2]);
        }
        if (unpoolLayer > 0) {
            y = MaxUnpool.unpool(y, switches[unpoolLayer - 1], unpoolSize, unpoolTo[1], unpoolTo[2]);
        }
        return y;
    }
}
