package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.features.FeatureStore;

/**
 * The output of frozen layers under a trained stage, computed once per image: frozen layers give
 * the same output every epoch (eval mode, no randomness), so a stage that trains layers 5-6 on four
 * frozen layers runs those four once per image instead of once per epoch. The outputs are kept in a
 * {@link FeatureStore} in memory (the probes' mechanism), filled for the training and validation
 * sets the first time a batch is asked for. An image's output does not depend on its batch, so
 * training is bit-identical with or without it. When the two sets' outputs exceed the byte budget,
 * every batch is recomputed instead.
 */
public final class FrozenFeatures {
    /** Default budget: 2 GiB of float32 features in native memory. */
    public static final long DEFAULT_BUDGET_BYTES = 2L << 30;

    private final UnaryOperator<NDArray> below;
    private final long budgetBytes;
    private final Map<String, ImageSet> sets = new LinkedHashMap<>();
    private final Normalization normalization;
    private final NDManager manager;
    private FeatureStore store;
    private boolean tooBig;
    private long recomputedImages;

    /**
     * @param below the frozen layers: images to the input of the trained stage
     * @param train the training set, and {@code validation} the validation set, whose batches are asked for
     */
    public FrozenFeatures(UnaryOperator<NDArray> below, long budgetBytes, ImageSet train, ImageSet validation,
            Normalization normalization, NDManager manager) {
        this.below = below;
        this.budgetBytes = budgetBytes;
        this.sets.put("train", train);
        this.sets.put("validation", validation);
        this.normalization = normalization;
        this.manager = manager;
        this.tooBig = budgetBytes <= 0;
    }

    /** {@code below(b.images())} for a batch of {@code set} (the training or the validation set). */
    public NDArray apply(Batch b, ImageSet set) {
        if (store == null && !tooBig) {
            long perImage;
            try (NDArray one = below.apply(b.images().get("0:1"))) { // sizes the cache
                perImage = one.getShape().size();
            }
            recomputedImages++;
            long need = perImage * Float.BYTES * sets.values().stream().mapToLong(ImageSet::size).sum();
            tooBig = need > budgetBytes;
            if (!tooBig) {
                store = new FeatureStore(null, budgetBytes, sets, normalization, x -> new NDList(below.apply(x)),
                        Evaluation.BATCH, "frozen layers", manager, s -> {});
            }
        }
        if (tooBig || !sets.containsValue(set)) {
            recomputedImages += b.size();
            return below.apply(b.images());
        }
        return store.rows(set, b.indices(), b.manager()).singletonOrThrow();
    }

    /** Images run through the frozen layers so far (for tests and logs). */
    public long computedImages() {
        return recomputedImages + (store == null ? 0 : store.computedImages());
    }
}
