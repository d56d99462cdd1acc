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

    /**
     * The teacher broadcast over the output map, [B, O, H', W']: each image's one-hot label at every
     * position (what the supervised rules learn towards); {@code rule} names the rule in the error.
     */
    public NDArray teacherMap(String rule) {
        if (teacher == null) {
            throw new IllegalArgumentException(rule + " needs a teacher signal (one-hot labels) to learn");
        }
        var s = preActivation.getShape();
        return teacher.reshape(s.get(0), s.get(1), 1, 1).broadcast(s);
    }
}
