package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Max-unpooling for the VAE's decoder, for max pooling whose k x k windows tile the map (stride k,
 * no padding). DJL has no max-pooling with indices, so the switches of each window are recovered
 * from the activation before pooling (without gradient), and {@code unpool(y) = upsample(y) *
 * switches}, upsampling by {@link NDArray#repeat(int, long)} on axes 2 and 3 (differentiable).
 *
 * <p><i>Ties</i>: after a ReLU, windows with several equal maxima are common (all zero). The plain
 * mask {@code pre == upsample(pooled)} would mark every tied position and so copy the decoder's
 * value into each; PyTorch's {@code max_pool2d(return_indices=True)} + {@code max_unpool2d}, which
 * the reference uses, keeps only the first maximum in row-major window order. The switches here are
 * exactly that first maximum (an argmax over each window), so unpooling matches the reference, and
 * the pooled value's gradient (which {@code maxPool2d} also sends to the first maximum) and the
 * unpooling use the same position. Rows and columns the windows do not reach (a side that is not a
 * multiple of k) are never a maximum: they unpool to 0, as {@code max_unpool2d} with that output size.
 */
final class MaxUnpool {
    private MaxUnpool() {}

    /**
     * The k x k max-pool switches of {@code pre} [B, C, H, W]: 1 at the first maximum of each window
     * in row-major order (PyTorch's pooling index; {@code argMax} returns the first maximum), else 0;
     * [B, C, (H / k) k, (W / k) k]. No gradient.
     */
    static NDArray switches(NDArray pre, int k) {
        Shape s = pre.getShape();
        long b = s.get(0), c = s.get(1), h = s.get(2) / k, w = s.get(3) / k;
        NDArray x = pre.stopGradient();
        if (h * k != s.get(2) || w * k != s.get(3)) {
            x = x.get(":, :, :{}, :{}", h * k, w * k);
        }
        NDArray windows = x.reshape(b, c, h, k, w, k).transpose(0, 1, 2, 4, 3, 5).reshape(b, c, h, w, (long) k * k);
        return windows.argMax(4).oneHot(k * k, DataType.FLOAT32).reshape(b, c, h, w, k, k).transpose(0, 1, 2, 4, 3, 5)
                .reshape(b, c, h * k, w * k);
    }

    /** y [B, C, h, w] placed at the switches [B, C, hk, wk], zero elsewhere (differentiable in y). */
    static NDArray unpool(NDArray y, NDArray switches, int k) {
        return y.repeat(2, k).repeat(3, k).mul(switches);
    }

    /** As {@link #unpool(NDArray, NDArray, int)}, zero-padded at the bottom and right to [B, C, height, width]. */
    static NDArray unpool(NDArray y, NDArray switches, int k, long height, long width) {
        NDArray u = unpool(y, switches, k);
        Shape s = u.getShape();
        if (s.get(2) < height) {
            u = u.concat(u.getManager().zeros(new Shape(s.get(0), s.get(1), height - s.get(2), s.get(3))), 2);
        }
        if (s.get(3) < width) {
            u = u.concat(u.getManager().zeros(new Shape(s.get(0), s.get(1), height, width - s.get(3))), 3);
        }
        return u;
    }
}
