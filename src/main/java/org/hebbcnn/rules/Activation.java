package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;

/** The post-synaptic nonlinearity f in y = f(s) that a rule learns from. */
public enum Activation {
    /** y = s: classical (linear) Sanger, Oja, Hebb. */
    LINEAR,
    /** y = max(s, 0): the reference's nonlinear HPCA. */
    RELU;

    public NDArray apply(NDArray s) {
        return this == RELU ? s.maximum(0f) : s.duplicate();
    }
}
