package org.hebbcnn.rules;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import org.hebbcnn.tensors.PatchOps;

/**
 * Miconi's formulation (2021): Hebbian updates as gradients of surrogate losses, so a framework's
 * autograd produces them. With y the activity held constant (stop-gradient) and s = conv(x, W):
 *
 * <pre>
 *   HEBB    L = -sum y s                                   -dL/dw_i = sum_n y_ni x_n
 *   INSTAR  L = -sum y s + 1/2 sum_i (sum_n y_ni)   |w_i|^2   -dL/dw_i = sum_n y_ni (x_n - w_i)
 *   OJA     L = -sum y s + 1/2 sum_i (sum_n y_ni^2) |w_i|^2   -dL/dw_i = sum_n y_ni (x_n - y_ni w_i)
 * </pre>
 *
 * Slower than the direct update (a backward pass through the convolution), kept as an independent
 * check and for users who want to write new rules as losses.
 */
public final class SurrogateLoss {
    private SurrogateLoss() {}

    /** The update of {@code rule} computed as the negative gradient of its surrogate loss. */
    public static NDArray weightChange(ActivityRule rule, RuleInput in) {
        UpdateForm form = rule.form();
        if (form == UpdateForm.SANGER) {
            throw new IllegalArgumentException("no surrogate loss for Sanger's rule here");
        }
        NDArray y = rule.activity(in).stopGradient();
        NDArray w = in.weights().duplicate();
        w.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray s = PatchOps.conv(in.input(), w);
            NDArray loss = y.mul(s).sum().neg();
            if (form != UpdateForm.HEBB) {
                NDArray decay = PatchOps.activitySums(form == UpdateForm.OJA ? y.square() : y);
                NDArray normSq = w.square().reshape(w.getShape().get(0), -1).sum(new int[] {1});
                loss = loss.add(decay.mul(normSq).sum().mul(0.5f));
            }
            collector.backward(loss);
        }
        NDArray sum = w.getGradient().neg();
        return UpdateForm.aggregate(sum, y, rule.aggregation());
    }
}
