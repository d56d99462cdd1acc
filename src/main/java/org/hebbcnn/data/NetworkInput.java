package org.hebbcnn.data;

import org.hebbcnn.util.InputError;

/**
 * The network's input format, the same for every dataset: 3 x 32 x 32. As in the reference,
 * smaller greyscale images (MNIST's 28x28) are enlarged with bilinear interpolation
 * ({@link BilinearResize}) and their grey channel is copied to three channels. This is done
 * once, on the bytes, when a dataset is prepared; batches then only scale and normalise.
 */
public final class NetworkInput {
    public static final int CHANNELS = 3;
    public static final int SIDE = 32;
    public static final int SIZE = CHANNELS * SIDE * SIDE;

    private NetworkInput() {}

    public static boolean isReady(ImageSet set) {
        return set.channels() == CHANNELS && set.height() == SIDE && set.width() == SIDE;
    }

    /** Train and test sets brought to 3x32x32. */
    public static RawDataset prepare(RawDataset dataset) {
        return dataset.withSets(prepare(dataset.train()), prepare(dataset.test()));
    }

    /** The set brought to 3x32x32: resized when needed, a grey channel replicated. */
    public static ImageSet prepare(ImageSet set) {
        if (set.channels() != 1 && set.channels() != CHANNELS) {
            throw new InputError(set.name() + ": images with " + set.channels()
                    + " channels are not supported (need 1 or 3)");
        }
        ImageSet resized = BilinearResize.resize(set, SIDE, SIDE);
        return resized.channels() == 1 ? replicateGrey(resized) : resized;
    }

    private static ImageSet replicateGrey(ImageSet grey) {
        int plane = grey.height() * grey.width();
        byte[] in = grey.pixels();
        byte[] out = new byte[Math.multiplyExact(grey.size(), CHANNELS * plane)];
        for (int i = 0; i < grey.size(); i++) {
            for (int c = 0; c < CHANNELS; c++) {
                System.arraycopy(in, i * plane, out, (i * CHANNELS + c) * plane, plane);
            }
        }
        return grey.withPixels(CHANNELS, grey.height(), grey.width(), out);
    }
}
