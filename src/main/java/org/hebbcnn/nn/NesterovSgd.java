package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Stochastic gradient descent with Nesterov momentum and L2 weight decay, with PyTorch's formula
 * ({@code torch.optim.SGD(nesterov=True, momentum=mu, weight_decay=wd, dampening=0)}):
 *
 * <pre>
 *   d = g + wd * p            (weight decay added to the gradient, on every parameter)
 *   v = mu * v + d            (velocity; it starts at zero, so the first step gives v = d as in PyTorch)
 *   p = p - lr * (d + mu * v)
 * </pre>
 *
 * With {@code nesterov = false} (the VAE baseline's plain momentum, PyTorch's default
 * {@code nesterov=False}) the last line is {@code p = p - lr * v}.
 *
 * The velocity arrays belong to the caller (a network saves them with its parameters, so training
 * resumed from a file continues bit-identically). Updates are in place; the few temporaries are
 * closed before returning. DJL's own {@code Optimizer.nag()} is not used: its state lives inside
 * the optimizer, where it cannot be saved.
 */
public final class NesterovSgd implements Optimizer {
    public static final float DEFAULT_MOMENTUM = 0.9f;

    private final float momentum;
    private final boolean nesterov;
    private float learningRate;
    private float weightDecay;

    public NesterovSgd(float learningRate, float momentum, float weightDecay) {
        this(learningRate, momentum, weightDecay, true);
    }

    /** @param nesterov false for plain (heavy-ball) momentum: p = p - lr * v */
    public NesterovSgd(float learningRate, float momentum, float weightDecay, boolean nesterov) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        setLearningRate(learningRate);
        setWeightDecay(weightDecay);
    }

    /** Momentum 0.9, the paper's setting. */
    public NesterovSgd(float learningRate, float weightDecay) {
        this(learningRate, DEFAULT_MOMENTUM, weightDecay);
    }

    /** One update of {@code param} and {@code velocity} (same shape as param) from {@code grad}, in place. */
    public void update(NDArray param, NDArray grad, NDArray velocity) {
        if (!param.getShape().equals(grad.getShape()) || !param.getShape().equals(velocity.getShape())) {
            throw new IllegalArgumentException("parameter " + param.getShape() + ", gradient " + grad.getShape()
                    + " and velocity " + velocity.getShape() + " must have one shape");
        }
        NDArray d;
        if (weightDecay != 0f) {
            try (NDArray decay = param.mul(weightDecay)) {
                d = grad.add(decay);
            }
        } else {
            d = grad.duplicate();
        }
        try (d) {
            velocity.muli(momentum).addi(d);
            if (!nesterov) {
                try (NDArray step = velocity.mul(learningRate)) {
                    param.subi(step);
                }
                return;
            }
            try (NDArray ahead = velocity.mul(momentum)) {
                d.addi(ahead).muli(learningRate);
            }
            param.subi(d);
        }
    }

    /**
     * Updates a parameter from the gradient that autograd accumulated in it, then zeroes that
     * gradient (autograd adds to it on the next backward pass).
     */
    public void step(NDArray param, NDArray velocity) {
        try (NDArray grad = param.getGradient()) {
            update(param, grad, velocity);
        }
        zeroGradient(param);
    }

    @Override
    public void update(Parameter p) {
        step(p.value(), p.velocity());
    }

    /** Sets the gradient accumulated in {@code param} to zero, in place. */
    public static void zeroGradient(NDArray param) {
        if (param instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt); // grad.zero_(): also clears NaN, which multiplying by 0 would keep
        } else {
            try (NDArray grad = param.getGradient()) {
                grad.muli(0f);
            }
        }
    }

    @Override
    public float learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(float learningRate) {
        this.learningRate = Optimizer.nonNegative("learning rate", learningRate);
    }

    public float weightDecay() {
        return weightDecay;
    }

    public void setWeightDecay(float weightDecay) {
        this.weightDecay = Optimizer.nonNegative("weight decay", weightDecay);
    }

    /** The same optimiser with another momentum (its rate, weight decay and kind kept). */
    public NesterovSgd withMomentum(float m) {
        return new NesterovSgd(learningRate, m, weightDecay, nesterov());
    }

    public float momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }
}
