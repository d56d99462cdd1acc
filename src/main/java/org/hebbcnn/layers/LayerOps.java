package org.hebbcnn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import org.hebbcnn.architecture.LayerSpec;
import org.hebbcnn.architecture.PoolSpec;

/**
 * The parts of a layer that every kind of network shares, as whole-tensor operations on [B, C, H, W]
 * maps: padding, the activation and pooling that a {@link LayerSpec} names. All are differentiable,
 * so backprop networks use them as they are.
 */
public final class LayerOps {
    private LayerOps() {}

    /**
     * x padded by the layer's {@code padding} on each side of H and W: zeros, or the reflection of the
     * map without its edge (PyTorch's {@code padding_mode='reflect'}). x itself when there is none.
     */
    public static NDArray pad(NDArray x, LayerSpec layer) {
        int p = layer.padding();
        if (p == 0) {
            return x;
        }
        return layer.reflect() ? reflect(x, p) : zeros(x, p);
    }

    private static NDArray zeros(NDArray x, int p) {
        Shape s = x.getShape();
        NDArray rows = x.getManager().zeros(new Shape(s.get(0), s.get(1), p, s.get(3)), x.getDataType());
        NDArray h = rows.concat(x, 2).concat(rows, 2);
        NDArray cols = x.getManager().zeros(new Shape(s.get(0), s.get(1), s.get(2) + 2L * p, p), x.getDataType());
        return cols.concat(h, 3).concat(cols, 3);
    }

    private static NDArray reflect(NDArray x, int p) {
        long h = x.getShape().get(2);
        NDArray top = x.get(new NDIndex(":, :, 1:{}", p + 1)).flip(2);
        NDArray bottom = x.get(new NDIndex(":, :, {}:{}", h - 1 - p, h - 1)).flip(2);
        NDArray rows = top.concat(x, 2).concat(bottom, 2);
        long w = x.getShape().get(3);
        NDArray left = rows.get(new NDIndex(":, :, :, 1:{}", p + 1)).flip(3);
        NDArray right = rows.get(new NDIndex(":, :, :, {}:{}", w - 1 - p, w - 1)).flip(3);
        return left.concat(rows, 3).concat(right, 3);
    }

    /**
     * The layer's activation of the pre-activation u [B, C, ...]: {@code relu} max(u, 0); {@code none}
     * u; {@code triangle} relu(u - mean over channels of u)^power (SoftHebb's).
     */
    public static NDArray activate(NDArray u, LayerSpec layer) {
        switch (layer.activation()) {
            case "relu":
                return Activation.relu(u); // torch.relu: gradient 0 at 0, as PyTorch's backprop (maximum gives 0.5)
            case "none":
                return u;
            case "triangle":
                NDArray t = u.sub(u.mean(new int[] {1}, true).stopGradient()).maximum(0f); // the mean is a constant, as in the authors' code
                return layer.power() == 1.0 ? t : t.pow((float) layer.power());
            default:
                throw new IllegalArgumentException("unknown activation " + layer.activation());
        }
    }

    /** The layer's pooling of y [B, C, H, W], or y when it has none. */
    public static NDArray pool(NDArray y, PoolSpec p) {
        if (p == null) {
            return y;
        }
        Shape k = new Shape(p.size(), p.size());
        Shape s = new Shape(p.stride(), p.stride());
        Shape pad = new Shape(p.padding(), p.padding());
        return p.type().equals("max") ? Pool.maxPool2d(y, k, s, pad, false) : Pool.avgPool2d(y, k, s, pad, false, true);
    }
}
