package org.hebbcnn.util;

import java.util.SplittableRandom;

/**
 * Weights drawn from a normal distribution by a seeded Java generator (Box-Muller with StrictMath),
 * so the same seed gives the same weights on every JVM and engine.
 */
public final class GaussianInit {
    private GaussianInit() {}

    /** The next {@code n} standard-normal draws of {@code random}, each times {@code std}. */
    public static float[] draw(SplittableRandom random, long n, float std) {
        float[] w = new float[Math.toIntExact(n)];
        for (int i = 0; i < w.length; i += 2) {
            double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - random.nextDouble())); // 1 - u is in (0, 1]
            double angle = 2 * StrictMath.PI * random.nextDouble();
            w[i] = (float) (std * radius * StrictMath.cos(angle));
            if (i + 1 < w.length) {
                w[i + 1] = (float) (std * radius * StrictMath.sin(angle));
            }
        }
        return w;
    }
}
