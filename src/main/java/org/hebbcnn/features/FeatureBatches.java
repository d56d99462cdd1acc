package org.hebbcnn.features;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/** The batches of one epoch, built one at a time as they are asked for; iterable once. */
public final class FeatureBatches implements Iterable<FeatureBatch>, Iterator<FeatureBatch> {
    private final int count;
    private final IntFunction<FeatureBatch> build;
    private int next;

    FeatureBatches(int count, IntFunction<FeatureBatch> build) {
        this.count = count;
        this.build = build;
    }

    /** Number of batches this epoch yields. */
    public int batchCount() {
        return count;
    }

    @Override
    public Iterator<FeatureBatch> iterator() {
        return this;
    }

    @Override
    public boolean hasNext() {
        return next < count;
    }

    @Override
    public FeatureBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return build.apply(next++);
    }
}
