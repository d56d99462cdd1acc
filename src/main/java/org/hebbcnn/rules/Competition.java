package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.hebbcnn.tensors.PatchOps;

/** Competition across channels at each position: HWTA's winners (ties included) and the SOM's single winner. */
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
     * A 0/1 mask [B, O, H', W'] marking the k neurons with the highest cosine at each position, and
     * every neuron tied with the k-th of them, as the reference does: it lets every neuron whose
     * score equals the maximum win, so on an all-zero patch (every score equal) all neurons win and
     * each moves by -w. Ties are exact equalities of float32 scores, so apart from such degenerate
     * patches (or duplicate weight vectors) exactly k neurons win. The patch norm is common to all
     * neurons at a position, so ranking s / ||w|| ranks the cosines (and the raised cosine squared,
     * which is monotonic in it) without computing patch norms.
     */
    public static NDArray winners(NDArray w, NDArray s, int k) {
        return topK(ranked(w, s), k).toType(DataType.FLOAT32, false);
    }

    /**
     * As {@link #winners(NDArray, NDArray, int)} with thresholds theta [O] subtracted from the
     * ranking scores s / ||w||: the k best of s / ||w|| - theta win where that is above 0, so a
     * position may have fewer winners, or none.
     */
    public static NDArray winners(NDArray w, NDArray s, int k, NDArray theta) {
        NDArray ranked = ranked(w, s).sub(theta.reshape(1, -1, 1, 1));
        return topK(ranked, k).logicalAnd(ranked.gt(0f)).toType(DataType.FLOAT32, false);
    }

    /** Boolean [B, O, H', W']: the k highest of {@code ranked} over channels at each position, ties included. */
    private static NDArray topK(NDArray ranked, int k) {
        long o = ranked.getShape().get(1);
        if (k < 1 || k > o) {
            throw new IllegalArgumentException("k-WTA needs 1 <= k <= " + o + ", got " + k);
        }
        // the k-th largest score per position, [B, 1, H', W']; a winner scores at least that much
        NDArray kth = k == 1 ? ranked.max(new int[] {1}, true)
                : ranked.topK(k, 1, true, false).get(0).min(new int[] {1}, true);
        return ranked.gte(kth);
    }

    /**
     * A one-hot mask [B, O, H', W'] of the single neuron with the highest cosine at each position,
     * the lowest index among equals (the SOM's winner, the centre of one neighbourhood).
     */
    public static NDArray winner(NDArray w, NDArray s) {
        long o = w.getShape().get(0);
        NDArray index = ranked(w, s).argMax(1).expandDims(1); // argMax: the lowest index of the maxima
        // Compare the winner index [B, 1, H', W'] with every neuron number: the mask in [B, O, H', W'] layout.
        NDArray neurons = index.getManager().arange(0, (int) o, 1, index.getDataType()).reshape(1, o, 1, 1);
        return index.eq(neurons).toType(DataType.FLOAT32, false);
    }

    private static NDArray ranked(NDArray w, NDArray s) {
        return s.div(PatchOps.weightNorms(w).maximum(1e-12f).reshape(1, -1, 1, 1));
    }

    /** Winner index per position, [B, H', W'] (1-WTA). */
    public static NDArray winnerIndex(NDArray w, NDArray s) {
        return ranked(w, s).argMax(1);
    }

    static Shape activityShape(NDArray s) {
        return s.getShape();
    }
}
