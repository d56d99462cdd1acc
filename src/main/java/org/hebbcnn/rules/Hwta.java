package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import org.hebbcnn.tensors.PatchOps;

/**
 * Hebbian winner-takes-all (k-WTA). At each position of each image the k neurons whose weights
 * have the highest raised-cosine-squared score with the patch win; each winner moves towards the
 * mean of the patches it won: dw_i = mean_{won}(x - w_i) (instar form, activity-weighted
 * aggregation). k = 1 is the paper's setting; the reference stores k but never uses it, here k > 1
 * really updates k winners. Optionally the winners' activity is their score, giving a
 * score-weighted mean. Output to the next layer: ReLU(conv(x, w) / ||w||).
 *
 * <p><b>Adaptive thresholds</b> (Miconi 2021, {@link #withThreshold}): each neuron i has a threshold
 * theta_i, 0 at first, subtracted from its score before the competition, so a neuron wins only where
 * it is among the k best of s / ||w|| - theta and that is above 0; the layer's output is the
 * activation of s / ||w|| - theta. After each training batch theta_i += mu (r_i - k / O), r_i the
 * share of the batch's positions the neuron won: neurons that win too often are held back and
 * silent ones brought in, towards his target rate k / O. Miconi's weights have norm 1, so his
 * s - theta is our s / ||w|| - theta. The thresholds are the rule's state ({@link #state}), saved with
 * the network; they move only while the layer learns (his also moved while features were read).
 */
public final class Hwta extends ActivityRule {
    private final int k;
    private final boolean scoreWeighted;
    /** mu, the thresholds' rate; 0: no thresholds. */
    private float thresholdRate;
    /** theta per neuron, allocated on first use (the width is the weights'); null without thresholds. */
    private float[] theta;

    public Hwta() {
        this(1, false, Aggregation.ACTIVITY_WEIGHTED);
    }

    public Hwta(int k) {
        this(k, false, Aggregation.ACTIVITY_WEIGHTED);
    }

    /**
     * @param k winners per position
     * @param scoreWeighted weight each won patch by the winner's raised-cosine-squared score
     * @param aggregation ACTIVITY_WEIGHTED: mean over won patches; MEAN: divided by all patches
     */
    public Hwta(int k, boolean scoreWeighted, Aggregation aggregation) {
        super(UpdateForm.INSTAR, aggregation);
        if (k < 1) {
            throw new IllegalArgumentException("k-WTA needs k >= 1, got " + k);
        }
        this.k = k;
        this.scoreWeighted = scoreWeighted;
    }

    public int k() {
        return k;
    }

    /** This rule with adaptive thresholds moving at rate {@code mu} > 0 (see the class comment); returns this. */
    public Hwta withThreshold(float mu) {
        if (!(mu > 0) || scoreWeighted) {
            throw new IllegalArgumentException("thresholds need a rate > 0 and winners of activity 1, got " + mu);
        }
        this.thresholdRate = mu;
        return this;
    }

    public float thresholdRate() {
        return thresholdRate;
    }

    /** theta [O] on the manager of s, or null without thresholds. */
    private NDArray thresholds(NDArray w, NDArray s) {
        if (thresholdRate == 0) {
            return null;
        }
        int o = Math.toIntExact(w.getShape().get(0));
        if (theta == null) {
            theta = new float[o];
        }
        return s.getManager().create(theta);
    }

    /** Winner-take-all: the reference whitens its input (ZCA). */
    @Override
    public boolean wantsWhitenedInput() {
        return true;
    }

    @Override
    public String name() {
        return "hwta";
    }

    @Override
    public NDArray activity(RuleInput in) {
        NDArray theta = thresholds(in.weights(), in.preActivation());
        NDArray mask = theta == null ? Competition.winners(in.weights(), in.preActivation(), k)
                : Competition.winners(in.weights(), in.preActivation(), k, theta);
        if (!scoreWeighted) {
            return mask;
        }
        NDArray cos = Competition.cosine(in.input(), in.weights(), in.preActivation());
        return mask.mul(Competition.raisedCosineSquared(cos));
    }

    /** One learning step; with thresholds, theta then moves by mu (win rate - k / O), from this batch's winners. */
    @Override
    public void apply(RuleInput in, float lr) {
        if (thresholdRate == 0) {
            super.apply(in, lr);
            return;
        }
        NDArray winners = activity(in);
        form().applyInPlace(in.input(), winners, in.weights(), aggregation(), lr);
        float[] won = PatchOps.activitySums(winners).toFloatArray();
        float positions = PatchOps.patchCount(winners);
        float target = (float) k / theta.length;
        for (int i = 0; i < theta.length; i++) {
            theta[i] += thresholdRate * (won[i] / positions - target);
        }
    }

    /** With thresholds, the layer passes on the activation of s / ||w|| - theta. */
    @Override
    public NDArray shiftSignal(NDArray signal, NDArray weights) {
        NDArray theta = thresholds(weights, signal);
        return theta == null ? signal : signal.sub(theta.reshape(1, -1, 1, 1));
    }

    @Override
    public float[] state() {
        return theta == null ? null : theta.clone(); // null until the first batch with thresholds
    }

    @Override
    public void setState(float[] state) {
        if (thresholdRate == 0) {
            throw new IllegalStateException("hwta without thresholds has no state");
        }
        theta = Arrays.copyOf(state, state.length);
    }

    @Override
    public OutputFunction defaultOutput() {
        return OutputFunction.RELU_NORMALIZED;
    }
}
