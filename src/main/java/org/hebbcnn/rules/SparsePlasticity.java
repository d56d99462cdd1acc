package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Miconi's (2021) first intervention, sparse plasticity: at each position of each image only the
 * N neurons with the strongest response learn; the others' activity is zeroed for the update. The
 * layer's output is untouched (it stays as dense as its activation makes it, e.g. the triangle):
 *
 * <pre>
 *   m_n,i = 1 if neuron i is among the N largest s_n,i / ||w_i|| at patch n, else 0   (ties included)
 *   y'_n,i = m_n,i y_n,i      y the wrapped rule's activity; the rule's update form on y'
 * </pre>
 *
 * Ranking by s / ||w|| ranks by cosine (the patch norm is common to a position), as Miconi's
 * unit-norm weights make his ranking of s do. Everything else (name, initial weights, output, input
 * preference, schedule) is the wrapped rule's.
 */
public final class SparsePlasticity extends ActivityRule {
    private final ActivityRule rule;
    private final int plasticK;

    public SparsePlasticity(ActivityRule rule, int plasticK) {
        super(rule.form(), rule.aggregation());
        if (plasticK < 1) {
            throw new IllegalArgumentException("plasticK must be >= 1, got " + plasticK);
        }
        this.rule = rule;
        this.plasticK = plasticK;
    }

    public int plasticK() {
        return plasticK;
    }

    public ActivityRule rule() {
        return rule;
    }

    @Override
    public NDArray activity(RuleInput in) {
        return rule.activity(in).mul(Competition.winners(in.weights(), in.preActivation(), plasticK));
    }

    @Override
    public String name() {
        return rule.name();
    }

    @Override
    public float[] initialWeights(Shape shape, long seed) {
        return rule.initialWeights(shape, seed);
    }

    @Override
    public OutputFunction defaultOutput() {
        return rule.defaultOutput();
    }

    @Override
    public boolean wantsWhitenedInput() {
        return rule.wantsWhitenedInput();
    }

    @Override
    public void setProgress(double fraction) {
        rule.setProgress(fraction);
    }

    @Override
    public NDArray shiftSignal(NDArray signal, NDArray weights) {
        return rule.shiftSignal(signal, weights);
    }

    @Override
    public float[] state() {
        return rule.state();
    }

    @Override
    public void setState(float[] state) {
        rule.setState(state);
    }
}
