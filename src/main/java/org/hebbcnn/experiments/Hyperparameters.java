package org.hebbcnn.experiments;

import java.util.Arrays;
import java.util.Locale;
import org.hebbcnn.training.LearningRateSchedule;
import org.hebbcnn.util.InputError;

/**
 * The learning hyperparameters the experiments train with; {@link #paper()} are the reference's
 * (reference notes). Dropout (0.5), momentum (0.9) and the VAE's KL weight (0.5) are fixed.
 *
 * @param backpropLr          SGD learning rate of backprop networks and SGD probes before the schedule
 * @param lrGamma             factor applied at each milestone
 * @param lrMilestones        epochs (1-based) at whose end the rate is multiplied by lrGamma
 * @param backpropWeightDecay L2 of backprop networks; NaN: the paper's (5e-2, 1e-2 on CIFAR-100)
 * @param topWeightDecay      L2 of backprop stages retraining one or two top layers
 * @param hebbianLr           learning rate of the Hebbian rules and of the network's SHC
 * @param zcaEpsilon          ZCA whitening regulariser (HWTA input)
 * @param probeWeightDecay    L2 of the SGD probes
 * @param shcProbeLr          learning rate of the SHC probes
 * @param vaeLr               VAE learning rate
 */
public record Hyperparameters(double backpropLr, double lrGamma, int[] lrMilestones, double backpropWeightDecay,
        double topWeightDecay, double hebbianLr, double zcaEpsilon, double probeWeightDecay, double shcProbeLr,
        double vaeLr) {

    public Hyperparameters {
        positive("backprop.lr", backpropLr);
        positive("backprop.lrGamma", lrGamma);
        positive("backprop.topWeightDecay", topWeightDecay, true);
        positive("hebbian.lr", hebbianLr);
        positive("hebbian.zcaEpsilon", zcaEpsilon);
        positive("probes.weightDecay", probeWeightDecay, true);
        positive("probes.shcLr", shcProbeLr);
        positive("vae.lr", vaeLr);
        if (!Double.isNaN(backpropWeightDecay)) {
            positive("backprop.weightDecay", backpropWeightDecay, true);
        }
        lrMilestones = lrMilestones.clone();
        for (int m : lrMilestones) {
            if (m < 1) {
                throw new InputError("backprop.lrMilestones: epochs are counted from 1, got " + m);
            }
        }
    }

    private static void positive(String key, double v) {
        positive(key, v, false);
    }

    private static void positive(String key, double v, boolean zeroAllowed) {
        if (!Double.isFinite(v) || v < 0 || (!zeroAllowed && v == 0)) {
            throw new InputError(key + " must be a finite number " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + v);
        }
    }

    /** The reference's values. */
    public static Hyperparameters paper() {
        return new Hyperparameters(1e-3, 0.5, new int[] {10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, Double.NaN, 5e-4,
                1e-3, 1e-2, 5e-4, 1e-3, 1e-3);
    }

    /** The backprop schedule (networks, backprop stages, SGD probes). */
    public LearningRateSchedule schedule() {
        return new LearningRateSchedule(backpropLr, lrGamma, lrMilestones);
    }

    /** L2 of a backprop network on {@code dataset}. */
    public float weightDecay(String dataset) {
        if (!Double.isNaN(backpropWeightDecay)) {
            return (float) backpropWeightDecay;
        }
        return dataset.equals("cifar100") ? 1e-2f : 5e-2f;
    }

    /**
     * Empty for the paper's values, else a text naming every value: appended to an output folder's
     * identity, so runs with other hyperparameters are never mixed with the paper's.
     */
    public String identitySuffix() {
        if (equals(paper())) {
            return "";
        }
        return String.format(Locale.ROOT, " backprop.lr=%s lrGamma=%s lrMilestones=%s weightDecay=%s topWeightDecay=%s "
                + "hebbian.lr=%s zcaEpsilon=%s probes.weightDecay=%s shcLr=%s vae.lr=%s", backpropLr, lrGamma,
                Arrays.toString(lrMilestones), backpropWeightDecay, topWeightDecay, hebbianLr, zcaEpsilon,
                probeWeightDecay, shcProbeLr, vaeLr);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hyperparameters h && Double.compare(h.backpropLr, backpropLr) == 0
                && Double.compare(h.lrGamma, lrGamma) == 0 && Arrays.equals(h.lrMilestones, lrMilestones)
                && Double.compare(h.backpropWeightDecay, backpropWeightDecay) == 0
                && Double.compare(h.topWeightDecay, topWeightDecay) == 0 && Double.compare(h.hebbianLr, hebbianLr) == 0
                && Double.compare(h.zcaEpsilon, zcaEpsilon) == 0
                && Double.compare(h.probeWeightDecay, probeWeightDecay) == 0
                && Double.compare(h.shcProbeLr, shcProbeLr) == 0 && Double.compare(h.vaeLr, vaeLr) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {backpropLr, lrGamma, backpropWeightDecay, topWeightDecay, hebbianLr,
            zcaEpsilon, probeWeightDecay, shcProbeLr, vaeLr}) * 31 + Arrays.hashCode(lrMilestones);
    }

    @Override
    public String toString() {
        return identitySuffix().isEmpty() ? "paper hyperparameters" : identitySuffix().trim();
    }
}
