package org.hebbcnn.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * One epoch of batches over an ImageSet. The bytes of a batch are gathered with
 * System.arraycopy, become a uint8 NDArray, and are scaled to [0,1] and normalised with NDArray
 * operations, so no per-pixel Java loop runs on the hot path. Each {@link Batch} lives on its
 * own sub-manager of the given manager; close it when done.
 *
 * <pre>
 *   for (Batch b : BatchIterator.of(splits.train(), norm, BatchOptions.training(64, seed), epoch, manager)) {
 *       try (b) { ... b.images() ... b.labels() ... }
 *   }
 * </pre>
 */
public final class BatchIterator implements Iterator<Batch>, Iterable<Batch> {
    private final ImageSet set;
    private final Normalization normalization;
    private final BatchOptions options;
    private final NDManager manager;
    private final int[] order;
    private final int end;
    private int position;

    private BatchIterator(ImageSet set, Normalization normalization, BatchOptions options, int epoch, NDManager manager) {
        this.set = set;
        this.normalization = normalization == null ? Normalization.none() : normalization;
        this.options = options;
        this.manager = manager;
        this.order = order(set.size(), options, epoch);
        this.end = end(set.size(), options);
    }

    private static int[] order(int n, BatchOptions options, int epoch) {
        return options.shuffle() ? epochOrder(n, options.seed(), epoch) : Shuffle.identity(n);
    }

    /** How many of the epoch's order are served: all, or all but a dropped last batch. */
    private static int end(int n, BatchOptions options) {
        int rest = n % options.batchSize();
        boolean dropRest = options.dropLast() || (options.dropSingleLast() && rest == 1 && n > 1);
        return dropRest ? n - rest : n;
    }

    /**
     * The positions of the images in each batch of epoch {@code epoch} of a set of {@code n} images,
     * exactly as the iterator serves them, without building any image: for readers of per-image data
     * kept elsewhere (a feature store) that must see the same batches in the same order.
     */
    public static int[][] indexBatches(int n, BatchOptions options, int epoch) {
        int[] order = order(n, options, epoch);
        int end = end(n, options);
        int size = options.batchSize();
        int[][] out = new int[(end + size - 1) / size][];
        for (int b = 0; b < out.length; b++) {
            out[b] = java.util.Arrays.copyOfRange(order, b * size, Math.min(end, (b + 1) * size));
        }
        return out;
    }

    /** The batches of epoch {@code epoch} (0-based) of {@code set}. */
    public static BatchIterator of(ImageSet set, Normalization normalization, BatchOptions options, int epoch,
            NDManager manager) {
        return new BatchIterator(set, normalization, options, epoch, manager);
    }

    /**
     * The order of epoch {@code epoch}: a Fisher-Yates shuffle driven by a SplittableRandom whose
     * seed mixes (seed, epoch), so every epoch differs and every run repeats.
     */
    public static int[] epochOrder(int n, long seed, int epoch) {
        return Shuffle.permutation(n, new SplittableRandom(mix(seed) ^ mix(0x632BE59BD9B4E019L + epoch)));
    }

    /** Number of batches this epoch yields. */
    public int batchCount() {
        return (end + options.batchSize() - 1) / options.batchSize();
    }

    @Override
    public Iterator<Batch> iterator() {
        return this;
    }

    @Override
    public boolean hasNext() {
        return position < end;
    }

    /**
     * Passes over the next {@code batches} batches without building them (a training resumed inside
     * an epoch, whose first batches were trained before); returns this.
     */
    public BatchIterator skip(int batches) {
        position = Math.min(end, position + Math.multiplyExact(batches, options.batchSize()));
        return this;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int size = Math.min(options.batchSize(), end - position);
        int[] indices = new int[size];
        System.arraycopy(order, position, indices, 0, size);
        position += size;
        return build(indices);
    }

    private Batch build(int[] indices) {
        int b = indices.length;
        int imageSize = set.imageSize();
        byte[] pixels = set.pixels();
        ByteBuffer bytes = ByteBuffer.allocateDirect(b * imageSize);
        long[] labels = new long[b];
        for (int i = 0; i < b; i++) {
            bytes.put(pixels, indices[i] * imageSize, imageSize);
            labels[i] = set.label(indices[i]);
        }
        bytes.flip();
        NDManager sub = manager.newSubManager();
        try {
            NDArray raw = sub.create(bytes, new Shape(b, set.channels(), set.height(), set.width()), DataType.UINT8);
            NDArray images = normalization.apply(raw.toType(DataType.FLOAT32, false).div(255f));
            NDArray labelArray = sub.create(labels);
            return new Batch(sub, images, labelArray, indices);
        } catch (RuntimeException e) {
            sub.close();
            throw e;
        }
    }

    /** SplitMix64's finaliser: spreads nearby seeds (200, 201, ...) far apart. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
