package org.hebbcnn.data;

/**
 * How a split is cut into batches.
 *
 * @param batchSize images per batch (the paper: 64)
 * @param shuffle   reshuffle every epoch, with an order derived from (seed, epoch)
 * @param seed      the shuffling seed (ignored without shuffle)
 * @param dropLast  leave out a last, smaller batch
 */
public record BatchOptions(int batchSize, boolean shuffle, long seed, boolean dropLast) {
    public BatchOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
    }

    /** Shuffled every epoch, last partial batch kept. */
    public static BatchOptions training(int batchSize, long seed) {
        return new BatchOptions(batchSize, true, seed, false);
    }

    /** In order, every image once. */
    public static BatchOptions evaluation(int batchSize) {
        return new BatchOptions(batchSize, false, 0, false);
    }

    public BatchOptions withDropLast(boolean drop) {
        return new BatchOptions(batchSize, shuffle, seed, drop);
    }
}
