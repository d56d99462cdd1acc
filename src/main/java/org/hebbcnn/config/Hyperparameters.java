package org.hebbcnn.config;

import java.util.Arrays;
import java.util.Locale;
import org.hebbcnn.training.LearningRateSchedule;
import org.hebbcnn.training.ProbeTraining;
import org.hebbcnn.util.InputError;

/**
 * The learning hyperparameters the experiments train with; {@link #paper()} are the reference's
 * (reference notes).
 *
 * @param backpropLr          SGD learning rate of backprop networks and SGD probes before the schedule
 * @param lrGamma             factor applied at each milestone
 * @param lrMilestones        epochs (1-based) at whose end the rate is multiplied by lrGamma
 * @param momentum            Nesterov momentum of backprop networks and SGD probes
 * @param dropout             dropout before the classifier (unless its spec sets one) and before the SGD probes
 * @param backpropWeightDecay L2 of backprop networks; NaN: the paper's (5e-2, 1e-2 on CIFAR-100)
 * @param topWeightDecay      L2 of backprop stages retraining one or two top layers
 * @param hebbianLr           learning rate of the Hebbian rules and of the network's SHC
 * @param hwtaK               winners per position of HWTA (k-WTA; the paper: 1)
 * @param zcaEpsilon          ZCA whitening regulariser (HWTA input)
 * @param probeWeightDecay    L2 of the SGD probes
 * @param shcProbeLr          learning rate of the SHC probes
 * @param chlProbeLr          learning rate of the CHL probes (not in the paper; {@link ProbeTraining#CHL_LR})
 * @param vaeLr               VAE learning rate
 * @param vaeMomentum         VAE (plain) momentum
 * @param klWeight            weight of the KL term of the VAE's loss
 * @param probeOptions        where the probes depart from the paper's (optimizer, schedule, batch, layers)
 */
