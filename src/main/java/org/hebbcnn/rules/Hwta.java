package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;

/**
 * Hebbian winner-takes-all (k-WTA). At each position of each image the k neurons whose weights
 * have the highest raised-cosine-squared score with the patch win; each winner moves towards the
 * mean of the patches it won: dw_i = mean_{won}(x - w_i) (instar form, activity-weighted
 * aggregation). k = 1 is the paper's setting; the reference stores k but never uses it, here k > 1
 * really updates k winners. Optionally the winners' activity is their score, giving a
 * score-weighted mean. Output to the next layer: ReLU(conv(x, w) / ||w||).
 */
public final class Hwta extends ActivityRule {
    private final int k;
    private final boolean scoreWeighted;

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
        NDArray mask = Competition.winners(in.weights(), in.preActivation(), k);
        if (!scoreWeighted) {
            return mask;
        }
        NDArray cos = Competition.cosine(in.input(), in.weights(), in.preActivation());
        return mask.mul(Competition.raisedCosineSquared(cos));
    }

    @Override
    public OutputFunction defaultOutput() {
        return OutputFunction.RELU_NORMALIZED;
    }
}
