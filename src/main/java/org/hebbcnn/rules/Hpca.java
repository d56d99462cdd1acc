package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;

/**
 * Hebbian PCA: Sanger's rule with a nonlinearity, dW = (Y^T X - tril(Y^T Y) W) / N with
 * y = ReLU(conv(x, W)), averaged over all patches (reference notes, "HPCA"). With
 * {@link Activation#LINEAR} it is classical Sanger, whose weights converge to the principal
 * components of the input patches, in order.
 */
public final class Hpca extends ActivityRule {
    private final Activation activation;

    public Hpca() {
        this(Activation.RELU);
    }

    public Hpca(Activation activation) {
        super(UpdateForm.SANGER, Aggregation.MEAN);
        this.activation = activation;
    }

    @Override
    public String name() {
        return activation == Activation.RELU ? "hpca" : "sanger";
    }

    @Override
    public NDArray activity(RuleInput in) {
        return activation.apply(in.preActivation());
    }
}
