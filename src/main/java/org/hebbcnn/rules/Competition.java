package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.hebbcnn.tensors.PatchOps;

/** Competition across channels at each position, shared by HWTA and SOM. */
public final class Competition {
    private Competition() {}

    /**
     * cos(x_patch, w_o) for every patch and neuron [B, O, H', W'], from the pre-activation s.
     * Zero patches get cosine 0.
     */
    public static NDArray cosine(NDArray x, NDArray w, NDArray s) {
        NDArray wNorm = PatchOps.weightNorms(w).maximum(1e-12f).reshape(1, -1, 1, 1);
        NDArray xNorm = PatchOps.patchNormSquared(x, w.getShape()).sqrt().maximum(1e-12f);
        return s.div(wNorm).div(xNorm);
    }

    /** The raised cosine squared ((cos + 1) / 2)^2, the reference's competition score. */
    public static NDArray raisedCosineSquared(NDArray cosine) {
        return cosine.add(1f).div(2f).square();
    }

    /**
     * A 0/1 mask [B, O, H', W'] marking the k neurons with the highest cosine at each position.
     * The patch norm is common to all neurons at a position, so ranking s / ||w|| ranks the cosines
     * (and the raised cosine squared, which is monotonic in it) without computing patch norms.
     */
    public static NDArray winners(NDArray w, NDArray s, int k) {
        long o = w.getShape().get(0);
        if (k < 1 || k > o) {
            throw new IllegalArgumentException("k-WTA needs 1 <= k <= " + o + ", got " + k);
        }
        NDArray ranked = s.div(PatchOps.weightNorms(w).maximum(1e-12f).reshape(1, -1, 1, 1));
        NDArray indices = k == 1 ? ranked.argMax(1).expandDims(1) : ranked.topK(k, 1, true, false).get(1);
        // Compare each winner index [B, k, H', W'] with every neuron number, giving the mask directly
        // in [B, O, H', W'] layout (no one-hot tensor, no transpose). argMax breaks ties by the
        // lowest index, so a blank patch has exactly k winners too.
        NDArray neurons = indices.getManager().arange(0, (int) o, 1, indices.getDataType()).reshape(1, 1, o, 1, 1);
        NDArray mask = indices.expandDims(2).eq(neurons).toType(DataType.FLOAT32, false);
        return k == 1 ? mask.squeeze(1) : mask.sum(new int[] {1});
    }

    /** Winner index per position, [B, H', W'] (1-WTA). */
    public static NDArray winnerIndex(NDArray w, NDArray s) {
        return s.div(PatchOps.weightNorms(w).maximum(1e-12f).reshape(1, -1, 1, 1)).argMax(1);
    }

    static Shape activityShape(NDArray s) {
        return s.getShape();
    }
}
