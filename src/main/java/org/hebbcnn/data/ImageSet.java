package org.hebbcnn.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Labelled images held in memory as unsigned bytes, layout N x C x H x W (channel planes, as
 * in CIFAR's binary files and PyTorch tensors). Bytes keep a whole dataset small (CIFAR-10 is
 * 150 MB); conversion to floats and normalisation happen per batch.
 *
 * <p>Instances are treated as immutable: {@link #pixels()} and {@link #labels()} return the
 * backing arrays without copying, for speed; callers must not modify them.
 */
public final class ImageSet {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;
    private final int numClasses;
    private final int[] coarseLabels;
    private final int numCoarseClasses;

    /** Images with fine labels only. */
    public ImageSet(String name, int channels, int height, int width, byte[] pixels, int[] labels, int numClasses) {
        this(name, channels, height, width, pixels, labels, numClasses, null, 0);
    }

    /**
     * @param coarseLabels optional second labelling (CIFAR-100's 20 superclasses), or null
     * @throws IllegalArgumentException when the arrays do not match the shape or a label is out of range
     */
    public ImageSet(String name, int channels, int height, int width, byte[] pixels, int[] labels, int numClasses,
            int[] coarseLabels, int numCoarseClasses) {
        this.name = Objects.requireNonNull(name, "name");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": bad image shape " + channels + "x" + height + "x" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.labels = Objects.requireNonNull(labels, "labels");
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes do not hold "
                    + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
        this.numClasses = numClasses;
        checkRange(labels, numClasses, "label");
        this.coarseLabels = coarseLabels;
        this.numCoarseClasses = coarseLabels == null ? 0 : numCoarseClasses;
        if (coarseLabels != null) {
            if (coarseLabels.length != labels.length) {
                throw new IllegalArgumentException(name + ": " + coarseLabels.length + " coarse labels for "
                        + labels.length + " images");
            }
            checkRange(coarseLabels, numCoarseClasses, "coarse label");
        }
    }

    private void checkRange(int[] values, int classes, String what) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= classes) {
                throw new IllegalArgumentException(name + ": " + what + " " + values[i] + " of image " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Bytes per image: C x H x W. */
    public int imageSize() {
        return channels * height * width;
    }

    /** "3x32x32" */
    public String shapeString() {
        return channels + "x" + height + "x" + width;
    }

    /** The backing N x C x H x W bytes (unsigned: read with {@code b & 0xff}); do not modify. */
    public byte[] pixels() {
        return pixels;
    }

    /** The backing label array; do not modify. */
    public int[] labels() {
        return labels;
    }

    public int label(int index) {
        return labels[index];
    }

    /** Pixel value 0..255 of image {@code index}, channel c, row y, column x. */
    public int pixel(int index, int c, int y, int x) {
        return pixels[((index * channels + c) * height + y) * width + x] & 0xff;
    }

    public int numClasses() {
        return numClasses;
    }

    public boolean hasCoarseLabels() {
        return coarseLabels != null;
    }

    /** CIFAR-100 superclass labels, or null when the set has none; do not modify. */
    public int[] coarseLabels() {
        return coarseLabels;
    }

    public int numCoarseClasses() {
        return numCoarseClasses;
    }

    /** Number of images of each class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** A copy holding the images at {@code indices}, in that order. */
    public ImageSet select(int[] indices, String newName) {
        int size = imageSize();
        byte[] out = new byte[Math.multiplyExact(indices.length, size)];
        int[] outLabels = new int[indices.length];
        int[] outCoarse = coarseLabels == null ? null : new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int src = indices[i];
            System.arraycopy(pixels, src * size, out, i * size, size);
            outLabels[i] = labels[src];
            if (outCoarse != null) {
                outCoarse[i] = coarseLabels[src];
            }
        }
        return new ImageSet(newName, channels, height, width, out, outLabels, numClasses, outCoarse, numCoarseClasses);
    }

    /** The same labels with other pixels (e.g. resized): {@code pixels} must hold size() images of c x h x w. */
    public ImageSet withPixels(int c, int h, int w, byte[] newPixels) {
        return new ImageSet(name, c, h, w, newPixels, labels, numClasses, coarseLabels, numCoarseClasses);
    }

    /**
     * A copy with every image mirrored left to right (its W axis reversed), same labels, named
     * {@code newName}: the horizontally flipped copies Miconi's ridge readout adds to its training
     * images. Flipping the bytes, before any normalisation, is where his loaders flip (on the image).
     */
    public ImageSet flippedHorizontally(String newName) {
        byte[] out = new byte[pixels.length];
        // every (image, channel, row) is one run of `width` bytes: reverse each run
        for (int row = 0; row < pixels.length; row += width) {
            for (int x = 0; x < width; x++) {
                out[row + x] = pixels[row + width - 1 - x];
            }
        }
        return new ImageSet(newName, channels, height, width, out, labels, numClasses, coarseLabels, numCoarseClasses);
    }

    /**
     * These images followed by {@code other}'s, named {@code newName}: e.g. a training set with its
     * {@link #flippedHorizontally mirrored copies}. Both must hold images of one shape and one labelling.
     */
    public ImageSet concat(ImageSet other, String newName) {
        if (other.channels != channels || other.height != height || other.width != width || other.numClasses != numClasses
                || (other.coarseLabels == null) != (coarseLabels == null) || other.numCoarseClasses != numCoarseClasses) {
            throw new IllegalArgumentException("cannot join " + this + " and " + other + ": another shape or labelling");
        }
        byte[] p = Arrays.copyOf(pixels, pixels.length + other.pixels.length);
        System.arraycopy(other.pixels, 0, p, pixels.length, other.pixels.length);
        int[] l = Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, l, labels.length, other.labels.length);
        int[] c = null;
        if (coarseLabels != null) {
            c = Arrays.copyOf(coarseLabels, coarseLabels.length + other.coarseLabels.length);
            System.arraycopy(other.coarseLabels, 0, c, coarseLabels.length, other.coarseLabels.length);
        }
        return new ImageSet(newName, channels, height, width, p, l, numClasses, c, numCoarseClasses);
    }

    public ImageSet withName(String newName) {
        return new ImageSet(newName, channels, height, width, pixels, labels, numClasses, coarseLabels, numCoarseClasses);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images " + shapeString() + ", " + numClasses + " classes)";
    }

    /** Structural equality of contents (used by tests); O(size). */
    public boolean sameContents(ImageSet other) {
        return channels == other.channels && height == other.height && width == other.width
                && numClasses == other.numClasses && Arrays.equals(labels, other.labels)
                && Arrays.equals(pixels, other.pixels) && Arrays.equals(coarseLabels, other.coarseLabels);
    }
}
