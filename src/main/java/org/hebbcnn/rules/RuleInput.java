package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;

/**
 * What a plasticity rule sees for one batch.
 *
 * @param input x [B, C, H, W]
 * @param weights W [O, C, kh, kw]
 * @param preActivation s = conv(x, W) [B, O, H', W'], computed once by the layer's forward pass
 * @param teacher one-hot targets [B, O] for supervised rules, or null
 */
public record RuleInput(NDArray input, NDArray weights, NDArray preActivation, NDArray teacher) {
    public RuleInput(NDArray input, NDArray weights, NDArray preActivation) {
        this(input, weights, preActivation, null);
    }
}
