package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Random;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bringing images to the network's 3x32x32 (bilinear resize, grey to three channels) and the
 * per-channel normalisation fitted on the training split.
 */
class PreprocessingTest {
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = Djl.newManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /**
     * PyTorch's own bilinear interpolation (torch.nn.functional.interpolate, mode "bilinear",
     * align_corners=False), which DJL's PyTorch engine runs for NDImageUtils.resize with
     * Interpolation.BILINEAR; in float32 and unrounded. DJL asks for antialiasing, which changes
     * shrinking (a wider filter) but not enlarging, so only enlargements are compared with it.
     */
    private static float[] torchBilinear(byte[] plane, int inH, int inW, int outH, int outW) {
        float[] values = new float[plane.length];
        for (int i = 0; i < plane.length; i++) {
            values[i] = plane[i] & 0xff;
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray hwc = m.create(values, new Shape(inH, inW, 1));
            NDArray out = NDImageUtils.resize(hwc, outW, outH, Image.Interpolation.BILINEAR);
            assertEquals(new Shape(outH, outW, 1), out.getShape());
            return out.toFloatArray();
        }
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
    @CsvSource({"28, 28, 32, 32", "5, 7, 9, 11", "3, 3, 8, 8", "28, 28, 28, 32", "2, 2, 32, 32"})
    void bilinearResizeMatchesPyTorch(int inH, int inW, int outH, int outW) {
        Random random = new Random(inH * 100 + outW);
        int exactlyRounded = 0;
        int total = 0;
        for (int image = 0; image < 20; image++) {
            byte[] plane = new byte[inH * inW];
            random.nextBytes(plane);
            if (image == 0) { // also a smooth picture, and one with hard edges below
                for (int i = 0; i < plane.length; i++) {
                    plane[i] = (byte) (i * 255 / plane.length);
                }
            } else if (image == 1) {
                for (int i = 0; i < plane.length; i++) {
                    plane[i] = (byte) ((i / inW + i % inW) % 2 == 0 ? 0 : 255);
                }
            }
            byte[] ours = BilinearResize.resizePlane(plane, inH, inW, outH, outW);
            float[] torch = torchBilinear(plane, inH, inW, outH, outW);
            for (int k = 0; k < ours.length; k++) {
                float t = torch[k];
                int o = ours[k] & 0xff;
                // Ours is PyTorch's value rounded to a byte: off by at most 0.5 (+ float32 rounding).
                assertEquals(t, o, 0.5 + 1e-3, "pixel " + k + " of image " + image);
                if (o == Math.round(t)) {
                    exactlyRounded++;
                }
                total++;
            }
        }
        assertTrue(exactlyRounded >= total - total / 100, exactlyRounded + " of " + total + " are round(torch)");
    }

    @Test
    void bilinearResizeByHand() {
        // 2x2 -> 4x4 with align_corners=False: source positions -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped).
        byte[] in = {0, 100, (byte) 200, (byte) 255};
        byte[] out = BilinearResize.resizePlane(in, 2, 2, 4, 4);
        int[][] expected = {
            {0, 25, 75, 100},
            {50, 72, 117, 139}, // 0.75*row0 + 0.25*row1: 0.75*(0,25,75,100) + 0.25*(200,213.75,241.25,255)
            {150, 167, 200, 216}, // 0.25*row0 + 0.75*row3
            {200, 214, 241, 255},
        };
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(expected[y][x], out[y * 4 + x] & 0xff, "(" + y + "," + x + ")");
            }
        }
        // Halving (no antialiasing) averages 2x2 blocks: source position 2o + 0.5.
        byte[] big = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, (byte) 130, (byte) 140, (byte) 150};
        assertArrayEquals(new byte[] {25, 45, 105, 125}, BilinearResize.resizePlane(big, 4, 4, 2, 2));
    }

    @Test
    void constantImagesStayConstant() {
        byte[] plane = new byte[28 * 28];
        java.util.Arrays.fill(plane, (byte) 201);
        for (byte b : BilinearResize.resizePlane(plane, 28, 28, 32, 32)) {
            assertEquals(201, b & 0xff);
        }
    }

    @Test
    void resizingASetResizesEveryPlaneAndKeepsLabels() {
        ImageSet set = TestFiles.randomSet("s", 4, 2, 6, 3, 11);
        ImageSet resized = BilinearResize.resize(set, 9, 8);
        assertEquals("2x9x8", resized.shapeString());
        assertArrayEquals(set.labels(), resized.labels());
        for (int p = 0; p < 8; p++) {
            byte[] plane = java.util.Arrays.copyOfRange(set.pixels(), p * 36, p * 36 + 36);
            assertArrayEquals(BilinearResize.resizePlane(plane, 6, 6, 9, 8),
                    java.util.Arrays.copyOfRange(resized.pixels(), p * 72, p * 72 + 72), "plane " + p);
        }
        assertSame(set, BilinearResize.resize(set, 6, 6), "nothing to do at the same size");
    }

    @Test
    void greyImagesBecomeThreeIdenticalChannelsOf32x32() {
        ImageSet grey = TestFiles.randomSet("mnist/train", 5, 1, 28, 10, 3);
        ImageSet ready = NetworkInput.prepare(grey);
        assertTrue(NetworkInput.isReady(ready));
        assertEquals("3x32x32", ready.shapeString());
        assertEquals(5, ready.size());
        assertArrayEquals(grey.labels(), ready.labels());
        assertEquals("mnist/train", ready.name());
        for (int i = 0; i < 5; i++) {
            byte[] plane = java.util.Arrays.copyOfRange(grey.pixels(), i * 784, (i + 1) * 784);
            byte[] expected = BilinearResize.resizePlane(plane, 28, 28, 32, 32);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        assertEquals(expected[y * 32 + x] & 0xff, ready.pixel(i, c, y, x), "image " + i + " channel " + c);
                    }
                }
            }
        }
    }

    @Test
    void greyImagesOf32x32AreOnlyReplicated() {
        ImageSet grey = TestFiles.randomSet("g", 3, 1, 32, 10, 4);
        ImageSet ready = NetworkInput.prepare(grey);
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 1024; k++) {
                    assertEquals(grey.pixels()[i * 1024 + k], ready.pixels()[(i * 3 + c) * 1024 + k]);
                }
            }
        }
    }

    @Test
    void colourImagesOf32x32AreLeftAsTheyAre() {
        ImageSet colour = TestFiles.randomSet("c", 3, 3, 32, 10, 5);
        assertSame(colour, NetworkInput.prepare(colour));
        RawDataset raw = TestFiles.raw("c", colour, colour, Path.of("c"));
        RawDataset prepared = NetworkInput.prepare(raw);
        assertSame(colour, prepared.train());
        assertEquals(DataFormat.CIFAR10, prepared.format());
    }

    @Test
    void otherChannelCountsAreRefused() {
        InputError e = assertThrows(InputError.class, () -> NetworkInput.prepare(TestFiles.randomSet("two", 2, 2, 8, 2, 6)));
        assertTrue(e.getMessage().contains("two"), e.getMessage());
        assertTrue(e.getMessage().contains("2 channels"), e.getMessage());
    }

    // ---- per-channel normalisation -------------------------------------------------------------

    /** Mean and population std per channel of pixels / 255, computed directly. */
    static double[][] directStats(ImageSet set) {
        int c = set.channels();
        int plane = set.height() * set.width();
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < set.size(); i++) {
                for (int k = 0; k < plane; k++) {
                    sum += (set.pixels()[(i * c + ch) * plane + k] & 0xff) / 255.0;
                }
            }
            mean[ch] = sum / ((double) set.size() * plane);
            double squares = 0;
            for (int i = 0; i < set.size(); i++) {
                for (int k = 0; k < plane; k++) {
                    double d = (set.pixels()[(i * c + ch) * plane + k] & 0xff) / 255.0 - mean[ch];
                    squares += d * d;
                }
            }
            std[ch] = Math.sqrt(squares / ((double) set.size() * plane));
        }
        return new double[][] {mean, std};
    }

    /** Channels with different statistics: channel c of every image drawn from [c*40, c*40 + 120]. */
    static ImageSet skewedSet(String name, int count, long seed) {
        Random r = new Random(seed);
        byte[] p = new byte[count * 3 * 64];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 64; k++) {
                    p[(i * 3 + c) * 64 + k] = (byte) (c * 40 + r.nextInt(121));
                }
            }
        }
        return new ImageSet(name, 3, 8, 8, p, new int[count], 2);
    }

    @Test
    void channelStatisticsMatchADirectComputation() {
        ImageSet set = skewedSet("s", 300, 8);
        ChannelNormalization norm = ChannelNormalization.fit(set);
        double[][] direct = directStats(set);
        for (int c = 0; c < 3; c++) {
            assertEquals(direct[0][c], norm.mean()[c], 1e-6, "mean of channel " + c);
            assertEquals(direct[1][c], norm.std()[c], 1e-6, "std of channel " + c);
        }
        assertTrue(norm.mean()[2] > norm.mean()[0] + 0.2, "the channels are told apart");
    }

    @Test
    void fittedOnTheTrainingSplitOnly() {
        // Validation and test images are much brighter: statistics that saw them would show it.
        ImageSet train = skewedSet("d/train", 400, 9);
        byte[] pixels = train.pixels().clone();
        int[] order = Splits.shuffledIndices(400, 77);
        for (int j = 300; j < 400; j++) { // the images the split will hold out
            java.util.Arrays.fill(pixels, order[j] * 192, order[j] * 192 + 192, (byte) 255);
        }
        ImageSet official = train.withPixels(3, 8, 8, pixels);
        ImageSet test = TestFiles.randomSet("d/test", 50, 3, 8, 2, 1);
        java.util.Arrays.fill(test.pixels(), (byte) 250);
        Splits splits = Splits.create(TestFiles.raw("d", official, test, Path.of("d")), 77, 100);
        for (int i = 0; i < splits.validation().size(); i++) {
            assertEquals(255, splits.validation().pixel(i, 0, 0, 0), "the bright images were held out");
        }
        ChannelNormalization norm = ChannelNormalization.fit(splits.train());
        double[][] direct = directStats(splits.train());
        for (int c = 0; c < 3; c++) {
            assertEquals(direct[0][c], norm.mean()[c], 1e-6);
            assertEquals(direct[1][c], norm.std()[c], 1e-6);
            assertTrue(norm.mean()[c] < 0.75, "no held-out image in the statistics");
        }
    }

    @Test
    void constantChannelIsCentredNotDividedByZero() {
        ImageSet set = TestFiles.randomSet("k", 10, 3, 4, 2, 2);
        for (int i = 0; i < 10; i++) {
            java.util.Arrays.fill(set.pixels(), (i * 3 + 1) * 16, (i * 3 + 2) * 16, (byte) 51);
        }
        ChannelNormalization norm = ChannelNormalization.fit(set);
        assertEquals(0.2f, norm.mean()[1], 1e-6f);
        assertEquals(1f, norm.std()[1]);
    }

    @Test
    void normalisedBatchValuesAreScaledThenStandardised() {
        ImageSet set = skewedSet("s", 37, 10);
        ChannelNormalization norm = ChannelNormalization.fit(set);
        float[] mean = norm.mean();
        float[] std = norm.std();
        int seen = 0;
        for (Batch batch : BatchIterator.of(set, norm, BatchOptions.training(8, 5), 0, manager)) {
            try (batch) {
                float[] values = batch.images().toFloatArray();
                int[] indices = batch.indices();
                for (int b = 0; b < batch.size(); b++) {
                    for (int c = 0; c < 3; c++) {
                        for (int k = 0; k < 64; k++) {
                            int raw = set.pixels()[(indices[b] * 3 + c) * 64 + k] & 0xff;
                            float expected = (raw / 255f - mean[c]) / std[c];
                            assertEquals(expected, values[(b * 3 + c) * 64 + k], 1e-5f);
                        }
                    }
                }
                seen += batch.size();
            }
        }
        assertEquals(37, seen);
    }

    @Test
    void withoutNormalisationPixelsAreScaledTo01() {
        ImageSet set = TestFiles.randomSet("s", 4, 3, 2, 2, 12);
        try (Batch batch = BatchIterator.of(set, null, BatchOptions.evaluation(4), 0, manager).next()) {
            float[] values = batch.images().toFloatArray();
            for (int k = 0; k < values.length; k++) {
                assertEquals((set.pixels()[k] & 0xff) / 255f, values[k], 1e-7f);
            }
        }
    }

    @Test
    void describeNamesTheStatistics() {
        ChannelNormalization norm = new ChannelNormalization(new float[] {0.5f, 0.25f, 0.125f}, new float[] {0.2f, 0.3f, 0.4f});
        assertEquals("per-channel mean [0.5000 0.2500 0.1250] std [0.2000 0.3000 0.4000]", norm.describe());
    }
}
