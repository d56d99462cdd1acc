package org.hebbcnn.tensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The few tensor operations every Hebbian update is made of, all on whole batches.
 *
 * <p>Shapes: input x [B, C, H, W]; weights W [O, C, kh, kw]; activity y [B, O, H', W'] with
 * H' = H - kh + 1 (stride 1, no padding, as in the paper's network). A "patch" is one receptive
 * field x[b, :, p:p+kh, q:q+kw]; there are N = B * H' * W' of them. A layer whose kernel covers
 * the whole input (H' = W' = 1) is a fully connected layer, and gets plain matrix products.
 */
public final class PatchOps {

    private PatchOps() {}

    /** s = conv(x, W): the pre-activation [B, O, H', W'] (no bias). */
    public static NDArray conv(NDArray x, NDArray w) {
        if (isFullyConnected(x, w)) {
            long b = x.getShape().get(0);
            long o = w.getShape().get(0);
            return x.reshape(b, -1).matMul(w.reshape(o, -1).transpose()).reshape(b, o, 1, 1);
        }
        return Convolution.forward(x, w);
    }

    /**
     * Sum over all patches of y x^T, shaped like W: result[o, c, i, j] = sum_{b,p,q} y[b,o,p,q] *
     * x[b,c,p+i,q+j]. This is the weight gradient of a convolution, computed as one convolution
     * that treats the batch as channels (x^T [C, B, H, W] correlated with y^T [O, B, H', W']):
     * no unfolding of patches, and the same cost as the forward pass.
     */
    public static NDArray correlate(NDArray x, NDArray y, Shape kernel) {
        long b = x.getShape().get(0);
        long o = y.getShape().get(1);
        if (y.getShape().get(2) == 1 && y.getShape().get(3) == 1 && kernel.get(2) == x.getShape().get(2)
                && kernel.get(3) == x.getShape().get(3)) {
            return y.reshape(b, o).transpose().matMul(x.reshape(b, -1)).reshape(kernel);
        }
        NDArray xt = x.transpose(1, 0, 2, 3);
        NDArray yt = y.transpose(1, 0, 2, 3);
        NDArray out = Convolution.forward(xt, yt);
        return out.transpose(1, 0, 2, 3);
    }

    /** Squared norm of every patch, [B, 1, H', W']: one convolution of x^2 with a kernel of ones. */
    public static NDArray patchNormSquared(NDArray x, Shape kernel) {
        NDManager m = x.getManager();
        NDArray ones = m.ones(new Shape(1, kernel.get(1), kernel.get(2), kernel.get(3)), x.getDataType());
        return conv(x.square(), ones);
    }

    /** Per-neuron weight norms ||w_o||, shaped [O]. */
    public static NDArray weightNorms(NDArray w) {
        return w.reshape(w.getShape().get(0), -1).norm(new int[] {1});
    }

    /** y [B, O, H', W'] as the N x O matrix of activities, one row per patch. */
    public static NDArray rows(NDArray y) {
        long o = y.getShape().get(1);
        return y.transpose(0, 2, 3, 1).reshape(-1, o);
    }

    /** The inverse of {@link #rows}: [N, O] back to [B, O, H', W']. */
    public static NDArray unrows(NDArray rows, Shape activityShape) {
        long b = activityShape.get(0);
        long o = activityShape.get(1);
        long h = activityShape.get(2);
        long w = activityShape.get(3);
        return rows.reshape(b, h, w, o).transpose(0, 3, 1, 2);
    }

    /** Sum over patches of each neuron's activity, [O]. */
    public static NDArray activitySums(NDArray y) {
        return y.sum(new int[] {0, 2, 3});
    }

    /** Number of patches N = B * H' * W' of an activity tensor. */
    public static long patchCount(NDArray y) {
        Shape s = y.getShape();
        return s.get(0) * s.get(2) * s.get(3);
    }

    /** Whether W's kernel covers the whole of x's map, so the "convolution" is a dense layer. */
    public static boolean isFullyConnected(NDArray x, NDArray w) {
        return w.getShape().get(2) == x.getShape().get(2) && w.getShape().get(3) == x.getShape().get(3);
    }

    /** Multiplies each neuron's slice of W [O, ...] by d [O]. */
    public static NDArray scaleRows(NDArray d, NDArray w) {
        return w.mul(asRowFactors(d, w));
    }

    /** {@link #scaleRows}, overwriting w (no full-size temporary); returns w. */
    public static NDArray scaleRowsInPlace(NDArray d, NDArray w) {
        return w.muli(asRowFactors(d, w));
    }

    private static NDArray asRowFactors(NDArray d, NDArray w) {
        Shape ws = w.getShape();
        long[] bshape = new long[ws.dimension()];
        java.util.Arrays.fill(bshape, 1);
        bshape[0] = ws.get(0);
        return d.reshape(bshape);
    }
}
