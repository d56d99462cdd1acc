package org.hebbcnn.reports;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.hebbcnn.cli.Main;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Npy;
import org.hebbcnn.util.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelGridTest {

    @TempDir
    Path tmp;

    static final int WHITE = 0xFFFFFF;

    static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    /** Top-left pixel of kernel k's cell. */
    static int[] cellOrigin(KernelGrid.Layout l, int k) {
        int x = l.separator() + (k % l.columns()) * (l.kw() * l.scale() + l.separator());
        int y = l.separator() + (k / l.columns()) * (l.kh() * l.scale() + l.separator());
        return new int[] {x, y};
    }

    /** Kernel k's pixel (i, j) in kernel coordinates: checks every image pixel of the scaled block has the colour. */
    static int kernelPixel(BufferedImage img, KernelGrid.Layout l, int k, int i, int j) {
        int[] o = cellOrigin(l, k);
        int c = rgb(img, o[0] + j * l.scale(), o[1] + i * l.scale());
        for (int dy = 0; dy < l.scale(); dy++) {
            for (int dx = 0; dx < l.scale(); dx++) {
                assertEquals(c, rgb(img, o[0] + j * l.scale() + dx, o[1] + i * l.scale() + dy),
                        "block of kernel " + k + " pixel " + i + "," + j + " is not uniform");
            }
        }
        return c;
    }

    /** Two RGB 3x3 kernels: #0 all red (R=1, G=B=0), #1 a horizontal gradient in every channel (grey ramp). */
    static float[] redAndGradient() {
        float[] w = new float[2 * 3 * 3 * 3];
        for (int p = 0; p < 9; p++) {
            w[p] = 1f; // kernel 0, channel R
        }
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    w[27 + c * 9 + i * 3 + j] = -2f + 2f * j; // -2, 0, 2
                }
            }
        }
        return w;
    }

    @Test
    void rgbKernelsAreStretchedPerKernel() {
        long[] shape = {2, 3, 3, 3};
        KernelGrid.Options opt = KernelGrid.Options.DEFAULT.withScale(4).withSeparator(1);
        BufferedImage img = KernelGrid.render(redAndGradient(), shape, opt);
        KernelGrid.Layout l = KernelGrid.layout(shape, opt);
        assertEquals(2, l.columns());
        assertEquals(1, l.rows());
        assertEquals(KernelGrid.Mode.RGB, l.mode());
        assertEquals(2 * 12 + 3, img.getWidth());
        assertEquals(12 + 2, img.getHeight());
        assertEquals(l.width(), img.getWidth());
        assertEquals(l.height(), img.getHeight());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(0xFF0000, kernelPixel(img, l, 0, i, j), "kernel 0 is pure red");
            }
            assertEquals(0x000000, kernelPixel(img, l, 1, i, 0));
            assertEquals(0x808080, kernelPixel(img, l, 1, i, 1)); // 0 is halfway: round(127.5) = 128
            assertEquals(0xFFFFFF, kernelPixel(img, l, 1, i, 2));
        }
        // separators: border and the line between the two kernels
        for (int y = 0; y < img.getHeight(); y++) {
            assertEquals(WHITE, rgb(img, 0, y));
            assertEquals(WHITE, rgb(img, 13, y));
            assertEquals(WHITE, rgb(img, img.getWidth() - 1, y));
        }
        for (int x = 0; x < img.getWidth(); x++) {
            assertEquals(WHITE, rgb(img, x, 0));
            assertEquals(WHITE, rgb(img, x, img.getHeight() - 1));
        }
    }

    @Test
    void stretchIsIndependentOfEachKernelsRange() {
        // the same pattern at scales 1e-3 and 1e3 draws identically
        float[] w = new float[2 * 1 * 2 * 2];
        float[] pattern = {-1f, 0f, 0.5f, 1f};
        for (int p = 0; p < 4; p++) {
            w[p] = pattern[p] * 1e-3f;
            w[4 + p] = pattern[p] * 1e3f + 7f;
        }
        KernelGrid.Options opt = KernelGrid.Options.DEFAULT.withScale(1).withSeparator(0);
        BufferedImage img = KernelGrid.render(w, new long[] {2, 1, 2, 2}, opt);
        assertEquals(4, img.getWidth());
        assertEquals(2, img.getHeight());
        int[] expected = {0, 128, 191, 255}; // round(255 * {0, .5, .75, 1})
        for (int p = 0; p < 4; p++) {
            int g = expected[p];
            int grey = (g << 16) | (g << 8) | g;
            assertEquals(grey, rgb(img, p % 2, p / 2), "kernel 0 pixel " + p);
            assertEquals(grey, rgb(img, 2 + p % 2, p / 2), "kernel 1 pixel " + p);
        }
    }

    @Test
    void manyChannelsDrawTheirMeanAndConstantKernelsAreMidGrey() {
        // kernel 0: 4 channels 1x2 whose mean is (0, 1); kernel 1: constant; kernel 2: NaN and +Inf pixels
        float[] w = {
            0, 4, -2, 0, 1, 0, 1, 0, // kernel 0: channel means (0+(-2)+1+1)/4 = 0, (4+0+0+0)/4 = 1
            3, 3, 3, 3, 3, 3, 3, 3, // kernel 1
            Float.NaN, 1, 2, Float.POSITIVE_INFINITY, 0, 1, 2, 3 // kernel 2: mean NaN, 1, 2, Inf
        };
        long[] shape = {3, 4, 1, 2};
        KernelGrid.Options opt = KernelGrid.Options.DEFAULT.withScale(1).withSeparator(0).withColumns(1);
        KernelGrid.Layout l = KernelGrid.layout(shape, opt);
        assertEquals(KernelGrid.Mode.CHANNEL_MEAN, l.mode());
        assertEquals(1, l.columns());
        assertEquals(3, l.rows());
        BufferedImage img = KernelGrid.render(w, shape, opt);
        assertEquals(2, img.getWidth());
        assertEquals(3, img.getHeight());
        assertEquals(0x000000, rgb(img, 0, 0));
        assertEquals(0xFFFFFF, rgb(img, 1, 0));
        assertEquals(0x808080, rgb(img, 0, 1));
        assertEquals(0x808080, rgb(img, 1, 1));
        // kernel 2 means: (NaN+2+0+2)/4 = NaN, (1+Inf+1+3)/4 = Inf -> no finite values: NaN -> 0, +Inf -> 255
        assertEquals(0x000000, rgb(img, 0, 2));
        assertEquals(0xFFFFFF, rgb(img, 1, 2));
    }

    @Test
    void greyKernelsAndLayoutWithLeftoverCells() {
        int o = 5;
        float[] w = new float[o * 2 * 2];
        for (int k = 0; k < o; k++) {
            w[4 * k] = k; // top-left pixel k, the others 0 ... except kernel 0 which is constant 0
            w[4 * k + 3] = -k;
        }
        long[] shape = {o, 1, 2, 2};
        KernelGrid.Options opt = KernelGrid.Options.DEFAULT.withColumns(3).withScale(3).withSeparatorRgb(0x102030);
        KernelGrid.Layout l = KernelGrid.layout(shape, opt);
        assertEquals(3, l.columns());
        assertEquals(2, l.rows());
        assertEquals(KernelGrid.Mode.GREY, l.mode());
        BufferedImage img = KernelGrid.render(w, shape, opt);
        assertEquals(3 * 6 + 4 * 2, img.getWidth());
        assertEquals(2 * 6 + 3 * 2, img.getHeight());
        assertEquals(0x808080, kernelPixel(img, l, 0, 0, 0));
        for (int k = 1; k < o; k++) {
            assertEquals(0xFFFFFF, kernelPixel(img, l, k, 0, 0));
            assertEquals(0x808080, kernelPixel(img, l, k, 0, 1));
            assertEquals(0x000000, kernelPixel(img, l, k, 1, 1));
        }
        // the sixth cell (row 1, column 2) stays separator colour
        int[] empty = cellOrigin(l, 5);
        assertEquals(0x102030, rgb(img, empty[0] + 2, empty[1] + 2));
        assertEquals(0x102030, rgb(img, 0, 0));
    }

    @Test
    void defaultScaleAndColumns() {
        KernelGrid.Layout l = KernelGrid.layout(new long[] {96, 3, 5, 5}, KernelGrid.Options.DEFAULT);
        assertEquals(6, l.scale()); // 5x5 -> 30 px
        assertEquals(12, l.columns());
        assertEquals(8, l.rows());
        assertEquals(12 * 30 + 13 * 2, l.width());
        assertEquals(8 * 30 + 9 * 2, l.height());
        assertEquals("96 kernels 3x5x5 (RGB), 12 x 8 grid, scale 6, 386 x 258 px", l.describe());
        assertEquals(10, KernelGrid.layout(new long[] {1, 1, 3, 3}, KernelGrid.Options.DEFAULT).scale());
        assertEquals(3, KernelGrid.layout(new long[] {1, 1, 11, 11}, KernelGrid.Options.DEFAULT).scale());
        assertEquals(1, KernelGrid.layout(new long[] {1, 1, 28, 28}, KernelGrid.Options.DEFAULT).scale());
        assertEquals(1, KernelGrid.autoColumns(1));
        assertEquals(8, KernelGrid.autoColumns(64));
        assertEquals(8, KernelGrid.autoColumns(32));
        assertEquals(10, KernelGrid.autoColumns(100));
        assertEquals(24, KernelGrid.autoColumns(384));
        for (int o = 1; o <= 500; o++) {
            int c = KernelGrid.autoColumns(o);
            int rows = (o + c - 1) / c;
            assertTrue(c >= Math.sqrt(o) - 1e-9 && c <= 1.34 * Math.ceil(Math.sqrt(o)), o + " -> " + c);
            assertTrue(rows <= c, o + " kernels: " + c + " x " + rows + " is taller than wide");
        }
        // more columns than kernels: one row
        KernelGrid.Layout one = KernelGrid.layout(new long[] {3, 1, 5, 5}, KernelGrid.Options.DEFAULT.withColumns(10));
        assertEquals(3, one.columns());
        assertEquals(1, one.rows());
    }

    @Test
    void fullyConnectedWeightsAreReshaped() {
        KernelGrid.Layout grey = KernelGrid.layout(new long[] {10, 784}, KernelGrid.Options.DEFAULT);
        assertEquals(KernelGrid.Mode.GREY, grey.mode());
        assertEquals(28, grey.kh());
        KernelGrid.Layout rgb = KernelGrid.layout(new long[] {10, 3 * 32 * 32}, KernelGrid.Options.DEFAULT);
        assertEquals(KernelGrid.Mode.RGB, rgb.mode());
        assertEquals(32, rgb.kw());
        // [O, 3*h*h] draws the same as [O, 3, h, h]
        float[] w = redAndGradient();
        KernelGrid.Options opt = KernelGrid.Options.DEFAULT.withScale(2);
        BufferedImage a = KernelGrid.render(w, new long[] {2, 27}, opt);
        BufferedImage b = KernelGrid.render(w, new long[] {2, 3, 3, 3}, opt);
        assertEquals(b.getWidth(), a.getWidth());
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                assertEquals(b.getRGB(x, y), a.getRGB(x, y));
            }
        }
        InputError e = assertThrows(InputError.class, () -> KernelGrid.layout(new long[] {10, 50}, KernelGrid.Options.DEFAULT));
        assertTrue(e.getMessage().contains("neither"), e.getMessage());
        assertThrows(InputError.class, () -> KernelGrid.layout(new long[] {10, 3, 5}, KernelGrid.Options.DEFAULT));
        assertThrows(InputError.class, () -> KernelGrid.layout(new long[] {0, 3, 5, 5}, KernelGrid.Options.DEFAULT));
        assertThrows(InputError.class, () -> KernelGrid.layout(new long[] {100000, 3, 5, 5},
                KernelGrid.Options.DEFAULT.withScale(1000)));
        assertThrows(IllegalArgumentException.class, () -> KernelGrid.render(new float[5], new long[] {2, 3, 3, 3}, opt));
    }

    @Test
    void writesPngFromNpyArrayAndNDArray() throws Exception {
        Path out = tmp.resolve("sub/k.png");
        KernelGrid.Layout l = KernelGrid.writePng(NpyArray.of(redAndGradient(), new long[] {2, 3, 3, 3}), out,
                KernelGrid.Options.DEFAULT);
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(l.width(), img.getWidth());
        assertEquals(l.height(), img.getHeight());
        assertEquals(0xFF0000, kernelPixel(img, l, 0, 1, 1));
        assertEquals(0xFFFFFF, kernelPixel(img, l, 1, 1, 2));

        try (NDManager m = Djl.newManager()) {
            NDArray w = m.create(redAndGradient(), new Shape(2, 3, 3, 3)).toType(DataType.FLOAT64, false);
            Path out2 = tmp.resolve("k2.png");
            KernelGrid.writePng(w, out2, KernelGrid.Options.DEFAULT);
            BufferedImage img2 = ImageIO.read(out2.toFile());
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    assertEquals(img.getRGB(x, y), img2.getRGB(x, y));
                }
            }
        }
    }

    // ---- CLI ----

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void cliDrawsKernels() throws Exception {
        Path weights = tmp.resolve("w.npy");
        Random r = new Random(3);
        float[] w = new float[96 * 3 * 5 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        Npy.write(weights, w, new long[] {96, 3, 5, 5});
        Path png = tmp.resolve("out/w.png");
        Run run = cli("kernels", "--weights", weights.toString(), "--out", png.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains(png.toString()), run.out());
        assertTrue(run.out().contains("12 x 8 grid"), run.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(386, img.getWidth());
        assertEquals(258, img.getHeight());

        run = cli("kernels", "--weights", weights.toString(), "--out", png.toString(), "--columns", "16", "--scale", "2");
        assertEquals(0, run.code(), run.err());
        img = ImageIO.read(png.toFile());
        assertEquals(16 * 10 + 17 * 2, img.getWidth());
        assertEquals(6 * 10 + 7 * 2, img.getHeight());
    }

    @Test
    void cliBadInputExitsTwo() throws Exception {
        Path png = tmp.resolve("x.png");
        Run run = cli("kernels", "--weights", tmp.resolve("missing.npy").toString(), "--out", png.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("missing.npy") && run.err().contains("no such file"), run.err());
        assertFalse(Files.exists(png));

        Path notNpy = tmp.resolve("w.npy");
        Files.writeString(notNpy, "hello");
        run = cli("kernels", "--weights", notNpy.toString(), "--out", png.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("magic"), run.err());

        Path vec = tmp.resolve("v.npy");
        Npy.write(vec, new float[7], new long[] {7});
        run = cli("kernels", "--weights", vec.toString(), "--out", png.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("v.npy") && run.err().contains("[7]"), run.err());

        Npy.write(vec, new float[75], new long[] {1, 3, 5, 5});
        run = cli("kernels", "--weights", vec.toString(), "--out", png.toString(), "--columns", "0");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--columns"), run.err());

        run = cli("kernels", "--out", png.toString()); // picocli: missing required option
        assertEquals(2, run.code());
    }
}