public record Hyperparameters(double backpropLr, double lrGamma, int[] lrMilestones, double momentum, double dropout,
        double backpropWeightDecay, double topWeightDecay, double hebbianLr, int hwtaK, double zcaEpsilon,
        double probeWeightDecay, double shcProbeLr, double chlProbeLr, double vaeLr, double vaeMomentum, double klWeight,
        ProbeOptions probeOptions) {

    public Hyperparameters {
        positive("backprop.lr", backpropLr, false);
        positive("backprop.lrGamma", lrGamma, false);
        fraction("backprop.momentum", momentum);
        fraction("backprop.dropout", dropout);
        positive("backprop.topWeightDecay", topWeightDecay, true);
        positive("hebbian.lr", hebbianLr, false);
        if (hwtaK < 1) {
            throw new InputError("hebbian.hwtaK must be >= 1, got " + hwtaK);
        }
        positive("hebbian.zcaEpsilon", zcaEpsilon, false);
        positive("probes.weightDecay", probeWeightDecay, true);
        positive("probes.shcLr", shcProbeLr, false);
        positive("probes.chlLr", chlProbeLr, false);
        positive("vae.lr", vaeLr, false);
        fraction("vae.momentum", vaeMomentum);
        positive("vae.klWeight", klWeight, true);
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

    private static void positive(String key, double v, boolean zeroAllowed) {
        if (!Double.isFinite(v) || v < 0 || (!zeroAllowed && v == 0)) {
            throw new InputError(key + " must be a finite number " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + v);
        }
    }

    private static void fraction(String key, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new InputError(key + " must be in [0, 1), got " + v);
        }
    }

    /** The reference's values (and the CHL probes' default, which the paper does not have). */
    public static Hyperparameters paper() {
        return new Hyperparameters(1e-3, 0.5, new int[] {10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, 0.9, 0.5, Double.NaN,
                5e-4, 1e-3, 1, 1e-2, 5e-4, 1e-3, ProbeTraining.CHL_LR, 1e-3, 0.9, 0.5, ProbeOptions.paper());
    }

    /** The same hyperparameters with other probe options. */
    public Hyperparameters withProbeOptions(ProbeOptions p) {
        return new Hyperparameters(backpropLr, lrGamma, lrMilestones, momentum, dropout, backpropWeightDecay,
                topWeightDecay, hebbianLr, hwtaK, zcaEpsilon, probeWeightDecay, shcProbeLr, chlProbeLr, vaeLr, vaeMomentum, klWeight, p);
    }

    /** The SGD probes' schedule: the backprop schedule unless {@link ProbeOptions} set their own. */
    public LearningRateSchedule probeSchedule() {
        ProbeOptions p = probeOptions;
        return new LearningRateSchedule(Double.isNaN(p.lr()) ? backpropLr : p.lr(),
                Double.isNaN(p.lrGamma()) ? lrGamma : p.lrGamma(), p.lrMilestones() == null ? lrMilestones : p.lrMilestones());
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
        return String.format(Locale.ROOT, " backprop.lr=%s lrGamma=%s lrMilestones=%s momentum=%s dropout=%s "
                + "weightDecay=%s topWeightDecay=%s hebbian.lr=%s hwtaK=%d zcaEpsilon=%s probes.weightDecay=%s "
                + "shcLr=%s chlLr=%s vae.lr=%s momentum=%s klWeight=%s", backpropLr, lrGamma, Arrays.toString(lrMilestones),
                momentum, dropout, backpropWeightDecay, topWeightDecay, hebbianLr, hwtaK, zcaEpsilon, probeWeightDecay,
                shcProbeLr, chlProbeLr, vaeLr, vaeMomentum, klWeight) + (probeOptions.isPaper() ? "" : " " + probeOptions);
    }

    /**
     * The probes' settings as used, for a table's notes: "SGD (dropout 0.5, lr 1e-3 x0.5 after epochs 10-19,
     * momentum 0.9, L2 5e-4), SHC (lr 1e-3) and CHL (lr 0.01)".
     */
    public String probesNote() {
        LearningRateSchedule s = probeSchedule();
        boolean adam = probeOptions.optimizer().equals(ProbeOptions.ADAM);
        return (adam ? "Adam" : "SGD") + " (dropout " + number(dropout) + ", "
                + scheduleNote(s.base(), s.gamma(), s.milestones()) + (adam ? "" : ", momentum " + number(momentum))
                + ", L2 " + number(probeWeightDecay) + (probeOptions.batch() > 0 ? ", batch " + probeOptions.batch() : "")
                + "), SHC (lr " + number(shcProbeLr) + ") and CHL (lr " + number(chlProbeLr) + ")";
    }

    /** "lr 1e-3 x0.5 after epochs 10-19" (the milestones as given, ranges joined). */
    public String scheduleNote() {
        return scheduleNote(backpropLr, lrGamma, lrMilestones);
    }

    private static String scheduleNote(double backpropLr, double lrGamma, int[] lrMilestones) {
        if (lrMilestones.length == 0) {
            return "lr " + number(backpropLr);
        }
        StringBuilder epochs = new StringBuilder();
        int[] m = lrMilestones.clone();
        Arrays.sort(m);
        for (int i = 0; i < m.length; ) {
            int j = i;
            while (j + 1 < m.length && m[j + 1] == m[j] + 1) {
                j++;
            }
            epochs.append(epochs.length() == 0 ? "" : ", ").append(m[i]).append(j > i ? "-" + m[j] : "");
            i = j + 1;
        }
        return "lr " + number(backpropLr) + " x" + number(lrGamma) + " after epoch" + (m.length > 1 ? "s " : " ") + epochs;
    }

    /** 5e-4, 0.001 -> 1e-3, 0.5, 0.25, 2: short and exact (as many digits as the value needs). */
    public static String number(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        if (Math.abs(v) >= 0.01 && Math.abs(v) < 1e4) {
            return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        int exponent = (int) Math.floor(Math.log10(Math.abs(v)));
        java.math.BigDecimal mantissa = java.math.BigDecimal.valueOf(v).movePointLeft(exponent).stripTrailingZeros();
        if (mantissa.abs().compareTo(java.math.BigDecimal.TEN) >= 0) { // rounding of log10 at exact powers
            mantissa = mantissa.movePointLeft(1);
            exponent++;
        }
        return mantissa.toPlainString() + "e" + exponent;
    }

    private double[] numbers() {
        return new double[] {backpropLr, lrGamma, momentum, dropout, backpropWeightDecay, topWeightDecay, hebbianLr,
            hwtaK, zcaEpsilon, probeWeightDecay, shcProbeLr, chlProbeLr, vaeLr, vaeMomentum, klWeight};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hyperparameters h && Arrays.equals(h.numbers(), numbers())
                && Arrays.equals(h.lrMilestones, lrMilestones) && h.probeOptions.equals(probeOptions);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(numbers()) * 31 + Arrays.hashCode(lrMilestones)) * 31 + probeOptions.hashCode();
    }

    @Override
    public String toString() {
        return identitySuffix().isEmpty() ? "paper hyperparameters" : identitySuffix().trim();
    }
}
