package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;

/**
 * A rule made of two choices: the post-synaptic activity y it learns from ({@link #activity}) and
 * the form of the update ({@link UpdateForm}), aggregated over patches ({@link Aggregation}).
 * Every rule of the project is one of these.
 */
public abstract class ActivityRule implements PlasticityRule {
    private final UpdateForm form;
    private final Aggregation aggregation;

    protected ActivityRule(UpdateForm form, Aggregation aggregation) {
        this.form = form;
        this.aggregation = aggregation;
    }

    /** The post-synaptic activity y [B, O, H', W'] this rule learns from. */
    public abstract NDArray activity(RuleInput in);

    @Override
    public NDArray weightChange(RuleInput in) {
        return form.apply(in.input(), activity(in), in.weights(), aggregation);
    }

    @Override
    public void apply(RuleInput in, float lr) {
        form.applyInPlace(in.input(), activity(in), in.weights(), aggregation, lr);
    }

    public UpdateForm form() {
        return form;
    }

    public Aggregation aggregation() {
        return aggregation;
    }
}
