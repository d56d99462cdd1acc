package org.hebbcnn.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * One batch as a probe sees it: the output of every probed layer for the batch's images (layer by
 * layer, each [B, ...] as the network produced it) and the labels int64 [B], all on the batch's own
 * sub-manager. Close it (try-with-resources) to free its native memory at once.
 */
public final class FeatureBatch implements AutoCloseable {
    private final NDManager manager;
    private final NDList features;
    private final NDArray labels;
    private final int[] indices;

    FeatureBatch(NDManager manager, NDList features, NDArray labels, int[] indices) {
        this.manager = manager;
        this.features = features;
        this.labels = labels;
        this.indices = indices;
    }

    /** Every probed layer's output, lowest layer first. */
    public NDList features() {
        return features;
    }

    /** int64 [B] class indices. */
    public NDArray labels() {
        return labels;
    }

    /** Positions of the batch's images in their ImageSet. */
    public int[] indices() {
        return indices.clone();
    }

    public int size() {
        return indices.length;
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
