package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Loss functions on whole batches, differentiable through DJL's autograd. */
public final class Losses {
    private Losses() {}

    /**
     * Mean over the batch of -log softmax(logits)[label] ({@code F.cross_entropy} with its default
     * mean reduction). logits [B, C] float32, labels [B] of any integer type with values in [0, C).
     */
    public static NDArray softmaxCrossEntropy(NDArray logits, NDArray labels) {
        if (logits.getShape().dimension() != 2) {
            throw new IllegalArgumentException("logits must be [B, C], got " + logits.getShape());
        }
        long rows = logits.getShape().get(0);
        long classes = logits.getShape().get(1);
        if (labels.getShape().size() != rows) {
            throw new IllegalArgumentException(labels.getShape().size() + " labels for " + rows + " rows of logits");
        }
        NDArray asLong = labels.toType(DataType.INT64, false);
        try (NDArray index = asLong.reshape(rows, 1)) {
            for (long l : index.toLongArray()) {
                if (l < 0 || l >= classes) {
                    throw new IllegalArgumentException("label " + l + " out of range for " + classes + " classes");
                }
            }
            try (NDArray logp = logits.logSoftmax(1); NDArray picked = logp.gather(index, 1)) {
                return picked.mean().neg();
            }
        } finally {
            if (asLong != labels) {
                asLong.close();
            }
        }
    }
}
