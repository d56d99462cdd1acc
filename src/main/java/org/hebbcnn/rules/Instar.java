package org.hebbcnn.rules;

/** Miconi (2021): Grossberg's instar, dw ~ y (x - w): w moves towards the inputs that activate it. */
public final class Instar extends ActivationRule {
    public Instar() {
        this(Activation.RELU, Aggregation.MEAN);
    }

    public Instar(Activation activation, Aggregation aggregation) {
        super(UpdateForm.INSTAR, activation, aggregation);
    }

    @Override
    public String name() {
        return "instar";
    }
}
