package org.hebbcnn.training;

import java.util.Arrays;

/**
 * A step schedule with PyTorch's {@code MultiStepLR} semantics as the reference uses it: the
 * scheduler steps once at the end of every epoch, epochs are counted from 1, so epoch e trains
 * with {@code base * gamma^(number of milestones m with m < e)}.
 *
 * <p>The baseline's schedule ({@link #baseline()}: base 1e-3, gamma 0.5, milestones 10..19, the
 * reference's {@code range(10, 20)}) therefore gives 1e-3 for epochs 1-10, 5e-4 for epoch 11,
 * 2.5e-4 for epoch 12, ..., 1e-3 / 2^10 = 9.765625e-7 for epoch 20 (and after): the rate is
 * halved at the end of every epoch from 10 to 19.
 */
public final class LearningRateSchedule {
    private final double base;
    private final double gamma;
    private final int[] milestones;

    /**
     * @param milestones epochs (1-based) at whose end the rate is multiplied by gamma
     */
    public LearningRateSchedule(double base, double gamma, int... milestones) {
        if (!(base >= 0) || Double.isInfinite(base) || !(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("base rate must be finite and >= 0 and gamma finite and > 0, got "
                    + base + ", " + gamma);
        }
        this.base = base;
        this.gamma = gamma;
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
    }

    /** The paper's backprop schedule: 1e-3, halved at the end of every epoch from 10 to 19. */
    public static LearningRateSchedule baseline() {
        return baseline(1e-3);
    }

    /** The baseline's shape with another starting rate (hyperparameter search). */
    public static LearningRateSchedule baseline(double base) {
        return new LearningRateSchedule(base, 0.5, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    }

    public static LearningRateSchedule constant(double rate) {
        return new LearningRateSchedule(rate, 1.0);
    }

    /** The rate for epoch {@code epoch}, counted from 1. */
    public float at(int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs are counted from 1, got " + epoch);
        }
        double lr = base;
        for (int m : milestones) {
            if (m < epoch) {
                lr *= gamma; // as MultiStepLR: one multiplication per milestone passed, in double
            }
        }
        return (float) lr;
    }

    public double base() {
        return base;
    }

    public double gamma() {
        return gamma;
    }

    public int[] milestones() {
        return milestones.clone();
    }

    @Override
    public String toString() {
        return "lr " + base + (milestones.length == 0 ? "" : ", x" + gamma + " after epochs " + Arrays.toString(milestones));
    }
}
