package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;

/**
 * Contrastive Hebbian learning (Movellan 1991, "Contrastive Hebbian learning in the continuous
 * Hopfield model"; Xie and Seung 2003, Neural Computation 15(2)) as a one-layer classifier. The
 * same input x is presented in two phases:
 *
 * <pre>
 *   free phase      y_f = sigmoid(W x)      (the output settles with no label)
 *   clamped phase   y_c = t                  (the output is clamped to the one-hot label)
 *   update          dW  = mean_n (y_c x^T - y_f x^T) = mean_n (t - sigmoid(W x)) x^T
 * </pre>
 *
 * The difference of the two phases' Hebbian correlations is the Hebb form of the activity
 * difference y_c - y_f, averaged over patches (one per image on a dense classifier); the layer
 * applies W <- W + lr dW. With no hidden layer the free phase settles in one step, so there is no
 * settling loop or feedback gain; the update is then the gradient of one-vs-rest logistic
 * regression. Output: the class score s = W x (sigmoid is monotone, so the ranking is the same).
 * Takes no setting beside the layer's {@code lr}. No hidden layer (Xie and Seung's layered form,
 * h and y settled with feedback gain gamma): a Hebbian layer holds one weight tensor, passes on
 * conv(x, W) and is saved as one file, so a hidden CHL layer would need a layer of its own.
 */
public final class Chl extends ActivityRule {
    public Chl() {
        super(UpdateForm.HEBB, Aggregation.MEAN);
    }

    @Override
    public String name() {
        return "chl";
    }

    /** y_c - y_f: the clamped phase's output minus the free phase's. */
    @Override
    public NDArray activity(RuleInput in) {
        return clamped(in).sub(free(in));
    }

    /** The free phase: y_f = sigmoid(s), s = W x. */
    static NDArray free(RuleInput in) {
        return ai.djl.nn.Activation.sigmoid(in.preActivation());
    }

    /** The clamped phase: the one-hot label of each image at every position of its output map. */
    static NDArray clamped(RuleInput in) {
        return in.teacherMap("CHL");
    }

    @Override
    public boolean needsTeacher() {
        return true;
    }

    @Override
    public OutputFunction defaultOutput() {
        return OutputFunction.IDENTITY;
    }
}
