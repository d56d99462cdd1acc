package org.hebbcnn.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;

/**
 * Where probes get their inputs: the batches of an epoch of an image set, cut and ordered exactly as
 * {@link BatchIterator} cuts them for {@code options} (so shuffles, and therefore dropout masks drawn
 * per step, are the same whatever the source), each as the output of every probed layer.
 */
public interface FeatureSource {
    /** The batches of epoch {@code epoch} (0-based) of {@code set}, on sub-managers of {@code manager}. */
    FeatureBatches batches(ImageSet set, BatchOptions options, int epoch, NDManager manager);

    /**
     * The frozen network run on every batch as it comes (the uncached path): images normalised by
     * {@code normalization}, then {@code features} (images [B, C, H, W] to every probed layer's output).
     */
    static FeatureSource live(Normalization normalization, Function<NDArray, NDList> features) {
        return (set, options, epoch, manager) -> {
            BatchIterator batches = BatchIterator.of(set, normalization, options, epoch, manager);
            return new FeatureBatches(batches.batchCount(), i -> {
                Batch b = batches.next();
                try {
                    return new FeatureBatch(b.manager(), features.apply(b.images()), b.labels(), b.indices());
                } catch (RuntimeException e) {
                    b.close();
                    throw e;
                }
            });
        };
    }
}
