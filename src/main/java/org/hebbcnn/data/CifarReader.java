package org.hebbcnn.data;

import java.nio.file.Path;
import java.util.List;
import org.hebbcnn.util.InputError;

/**
 * Reader of the "binary version" of CIFAR-10 and CIFAR-100: fixed-size records of label byte(s)
 * followed by a 32x32 colour image as three 1024-byte planes (red, green, blue), rows top to bottom.
 */
public final class CifarReader {
    public static final int SIDE = 32;
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    /** CIFAR-10: label byte + image. */
    public static final int CIFAR10_RECORD = 1 + IMAGE_BYTES;
    /** CIFAR-100: coarse label byte + fine label byte + image. */
    public static final int CIFAR100_RECORD = 2 + IMAGE_BYTES;
    public static final int CIFAR10_CLASSES = 10;
    public static final int CIFAR100_CLASSES = 100;
    public static final int CIFAR100_COARSE_CLASSES = 20;

    private CifarReader() {}

    /** Reads and concatenates CIFAR-10 batch files (e.g. data_batch_1..5.bin) in the given order. */
    public static ImageSet readCifar10(List<Path> files, String name) {
        byte[][] contents = new byte[files.size()][];
        long total = 0;
        for (int f = 0; f < files.size(); f++) {
            contents[f] = readRecords(files.get(f), CIFAR10_RECORD, "CIFAR-10");
            total += contents[f].length / CIFAR10_RECORD;
        }
        int count = Math.toIntExact(total);
        byte[] pixels = new byte[Math.multiplyExact(count, IMAGE_BYTES)];
        int[] labels = new int[count];
        int n = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] bytes = contents[f];
            contents[f] = null; // let the file's buffer go while the next ones are copied
            for (int off = 0; off < bytes.length; off += CIFAR10_RECORD, n++) {
                int label = bytes[off] & 0xff;
                if (label >= CIFAR10_CLASSES) {
                    throw new InputError(files.get(f) + ": label " + label + " of record " + (off / CIFAR10_RECORD)
                            + " is out of range 0..9 (is this a CIFAR-10 batch file?)");
                }
                labels[n] = label;
                System.arraycopy(bytes, off + 1, pixels, n * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new ImageSet(name, 3, SIDE, SIDE, pixels, labels, CIFAR10_CLASSES);
    }

    /** Reads a CIFAR-100 file (train.bin or test.bin): fine labels as the labels, coarse ones kept alongside. */
    public static ImageSet readCifar100(Path file, String name) {
        byte[] bytes = readRecords(file, CIFAR100_RECORD, "CIFAR-100");
        int count = bytes.length / CIFAR100_RECORD;
        byte[] pixels = new byte[Math.multiplyExact(count, IMAGE_BYTES)];
        int[] fine = new int[count];
        int[] coarse = new int[count];
        for (int i = 0; i < count; i++) {
            int off = i * CIFAR100_RECORD;
            coarse[i] = bytes[off] & 0xff;
            fine[i] = bytes[off + 1] & 0xff;
            if (coarse[i] >= CIFAR100_COARSE_CLASSES) {
                throw new InputError(file + ": coarse label " + coarse[i] + " of record " + i
                        + " is out of range 0..19 (is this a CIFAR-100 file?)");
            }
            if (fine[i] >= CIFAR100_CLASSES) {
                throw new InputError(file + ": fine label " + fine[i] + " of record " + i
                        + " is out of range 0..99 (is this a CIFAR-100 file?)");
            }
            System.arraycopy(bytes, off + 2, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
        }
        return new ImageSet(name, 3, SIDE, SIDE, pixels, fine, CIFAR100_CLASSES, coarse, CIFAR100_COARSE_CLASSES);
    }

    private static byte[] readRecords(Path file, int recordSize, String format) {
        byte[] bytes = BinaryFiles.readAll(file);
        if (bytes.length == 0) {
            throw new InputError(file + ": empty file");
        }
        if (bytes.length % recordSize != 0) {
            throw new InputError(file + ": size " + bytes.length + " bytes is not a multiple of the " + format
                    + " record size " + recordSize + " (truncated or not a " + format + " binary file)");
        }
        return bytes;
    }
}
