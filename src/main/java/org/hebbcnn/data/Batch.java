package org.hebbcnn.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One batch: normalised images float32 [B, C, H, W] and labels int64 [B], both on a sub-manager
 * of the caller's manager. Close the batch (try-with-resources) to free its native memory at once.
 */
public final class Batch implements AutoCloseable {
    private final NDManager manager;
    private final NDArray images;
    private final NDArray labels;
    private final int[] indices;

    Batch(NDManager manager, NDArray images, NDArray labels, int[] indices) {
        this.manager = manager;
        this.images = images;
        this.labels = labels;
        this.indices = indices;
    }

    /** float32 [B, C, H, W], normalised. */
    public NDArray images() {
        return images;
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

    /** The batch's own manager: arrays computed from the batch can be attached here to die with it. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
