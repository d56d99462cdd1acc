package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Inverted dropout with masks drawn from {@link SplittableRandom}, not from the engine's global
 * random generator: mask number {@code draw} of stream {@code seed} is a pure function of the two,
 * so a network that saves its draw counter resumes with exactly the masks it would have used, and
 * nothing else in the process (other networks, other threads) can disturb them.
 *
 * <p>Each element is kept with probability 1 - p and then scaled by 1 / (1 - p) (PyTorch's
 * {@code F.dropout} in training mode).
 */
public final class Dropout {
    private Dropout() {}

    /** x times a fresh mask (x's shape), differentiable in x. */
    public static NDArray apply(NDArray x, float p, long seed, long draw) {
        if (p == 0f) {
            return x.duplicate();
        }
        Shape shape = x.getShape();
        float[] mask = mask(Math.toIntExact(shape.size()), p, seed, draw);
        try (NDArray m = x.getManager().create(mask, shape)) {
            return x.mul(m);
        }
    }

    /** The mask values: 0 (dropped) or 1 / (1 - p) (kept). */
    public static float[] mask(int size, float p, long seed, long draw) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        float keep = 1f / (1f - p);
        SplittableRandom random = new SplittableRandom(streamSeed(seed, draw));
        float[] mask = new float[size];
        for (int i = 0; i < size; i++) {
            mask[i] = random.nextDouble() < p ? 0f : keep;
        }
        return mask;
    }

    /** A well-mixed seed for one draw (seeds differing by SplittableRandom's gamma would give shifted streams). */
    static long streamSeed(long seed, long draw) {
        return mix64(mix64(seed ^ 0x632BE59BD9B4E019L) + draw);
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser (as in SplittableRandom). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
