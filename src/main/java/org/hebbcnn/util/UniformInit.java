package org.hebbcnn.util;

import java.util.SplittableRandom;

/**
 * Weights drawn uniformly in +-bound from a seeded Java generator (PyTorch's default init with
 * bound 1/sqrt(fan_in)), so the same seed gives the same weights in every kind of layer.
 */
public final class UniformInit {
    private UniformInit() {}

    /** The next {@code n} draws of {@code random}, each uniform in [-bound, bound). */
    public static float[] draw(SplittableRandom random, long n, float bound) {
        float[] w = new float[Math.toIntExact(n)];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return w;
    }
}
