package org.hebbcnn.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.hebbcnn.util.InputError;

/**
 * Reader of the IDX format of MNIST and its look-alikes (Fashion-MNIST, KMNIST, ...): a big-endian
 * header (magic number, then one 32-bit size per dimension) followed by unsigned bytes.
 * Files may be gzipped or not, whatever their name says.
 */
public final class IdxReader {
    /** ubyte data, 3 dimensions (count, rows, columns). */
    public static final int IMAGE_MAGIC = 0x00000803;
    /** ubyte data, 1 dimension (count). */
    public static final int LABEL_MAGIC = 0x00000801;

    private IdxReader() {}

    /** Greyscale images of an IDX image file: count x rows x cols bytes. */
    public record IdxImages(int count, int rows, int cols, byte[] pixels) {}

    public static IdxImages readImages(Path file) {
        byte[] bytes = BinaryFiles.readAll(file);
        ByteBuffer header = header(file, bytes, IMAGE_MAGIC, 3, "images");
        int count = header.getInt(4);
        int rows = header.getInt(8);
        int cols = header.getInt(12);
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new InputError(file + ": bad IDX sizes " + count + " x " + rows + " x " + cols);
        }
        long expected = (long) count * rows * cols;
        int offset = 16;
        checkLength(file, bytes.length - offset, expected, count + " images of " + rows + "x" + cols);
        return new IdxImages(count, rows, cols, Arrays.copyOfRange(bytes, offset, bytes.length));
    }

    /** Labels of an IDX label file, 0..255. */
    public static int[] readLabels(Path file) {
        byte[] bytes = BinaryFiles.readAll(file);
        ByteBuffer header = header(file, bytes, LABEL_MAGIC, 1, "labels");
        int count = header.getInt(4);
        if (count < 0) {
            throw new InputError(file + ": bad IDX label count " + count);
        }
        int offset = 8;
        checkLength(file, bytes.length - offset, count, count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = bytes[offset + i] & 0xff;
        }
        return labels;
    }

    /**
     * Reads an image file and its label file into one set.
     *
     * @param numClasses the number of classes, or 0 to take max label + 1 (at least 2)
     * @throws InputError on a count mismatch, or a label at or above {@code numClasses}
     */
    public static ImageSet readSet(Path imageFile, Path labelFile, String name, int numClasses) {
        IdxImages images = readImages(imageFile);
        int[] labels = readLabels(labelFile);
        if (images.count() != labels.length) {
            throw new InputError(imageFile + " has " + images.count() + " images but " + labelFile + " has "
                    + labels.length + " labels");
        }
        int classes = numClasses > 0 ? numClasses : classesOf(labels);
        checkLabels(labelFile, labels, classes, numClasses > 0 ? " (classes taken from the training labels)" : "");
        return new ImageSet(name, 1, images.rows(), images.cols(), images.pixels(), labels, classes);
    }

    /** max label + 1, at least 2 (a classifier needs two classes). */
    static int classesOf(int[] labels) {
        int max = 0;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        return Math.max(2, max + 1);
    }

    static void checkLabels(Path file, int[] labels, int classes, String note) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new InputError(file + ": label " + labels[i] + " of item " + i + " is out of range 0.."
                        + (classes - 1) + note);
            }
        }
    }

    private static ByteBuffer header(Path file, byte[] bytes, int magic, int dims, String what) {
        int headerSize = 4 + 4 * dims;
        if (bytes.length < 4) {
            throw new InputError(file + ": truncated: " + bytes.length + " bytes, too short for an IDX header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes); // big-endian by default, as IDX is
        int found = buffer.getInt(0);
        if (found != magic) {
            throw new InputError(String.format("%s: wrong IDX magic number 0x%08x (expected 0x%08x for %s)",
                    file, found, magic, what));
        }
        if (bytes.length < headerSize) {
            throw new InputError(file + ": truncated: " + bytes.length + " bytes, the IDX header needs " + headerSize);
        }
        return buffer;
    }

    private static void checkLength(Path file, long found, long expected, String what) {
        if (found < expected) {
            throw new InputError(file + ": truncated: header announces " + what + " (" + expected
                    + " bytes) but the file holds " + found);
        }
        if (found > expected) {
            throw new InputError(file + ": " + (found - expected) + " unexpected bytes after the " + what
                    + " its header announces");
        }
    }
}
