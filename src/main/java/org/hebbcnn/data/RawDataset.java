package org.hebbcnn.data;

import java.nio.file.Path;

/**
 * A dataset as stored on disk: its official training set and official test set, before any
 * split or preprocessing. {@code directory} is where it was read from (caches go below it).
 */
public record RawDataset(String name, DataFormat format, Path directory, ImageSet train, ImageSet test) {

    public int numClasses() {
        return train.numClasses();
    }

    /** The same dataset with other (e.g. resized) train and test sets. */
    public RawDataset withSets(ImageSet newTrain, ImageSet newTest) {
        return new RawDataset(name, format, directory, newTrain, newTest);
    }
}
