package org.hebbcnn.tensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Every convolution of the project goes through here: DJL's {@code conv2d}, with guards for a
 * native bug.
 *
 * <p><b>The bug.</b> The PyTorch that DJL 0.35.1 ships (2.7.1, CPU, oneDNN 3.7.1) computes a batched
 * float32 convolution wrongly on this project's machines (AMD EPYC, AVX-512; AVX2 kernels fail the
 * same way with their 8-wide blocks) when the number of <i>input</i> channels C is above 16 and not
 * a multiple of 16. oneDNN pads the channels to its 16-wide blocks, and the padding is read as if it
 * held zeros: whole output channels come out off by as much as the result itself, and NaN whenever
 * the padding's uninitialised memory holds NaN bits. That depends on what was allocated before, so
 * it comes and goes between identical runs, and glibc's heap reuse (util.NativeAllocator) makes it
 * frequent. Measured for every C from 1 to 70: C <= 16 and multiples of 16 are right, every other C
 * is wrong, whatever the batch and the number of output channels. Miconi's widths (100, 196) hit it,
 * and so does a Hebbian weight update ({@link PatchOps#correlate}: a convolution whose input
 * channels are the batch) for a batch of 17-63 images. The paper's and SoftHebb's widths (3, 96,
 * 128, 192, 256, 384) do not; nor does a batch of 64 or 10. By the same token the gradient with
 * respect to the input, a convolution whose input channels are the forward one's outputs, is wrong
 * when the number of <i>output</i> channels is not a multiple of 16 (which made the VAE diverge).
 *
 * <p><b>The guards.</b> Zero channels added to the input and to the filters change no output, so
 * C is padded up to the next multiple of 16 when it is above 16; for arrays a gradient may flow
 * through, the filters are also padded with zero filters to a multiple of 16 and the extra outputs
 * dropped. Shapes that need neither run as they are, at no cost. {@code ConvolutionTest} checks
 * outputs and input gradients against loops for the shapes that fail without the guards.
 */
public final class Convolution {
    /** oneDNN's channel block for float32 on AVX-512 (AVX2's 8 divides it). */
    public static final int CHANNEL_BLOCK = 16;

    private static final Shape UNIT = new Shape(1, 1);
    private static final Shape NO_PADDING = new Shape(0, 0);

    private Convolution() {}

    /**
     * {@code conv2d(x, w, b)} for arrays a gradient may flow through: x [B, C, H, W], w [O, C, kh, kw],
     * b [O] or null, dilation 1, one group. Whether a gradient will flow is not known here (DJL's
     * {@code hasGradient} is false for every intermediate array), so the output-channel guard always
     * applies; its cost is a wider last layer where O is not a multiple of 16 (the VAE's image channels).
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding) {
        long out = w.getShape().get(0);
        long extra = blockPadding(out);
        if (extra == 0) {
            return inputGuarded(x, w, b, stride, padding);
        }
        Shape k = w.getShape();
        NDArray wide = w.concat(x.getManager().zeros(new Shape(extra, k.get(1), k.get(2), k.get(3)), w.getDataType()), 0);
        NDArray bias = b == null ? null : b.concat(x.getManager().zeros(new Shape(extra), b.getDataType()), 0);
        return inputGuarded(x, wide, bias, stride, padding).get(":, :{}", out);
    }

    /**
     * conv(x, w), stride 1, no padding, no bias, for arrays no gradient flows through (the Hebbian
     * layers): only the input-channel guard applies.
     */
    public static NDArray forward(NDArray x, NDArray w) {
        return inputGuarded(x, w, null, UNIT, NO_PADDING);
    }

    /** DJL's conv2d with the input channels of x and w padded with zeros where {@link #inputPadding} says. */
    private static NDArray inputGuarded(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding) {
        long extraIn = inputPadding(w.getShape().get(1));
        NDArray xs = extraIn == 0 ? x : zeroChannels(x, extraIn);
        NDArray ws = extraIn == 0 ? w : zeroChannels(w, extraIn);
        return Conv2d.conv2d(xs, ws, b, stride, padding, UNIT, 1).singletonOrThrow();
    }

    /** Zero input channels to add to C channels: none up to 16, else up to the next multiple of 16. */
    static long inputPadding(long channels) {
        return channels <= CHANNEL_BLOCK ? 0 : blockPadding(channels);
    }

    private static long blockPadding(long channels) {
        return (CHANNEL_BLOCK - channels % CHANNEL_BLOCK) % CHANNEL_BLOCK;
    }

    /** a [N, C, ...] with {@code extra} zero channels appended along axis 1. */
    private static NDArray zeroChannels(NDArray a, long extra) {
        long[] shape = a.getShape().getShape().clone();
        shape[1] = extra;
        return a.concat(a.getManager().zeros(new Shape(shape), a.getDataType()), 1);
    }
}
