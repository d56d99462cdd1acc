package org.hebbcnn.nn;

/**
 * What a {@link Module} steps its parameters with: {@link NesterovSgd} (the paper's networks and
 * probes) or {@link Adam} (SoftHebb's readout). Its per-parameter state lives in the module, so it is
 * saved and restored with the parameters.
 */
public interface Optimizer {
    /** Called once per optimisation step, before the parameters are updated (Adam counts its steps here). */
    default void beginStep() {}

    /** Updates one trainable parameter from the gradient autograd left in it, then zeroes that gradient. */
    void update(Parameter p);

    float learningRate();

    void setLearningRate(float learningRate);

    /** {@code value} if it is a finite number >= 0, else an exception naming {@code what}. */
    static float nonNegative(String what, float value) {
        if (!(value >= 0) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + value);
        }
        return value;
    }
}
