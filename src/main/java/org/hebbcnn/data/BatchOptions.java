package org.hebbcnn.data;

/**
 * How a split is cut into batches.
 *
 * @param batchSize images per batch (the paper: 64)
 * @param shuffle   reshuffle every epoch, with an order derived from (seed, epoch)
 * @param seed      the shuffling seed (ignored without shuffle)
 * @param dropLast  leave out a last, smaller batch
 * @param dropSingleLast leave out a last batch of a single image: batch-norm in training mode normalises
 *                  it to zeros, so a network would learn from (or a Hebbian layer see) nothing but zeros
 */
public record BatchOptions(int batchSize, boolean shuffle, long seed, boolean dropLast, boolean dropSingleLast) {
    public BatchOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
    }

    /** Shuffled every epoch, last partial batch kept unless it holds a single image. */
    public static BatchOptions training(int batchSize, long seed) {
        return new BatchOptions(batchSize, true, seed, false, true);
    }

    /** In order, every image once. */
    public static BatchOptions evaluation(int batchSize) {
        return new BatchOptions(batchSize, false, 0, false, false);
    }

    public BatchOptions withDropLast(boolean drop) {
        return new BatchOptions(batchSize, shuffle, seed, drop, dropSingleLast);
    }
}
