package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import org.hebbcnn.tensors.PatchOps;

/**
 * The signal a Hebbian layer passes to the next layer, computed from the pre-activation s =
 * conv(x, W). It may differ from what the rule learns from (the reference's HWTA learns from a
 * cosine competition but outputs the ReLU of the projection on each weight direction).
 */
public enum OutputFunction {
    /** ReLU(s): HPCA and the Miconi rules. */
    RELU,
    /** ReLU(s / ||w||): the projection on the weight direction, HWTA's output. */
    RELU_NORMALIZED,
    /** s / ||w||, no activation: SHC's class score. */
    NORMALIZED,
    /** s as it is. */
    IDENTITY;

    public NDArray apply(NDArray preActivation, NDArray weights) {
        switch (this) {
            case RELU:
                return preActivation.maximum(0f);
            case IDENTITY:
                return preActivation.duplicate();
            default:
                NDArray norms = PatchOps.weightNorms(weights).maximum(1e-12f);
                NDArray projected = preActivation.div(norms.reshape(1, -1, 1, 1));
                return this == RELU_NORMALIZED ? projected.maximum(0f) : projected;
        }
    }
}
