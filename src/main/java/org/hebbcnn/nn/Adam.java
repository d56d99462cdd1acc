package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) with PyTorch's formula ({@code torch.optim.Adam}, betas 0.9 and 0.999,
 * eps 1e-8, L2 added to the gradient), which SoftHebb's readout trains with:
 *
 * <pre>
 *   g = grad + wd p
 *   m = b1 m + (1 - b1) g                 first moment: the parameter's momentum buffer
 *   v = b2 v + (1 - b2) g^2               second moment: module state {@code adam_v.<name>}
 *   p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * t counts the steps from 1. Both moments live in the module ({@link #attach}), so a module saved
 * and loaded with {@link ModuleFile} resumes bit-identically once {@link #setSteps} restores t.
 */
public final class Adam implements Optimizer {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPS = 1e-8f;
    public static final String SECOND_MOMENT = "adam_v.";

    private final Map<Parameter, NDArray> secondMoments = new HashMap<>();
    private float learningRate;
    private float weightDecay;
    private long steps;

    public Adam(float learningRate, float weightDecay) {
        setLearningRate(learningRate);
        this.weightDecay = Optimizer.nonNegative("weight decay", weightDecay);
    }

    /** Adds the second-moment arrays of every parameter of {@code module} to its state. Returns this. */
    public Adam attach(Module module) {
        for (Parameter p : module.parameters()) {
            secondMoments.put(p, module.state(SECOND_MOMENT + p.name(), p.value().getShape()));
        }
        return this;
    }

    @Override
    public void beginStep() {
        steps++;
    }

    @Override
    public void update(Parameter p) {
        NDArray v = secondMoments.get(p);
        if (v == null) {
            throw new IllegalStateException("parameter " + p.name() + " is not in a module attached to this Adam");
        }
        NDArray param = p.value();
        NDArray m = p.velocity();
        try (NDArray grad = param.getGradient(); NDArray g = weightDecay == 0 ? grad.duplicate() : grad.add(param.mul(weightDecay))) {
            m.muli(BETA1).addi(g.mul(1 - BETA1));
            v.muli(BETA2).addi(g.square().muli(1 - BETA2));
            double correction1 = 1 - Math.pow(BETA1, steps);
            double correction2 = 1 - Math.pow(BETA2, steps);
            try (NDArray denominator = v.sqrt().divi((float) Math.sqrt(correction2)).addi(EPS)) {
                param.subi(m.div(denominator).muli((float) (learningRate / correction1)));
            }
        }
        NesterovSgd.zeroGradient(param);
    }

    /** Steps taken so far (t). */
    public long steps() {
        return steps;
    }

    /** Restores t (after loading the module's moments). */
    public void setSteps(long steps) {
        this.steps = steps;
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
}
