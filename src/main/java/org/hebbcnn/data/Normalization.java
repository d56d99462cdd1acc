package org.hebbcnn.data;

import ai.djl.ndarray.NDArray;

/**
 * What a batch goes through after its bytes are scaled to [0,1]: per-channel standardisation,
 * ZCA whitening, or nothing. Fitted on the training split only. Implementations that hold native
 * arrays free them in {@link #close()}.
 */
public interface Normalization extends AutoCloseable {

    /**
     * @param images float32 [B, C, H, W] with values in [0,1]
     * @return the normalised images, same shape, attached to the manager of {@code images}
     */
    NDArray apply(NDArray images);

    /** One line for logs and `data info`. */
    String describe();

    @Override
    default void close() {}

    /** Pixels in [0,1], nothing more. */
    static Normalization none() {
        return new Normalization() {
            @Override
            public NDArray apply(NDArray images) {
                return images;
            }

            @Override
            public String describe() {
                return "none (pixels scaled to [0,1])";
            }
        };
    }
}
