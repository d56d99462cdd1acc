package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;

/**
 * A rule that learns from y = f(conv(x, W)) for a fixed nonlinearity f: the plain Hebb, instar
 * and Oja rules of Miconi (2021). Each is also the negative gradient of a surrogate loss
 * ({@link SurrogateLoss}).
 */
public abstract class ActivationRule extends ActivityRule {
    private final Activation activation;

    protected ActivationRule(UpdateForm form, Activation activation, Aggregation aggregation) {
        super(form, aggregation);
        this.activation = activation;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public NDArray activity(RuleInput in) {
        return activation.apply(in.preActivation());
    }
}
