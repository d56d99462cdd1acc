package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.ImageSet;

/**
 * The output of frozen layers under a trained stage, kept per image once computed: frozen layers
 * give the same output every epoch (eval mode, no randomness), so a stage that trains layers 5-6 on
 * four frozen layers runs those four once per image instead of once per epoch. The values handed
 * out are the ones computed, so training is bit-identical with or without the cache. A set is cached
 * only if all its images fit in the remaining byte budget; otherwise every batch is recomputed.
 */
public final class FrozenFeatures {
    /** Default budget: 2 GiB of float32 features on the Java heap. */
    public static final long DEFAULT_BUDGET_BYTES = 2L << 30;
    private static final float[][] TOO_BIG = new float[0][];

    private final UnaryOperator<NDArray> below;
    private long budgetFloats;
    private final Map<ImageSet, float[][]> bySet = new IdentityHashMap<>();
    private Shape shape; // per image
    private long computedImages;

    public FrozenFeatures(UnaryOperator<NDArray> below, long budgetBytes) {
        this.below = below;
        this.budgetFloats = budgetBytes / Float.BYTES;
    }

    /** {@code below(b.images())} for a batch of {@code set}, from the cache where every image is in it. */
    public NDArray apply(Batch b, ImageSet set) {
        float[][] rows = bySet.get(set);
        int[] idx = b.indices();
        if (rows != null && rows != TOO_BIG && cached(rows, idx)) {
            int per = (int) shape.size();
            float[] flat = new float[idx.length * per];
            for (int i = 0; i < idx.length; i++) {
                System.arraycopy(rows[idx[i]], 0, flat, i * per, per);
            }
            return b.manager().create(flat, new Shape(idx.length).addAll(shape));
        }
        NDArray out = below.apply(b.images());
        computedImages += idx.length;
        if (rows == null) {
            shape = out.getShape().slice(1);
            long need = shape.size() * set.size();
            rows = need <= budgetFloats ? new float[set.size()][] : TOO_BIG;
            budgetFloats -= rows == TOO_BIG ? 0 : need;
            bySet.put(set, rows);
        }
        if (rows != TOO_BIG) {
            float[] flat = out.toFloatArray();
            int per = flat.length / idx.length;
            for (int i = 0; i < idx.length; i++) {
                float[] r = new float[per];
                System.arraycopy(flat, i * per, r, 0, per);
                rows[idx[i]] = r;
            }
        }
        return out;
    }

    private static boolean cached(float[][] rows, int[] idx) {
        for (int i : idx) {
            if (rows[i] == null) {
                return false;
            }
        }
        return true;
    }

    /** Images run through the frozen layers so far (for tests and logs). */
    public long computedImages() {
        return computedImages;
    }
}
