package org.hebbcnn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Miconi's (2021) second intervention, pruning: each weight w[o, c, i, j] of the layer is kept
 * with probability 1 - p and otherwise held at zero for the whole run, so each neuron sees a fixed
 * random subset of its inputs (input channel and kernel position, as in his code, which draws one
 * mask value per weight). The 0/1 mask M is drawn once from the layer's seed; the layer applies
 * W <- M * W after initialisation, after every update and to weights it loads. Being a function
 * of the seed, the mask is drawn again identically when a checkpoint is resumed, never stored.
 */
public final class Pruning {
    private final double fraction;
    private final NDArray mask;

    /**
     * @param fraction p, the share of weights removed, in [0, 1)
     * @param seed     the layer's seed; the mask's draws are a stream split from it, apart from the weights'
     */
    public Pruning(NDManager manager, Shape kernel, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("pruning must be in [0, 1), got " + fraction);
        }
        this.fraction = fraction;
        this.mask = manager.create(draw(kernel.size(), fraction, seed), kernel);
    }

    /** Mask values, one per weight: 1 with probability 1 - p. */
    static float[] draw(long size, double fraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed).split();
        float[] m = new float[Math.toIntExact(size)];
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextDouble() >= fraction ? 1f : 0f;
        }
        return m;
    }

    /** W <- M * W in place. */
    public void apply(NDArray weights) {
        weights.muli(mask);
    }

    /** The 0/1 mask [O, C, kh, kw]. */
    public NDArray mask() {
        return mask;
    }

    public double fraction() {
        return fraction;
    }
}
