package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.hebbcnn.tensors.PatchOps;
import org.hebbcnn.util.GaussianInit;

/**
 * SoftHebb (Journe et al., ICLR 2023), as its authors' code computes it. With u = conv(x, W) the
 * pre-activation and t the inverse temperature:
 *
 * <pre>
 *   y      = softmax over channels of (t u)            soft winner-take-all at each position
 *   y'     = +y for the winner (argmax of u), -y for every other neuron   (anti-Hebbian losers)
 *   dW     = sum over patches of y' x^T - (sum over patches of y' u) W    (Oja-like decay)
 *   dW    /= max |dW| over the whole layer
 *   W_i   += lr0 (| ||w_i|| - 1 | + 1e-10)^0.5 dW_i   the rate falls as each norm reaches 1
 * </pre>
 *
 * The first sum is one convolution's weight gradient ({@link PatchOps#correlate}), not a loop over
 * patches. Weights start Normal with std 25 / sqrt(fan_in) (norms near 25), as the authors' do.
 * The layer passes on u; the triangle activation comes from the network spec.
 */
public final class SoftHebb implements PlasticityRule {
    private final double inverseTemperature;

    /** @param inverseTemperature t of softmax(t u); the authors use 1, 0.65, 0.25 on CIFAR-10's three layers */
    public SoftHebb(double inverseTemperature) {
        if (!(inverseTemperature > 0) || Double.isInfinite(inverseTemperature)) {
            throw new IllegalArgumentException("SoftHebb's inverse temperature t must be > 0, got " + inverseTemperature);
        }
        this.inverseTemperature = inverseTemperature;
    }

    public SoftHebb() {
        this(1.0);
    }

    @Override
    public String name() {
        return "softhebb";
    }

    public double inverseTemperature() {
        return inverseTemperature;
    }

    /** y': the softmax of t u over channels, negated for every neuron but the winner at each position. */
    public NDArray activity(RuleInput in) {
        NDArray u = in.preActivation();
        NDArray y = u.mul((float) inverseTemperature).softmax(1);
        NDArray winner = u.argMax(1).oneHot((int) u.getShape().get(1), DataType.FLOAT32) // [B, H, W, O]
                .transpose(0, 3, 1, 2);
        return y.mul(winner.mul(2f).sub(1f));
    }

    /** dW = sum y' x^T - (sum y' u) W, divided by its largest magnitude. */
    @Override
    public NDArray weightChange(RuleInput in) {
        NDArray dw = unnormalisedChange(in);
        return dw.divi(largestMagnitude(dw).add(1e-30f));
    }

    /**
     * W_i += lr (| ||w_i|| - 1 | + 1e-10)^0.5 dW_i, the norms taken before the step. The division by
     * max |dW| is folded into the per-neuron rates, so the layer's weights are swept a few times and
     * only one full-size temporary is made (on layer 3, 5.3M weights, each sweep costs about a third of
     * the forward convolution).
     */
    @Override
    public void apply(RuleInput in, float lr) {
        NDArray w = in.weights();
        NDArray rates = PatchOps.weightNorms(w).sub(1f).abs().add(1e-10f).sqrt().mul(lr);
        NDArray dw = unnormalisedChange(in);
        NDArray scale = rates.divi(largestMagnitude(dw).add(1e-30f));
        w.addi(PatchOps.scaleRowsInPlace(scale, dw));
    }

    /** sum y' x^T - (sum y' u) W, the first term as one convolution's weight gradient. */
    private NDArray unnormalisedChange(RuleInput in) {
        NDArray w = in.weights();
        NDArray y = activity(in);
        NDArray yu = y.mul(in.preActivation()).sum(new int[] {0, 2, 3});
        return PatchOps.correlate(in.input(), y, w.getShape()).subi(PatchOps.scaleRows(yu, w));
    }

    /** max |dW| as the larger of max dW and -min dW: two reductions, no full-size |dW|. */
    private static NDArray largestMagnitude(NDArray dw) {
        return dw.max().maximum(dw.min().neg());
    }

    /** Normal with std 25 / sqrt(fan_in), the authors' initialisation. */
    @Override
    public float[] initialWeights(Shape shape, long seed) {
        long fanIn = shape.size() / shape.get(0);
        return GaussianInit.draw(new SplittableRandom(seed), shape.size(), (float) (25 / Math.sqrt(fanIn)));
    }

    /** The layer passes on u itself; the spec's activation (SoftHebb's triangle) shapes it. */
    @Override
    public OutputFunction defaultOutput() {
        return OutputFunction.IDENTITY;
    }
}
