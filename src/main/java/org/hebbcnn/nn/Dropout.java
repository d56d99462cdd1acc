package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Inverted dropout with masks drawn from {@link java.util.SplittableRandom}, not from the engine's global
 * random generator: mask number {@code draw} of stream {@code seed} is a pure function of the two,
 * so a network that saves its draw counter resumes with exactly the masks it would have used, and
 * nothing else in the process (other networks, other threads) can disturb them.
 *
 * <p>Each element is kept with probability 1 - p and then scaled by 1 / (1 - p) (PyTorch's
 * {@code F.dropout} in training mode).
 */
public final class Dropout {
    private Dropout() {}

    /**
     * x times a fresh mask (x's shape), differentiable in x: x * kept * 1/(1-p), with the kept flags
     * sent to the engine as one byte each (a quarter of a float mask's copy) and the scale applied
     * there; the products are those of x times the float mask, bit for bit.
     */
    public static NDArray apply(NDArray x, float p, long seed, long draw) {
        if (p == 0f) {
            return x.duplicate();
        }
        Shape shape = x.getShape();
        boolean[] kept = kept(Math.toIntExact(shape.size()), p, seed, draw);
        try (NDArray m = x.getManager().create(kept, shape)) {
            return x.mul(m).mul(1f / (1f - p));
        }
    }

    /**
     * The mask values: 0 (dropped) or 1 / (1 - p) (kept). Element i is dropped when the i-th
     * {@code nextDouble()} of {@code new SplittableRandom(streamSeed(seed, draw))} is below p; that
     * double is computed here directly from SplittableRandom's published recurrence (state
     * s + (i + 1) * gamma, mixed by mix64, top 53 bits), without a branch per element and in parallel
     * chunks, so the masks are those of the plain loop (DropoutTest checks it) at a fraction of its
     * cost: the plain loop's data-dependent branch, mispredicted half of the time at p = 0.5, made
     * the probes' dropout most of a probe epoch from cached features.
     */
    public static float[] mask(int size, float p, long seed, long draw) {
        boolean[] kept = kept(size, p, seed, draw);
        float keep = 1f / (1f - p);
        float[] mask = new float[size];
        for (int i = 0; i < size; i++) {
            mask[i] = kept[i] ? keep : 0f;
        }
        return mask;
    }

    /** Which elements the mask keeps: element i unless the i-th double of the stream is below p. */
    static boolean[] kept(int size, float p, long seed, long draw) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        // u = bits * 2^-53 < p  <=>  bits < p * 2^53 (exact in double)  <=>  bits < ceil(p * 2^53)
        long threshold = (long) Math.ceil(p * 0x1.0p53);
        long start = streamSeed(seed, draw);
        boolean[] kept = new boolean[size];
        int chunks = (size + CHUNK - 1) / CHUNK;
        java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = c * CHUNK;
            int to = Math.min(size, from + CHUNK);
            long state = start + (long) from * GOLDEN_GAMMA;
            for (int i = from; i < to; i++) {
                state += GOLDEN_GAMMA;
                kept[i] = (mix64(state) >>> 11) >= threshold; // no branch: a compare stored as a byte
            }
        });
        return kept;
    }

    /** SplittableRandom's default gamma (the odd constant its single-seed constructor uses). */
    static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final int CHUNK = 1 << 16;

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
