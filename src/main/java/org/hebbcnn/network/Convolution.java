package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The convolution of the layers trained by gradient ({@link BackpropLayer}, the {@link Vae}'s
 * transposed convolutions): DJL's {@code conv2d}, with a guard for a native bug.
 *
 * <p><b>Why the guard.</b> The PyTorch that DJL 0.35.1 ships (2.7.1, CPU, oneDNN 3.7.1) computes the
 * gradient with respect to the <i>input</i> of a batched float convolution wrongly when the number
 * of output channels is not a multiple of 16 (oneDNN pads the channels to its 16-wide blocks): off
 * by as much as the gradient itself, and NaN over a whole input channel whenever the padding's
 * uninitialised memory holds NaN bits, which depends on what was allocated before, so it comes and
 * goes between runs even on one thread. Outputs and weight and bias gradients are right. Multiples of
 * 16 are not affected, so the filters are padded with zero filters to the next multiple of 16 and the
 * extra output channels are dropped: the same outputs, and every gradient right. Always, not only
 * under a gradient collector: DJL's {@code hasGradient} is false for every intermediate array, so
 * whether a gradient will flow is not known here; the cost is a wider last layer (the VAE's image
 * channels) and nothing for the widths of the paper's networks. {@code ConvolutionTest} checks the
 * input gradient against loops.
 */
final class Convolution {
    /** oneDNN's channel block for float32 on AVX-512 (AVX2's 8 divides it). */
    static final int CHANNEL_BLOCK = 16;

    private static final Shape UNIT = new Shape(1, 1);

    private Convolution() {}

    /** {@code conv2d(x, w, b)}, x [B, C, H, W], w [O, C, kh, kw], b [O] or null, dilation 1, one group. */
    static NDArray conv2d(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding) {
        Shape k = w.getShape();
        long out = k.get(0);
        long extra = (CHANNEL_BLOCK - out % CHANNEL_BLOCK) % CHANNEL_BLOCK;
        if (extra == 0) {
            return Conv2d.conv2d(x, w, b, stride, padding, UNIT, 1).singletonOrThrow();
        }
        NDArray wide = w.concat(x.getManager().zeros(new Shape(extra, k.get(1), k.get(2), k.get(3)), w.getDataType()), 0);
        NDArray bias = b == null ? null : b.concat(x.getManager().zeros(new Shape(extra), b.getDataType()), 0);
        return Conv2d.conv2d(x, wide, bias, stride, padding, UNIT, 1).singletonOrThrow().get(":, :{}", out);
    }
}
