package org.hebbcnn.rules;

/** Miconi (2021): Oja's rule, dw ~ y (x - y w): for a linear neuron, w converges to the unit first principal component. */
public final class Oja extends ActivationRule {
    public Oja() {
        this(Activation.RELU, Aggregation.MEAN);
    }

    public Oja(Activation activation, Aggregation aggregation) {
        super(UpdateForm.OJA, activation, aggregation);
    }

    @Override
    public String name() {
        return "oja";
    }
}
