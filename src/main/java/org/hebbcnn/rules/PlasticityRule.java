package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;

/**
 * A local learning rule: turns one batch (input, weights, pre-activations, optional teacher) into
 * a weight change dW shaped like W. The layer applies W <- W + lr * dW (plain SGD, as in the
 * reference). Implementations must use whole-batch tensor operations only.
 */
public interface PlasticityRule {
    /** Short name used in configs and reports, e.g. "hpca". */
    String name();

    /** The weight change for this batch, already aggregated over patches and batch. */
    NDArray weightChange(RuleInput in);

    /**
     * Applies W <- W + lr * dW to {@code in.weights()} in place. Rules override this with fused or
     * sparse forms that avoid materialising dW (a dense layer's 4096 x 2304 weights make every
     * full-size temporary cost as much as the forward pass); the result must equal the default.
     */
    default void apply(RuleInput in, float lr) {
        in.weights().addi(weightChange(in).muli(lr));
    }

    /**
     * The layer's initial weights for kernel {@code shape}, drawn from {@code seed}: uniform in
     * +-1/sqrt(fan_in) (PyTorch's default, the reference's) unless the rule says otherwise.
     */
    default float[] initialWeights(ai.djl.ndarray.types.Shape shape, long seed) {
        long fanIn = shape.size() / shape.get(0);
        return org.hebbcnn.util.UniformInit.draw(new java.util.SplittableRandom(seed), shape.size(),
                (float) (1.0 / Math.sqrt(fanIn)));
    }

    /** What the layer passes on to the next layer when no other output function is chosen. */
    default OutputFunction defaultOutput() {
        return OutputFunction.RELU;
    }

    /**
     * Whether a first layer learning by this rule wants ZCA-whitened images: the winner-take-all
     * rules do (the reference whitens HWTA's input), the others take per-channel standardisation.
     */
    default boolean wantsWhitenedInput() {
        return false;
    }

    /** Whether {@link RuleInput#teacher()} must be given during training. */
    default boolean needsTeacher() {
        return false;
    }

    /** Training progress in [0, 1], for rules with schedules (SOM neighbourhood width). */
    default void setProgress(double fraction) {}

    /**
     * The signal [B, O, H', W'] (s, or s / ||w|| for projected outputs) as the layer's activation
     * receives it: unchanged, unless the rule holds thresholds (hwta's adaptive ones).
     */
    default NDArray shiftSignal(NDArray signal, NDArray weights) {
        return signal;
    }

    /** What the rule learned beside the weights (hwta's thresholds), to checkpoint; null if nothing. */
    default float[] state() {
        return null;
    }

    /** Restores what {@link #state} returned. */
    default void setState(float[] state) {
        throw new IllegalStateException(name() + " has no state");
    }
}
