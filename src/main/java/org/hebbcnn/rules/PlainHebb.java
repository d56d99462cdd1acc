package org.hebbcnn.rules;

/** Miconi (2021): plain Hebb, dw ~ y x (unbounded: weights grow without a decay term). */
public final class PlainHebb extends ActivationRule {
    public PlainHebb() {
        this(Activation.RELU, Aggregation.MEAN);
    }

    public PlainHebb(Activation activation, Aggregation aggregation) {
        super(UpdateForm.HEBB, activation, aggregation);
    }

    @Override
    public String name() {
        return "hebb";
    }
}
