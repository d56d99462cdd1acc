package org.hebbcnn.reports;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.NpyArray;

/**
 * Draws a layer's kernels as a grid of small images, like the layer-1 filter pictures in Hebbian CNN
 * papers.
 *
 * <p>Input: conv weights {@code [O, C, kh, kw]}, or fully connected weights {@code [O, K]} on an
 * image, read as {@code [O, 1, h, h]} when {@code K = h*h} and as {@code [O, 3, h, h]} when
 * {@code K = 3*h*h} (flattened channel-first, as {@code x.reshape(N, -1)} of an NCHW batch gives).
 *
 * <p>Each kernel is contrast-stretched on its own: the min..max of that kernel (over all the values
 * drawn, so for RGB jointly over the three channels, which keeps its hue) maps to 0..255. Channels:
 * {@code C == 3} is drawn as RGB (channel 0 red), {@code C == 1} as grey, and any other {@code C}
 * (2 or more than 3) as the grey mean over the channels. A constant kernel is drawn mid-grey (128).
 * Non-finite values are left out of the min/max; +Inf draws as 255, -Inf and NaN as 0.
 *
 * <p>Layout: each kernel is upscaled by an integer factor (nearest neighbour; by default
 * {@code round(30 / max(kh, kw))}, at least 1, so a 5x5 kernel is 30 px), kernels are placed row by
 * row with {@code separator} px lines between them and around the edge, and the column count is
 * near {@code sqrt(O)} (see {@link #autoColumns(int)}) unless given. Cells left over in the last
 * row are drawn in the separator colour.
 */
public final class KernelGrid {

    /** Largest image drawn (pixels), so a mistaken --scale cannot exhaust memory. */
    static final long MAX_PIXELS = 1L << 28;

    private KernelGrid() {}

    /**
     * Drawing options.
     *
     * @param columns kernels per row; 0 chooses near sqrt(O)
     * @param scale integer upscaling factor; 0 chooses round(30 / max(kh, kw)), at least 1
     * @param separator width in px of the lines between kernels and around the edge (0 for none)
     * @param separatorRgb colour of those lines, 0xRRGGBB
     */
    public record Options(int columns, int scale, int separator, int separatorRgb) {
        public static final Options DEFAULT = new Options(0, 0, 2, 0xFFFFFF);

        public Options {
            if (columns < 0 || scale < 0 || separator < 0) {
                throw new IllegalArgumentException("columns, scale and separator must be >= 0 (0 = automatic)");
            }
        }

        public Options withColumns(int columns) {
            return new Options(columns, scale, separator, separatorRgb);
        }

        public Options withScale(int scale) {
            return new Options(columns, scale, separator, separatorRgb);
        }

        public Options withSeparator(int separator) {
            return new Options(columns, scale, separator, separatorRgb);
        }

        public Options withSeparatorRgb(int separatorRgb) {
            return new Options(columns, scale, separator, separatorRgb);
        }
    }

    /** How the kernels' channels become pixels. */
    public enum Mode {
        RGB, GREY, CHANNEL_MEAN
    }

    /** The geometry of a grid: what {@link #render} draws for a shape and options. */
    public record Layout(int kernels, int channels, int kh, int kw, Mode mode, int columns, int rows, int scale,
            int separator, int width, int height) {
        /** "96 kernels 3x5x5 (RGB), 12 x 8 grid, scale 6, 386 x 258 px" */
        public String describe() {
            return kernels + " kernel" + (kernels == 1 ? "" : "s") + " " + channels + "x" + kh + "x" + kw + " ("
                    + switch (mode) {
                        case RGB -> "RGB";
                        case GREY -> "grey";
                        case CHANNEL_MEAN -> "grey mean of " + channels + " channels";
                    } + "), " + columns + " x " + rows + " grid, scale " + scale + ", " + width + " x " + height + " px";
        }
    }

    /**
     * The layout for weights of this shape. InputError for shapes that are not {@code [O, C, kh, kw]}
     * or an image-sized {@code [O, K]}.
     */
    public static Layout layout(long[] shape, Options options) {
        int[] ochw = kernelShape(shape);
        int o = ochw[0], c = ochw[1], kh = ochw[2], kw = ochw[3];
        Mode mode = c == 3 ? Mode.RGB : c == 1 ? Mode.GREY : Mode.CHANNEL_MEAN;
        int columns = options.columns() > 0 ? Math.min(options.columns(), o) : autoColumns(o);
        int rows = (o + columns - 1) / columns;
        int scale = options.scale() > 0 ? options.scale() : Math.max(1, (int) Math.round(30.0 / Math.max(kh, kw)));
        int sep = options.separator();
        long width = (long) columns * kw * scale + (long) (columns + 1) * sep;
        long height = (long) rows * kh * scale + (long) (rows + 1) * sep;
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE || width * height > MAX_PIXELS) {
            throw new InputError("kernel grid of " + columns + " x " + rows + " kernels at scale " + scale + " would be "
                    + width + " x " + height + " px, too large; use a smaller scale");
        }
        return new Layout(o, c, kh, kw, mode, columns, rows, scale, sep, (int) width, (int) height);
    }

    /**
     * Columns near sqrt(O): the smallest count from ceil(sqrt(O)) up to a third more that leaves the
     * fewest empty cells (96 kernels: 12 x 8; 64: 8 x 8; 32: 8 x 4; 100: 10 x 10).
     */
    public static int autoColumns(int kernels) {
        if (kernels <= 1) {
            return 1;
        }
        int lo = (int) Math.ceil(Math.sqrt(kernels));
        int hi = Math.min(kernels, lo + lo / 3);
        int best = lo;
        int bestEmpty = Integer.MAX_VALUE;
        for (int c = lo; c <= hi; c++) {
            int empty = ((kernels + c - 1) / c) * c - kernels;
            if (empty < bestEmpty) {
                best = c;
                bestEmpty = empty;
            }
        }
        return best;
    }

    /** Draws the kernels (C-order floats of {@code shape}) as an RGB image. */
    public static BufferedImage render(float[] weights, long[] shape, Options options) {
        Layout l = layout(shape, options);
        long expected = (long) l.kernels * l.channels * l.kh * l.kw;
        if (weights.length != expected) {
            throw new IllegalArgumentException("weights has " + weights.length + " values, shape "
                    + Arrays.toString(shape) + " needs " + expected);
        }
        BufferedImage img = new BufferedImage(l.width, l.height, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        Arrays.fill(px, options.separatorRgb() & 0xFFFFFF);

        int plane = l.kh * l.kw;
        int cellW = l.kw * l.scale;
        int cellH = l.kh * l.scale;
        int[] rgb = new int[plane];
        float[] grey = new float[plane];
        for (int k = 0; k < l.kernels; k++) {
            int base = k * l.channels * plane;
            kernelPixels(weights, base, l.channels, plane, l.mode, grey, rgb);
            int x0 = l.separator + (k % l.columns) * (cellW + l.separator);
            int y0 = l.separator + (k / l.columns) * (cellH + l.separator);
            for (int y = 0; y < cellH; y++) {
                int row = (y / l.scale) * l.kw;
                int off = (y0 + y) * l.width + x0;
                for (int x = 0; x < cellW; x++) {
                    px[off + x] = rgb[row + x / l.scale];
                }
            }
        }
        return img;
    }

    /** Renders from an {@link NpyArray} of any dtype (converted to float). */
    public static BufferedImage render(NpyArray weights, Options options) {
        return render(weights.toFloatArray(), weights.shape(), options);
    }

    /** Renders and writes a PNG (parent folders created); returns the layout drawn. */
    public static Layout writePng(float[] weights, long[] shape, Path out, Options options) {
        Layout layout = layout(shape, options);
        BufferedImage img = render(weights, shape, options);
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(img, "png", out.toFile())) {
                throw new IllegalStateException("no PNG writer in javax.imageio");
            }
        } catch (IOException e) {
            throw new InputError(out + ": cannot write PNG: " + e.getMessage(), e);
        }
        return layout;
    }

    public static Layout writePng(NpyArray weights, Path out, Options options) {
        return writePng(weights.toFloatArray(), weights.shape(), out, options);
    }

    /** DJL weights of any float or integer type, on any device. */
    public static Layout writePng(NDArray weights, Path out, Options options) {
        float[] values = weights.getDataType() == DataType.FLOAT32
                ? weights.toFloatArray()
                : weights.toType(DataType.FLOAT32, false).toFloatArray();
        return writePng(values, weights.getShape().getShape(), out, options);
    }

    // ---------------------------------------------------------------------------------------

    /** [O, C, kh, kw] from a 4-D or an image-sized 2-D shape. */
    static int[] kernelShape(long[] shape) {
        String s = Arrays.toString(shape);
        if (shape.length == 4) {
            for (long d : shape) {
                if (d <= 0 || d > Integer.MAX_VALUE) {
                    throw new InputError("weights shape " + s + ": every axis must be between 1 and " + Integer.MAX_VALUE);
                }
            }
            if (shape[0] * shape[1] * shape[2] * shape[3] > Integer.MAX_VALUE - 8) {
                throw new InputError("weights shape " + s + ": too many values");
            }
            return new int[] {(int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]};
        }
        if (shape.length == 2) {
            if (shape[0] <= 0 || shape[1] <= 0 || shape[0] * shape[1] > Integer.MAX_VALUE - 8) {
                throw new InputError("weights shape " + s + ": expected [O, K] with O, K >= 1");
            }
            long k = shape[1];
            long h = squareRoot(k);
            if (h > 0) {
                return new int[] {(int) shape[0], 1, (int) h, (int) h};
            }
            h = k % 3 == 0 ? squareRoot(k / 3) : -1;
            if (h > 0) {
                return new int[] {(int) shape[0], 3, (int) h, (int) h};
            }
            throw new InputError("weights shape " + s + ": a 2-D [O, K] layer can be drawn only when K is h*h (grey) or "
                    + "3*h*h (RGB), and " + k + " is neither");
        }
        throw new InputError("weights shape " + s + ": expected conv kernels [O, C, kh, kw] or a fully connected [O, K]");
    }

    private static long squareRoot(long k) {
        long h = Math.round(Math.sqrt((double) k));
        return h * h == k ? h : -1;
    }

    /** Fills {@code rgb} with the contrast-stretched pixels of one kernel. */
    private static void kernelPixels(float[] w, int base, int channels, int plane, Mode mode, float[] grey, int[] rgb) {
        if (mode == Mode.RGB) {
            float[] mm = minMax(w, base, 3 * plane);
            for (int p = 0; p < plane; p++) {
                int r = stretch(w[base + p], mm);
                int g = stretch(w[base + plane + p], mm);
                int b = stretch(w[base + 2 * plane + p], mm);
                rgb[p] = (r << 16) | (g << 8) | b;
            }
            return;
        }
        if (mode == Mode.GREY) {
            System.arraycopy(w, base, grey, 0, plane);
        } else {
            for (int p = 0; p < plane; p++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += w[base + c * plane + p];
                }
                grey[p] = (float) (sum / channels);
            }
        }
        float[] mm = minMax(grey, 0, plane);
        for (int p = 0; p < plane; p++) {
            int v = stretch(grey[p], mm);
            rgb[p] = (v << 16) | (v << 8) | v;
        }
    }

    /** {min, max} of the finite values; {NaN, NaN} when there are none. */
    private static float[] minMax(float[] a, int from, int n) {
        float min = Float.NaN, max = Float.NaN;
        for (int i = from; i < from + n; i++) {
            float v = a[i];
            if (Float.isFinite(v)) {
                if (!(v >= min)) {
                    min = v; // also replaces the initial NaN
                }
                if (!(v <= max)) {
                    max = v;
                }
            }
        }
        return new float[] {min, max};
    }

    private static int stretch(float v, float[] mm) {
        if (Float.isNaN(v)) {
            return 0;
        }
        double lo = mm[0], hi = mm[1];
        if (Double.isNaN(lo) || !(hi > lo)) {
            return v == Float.POSITIVE_INFINITY ? 255 : v == Float.NEGATIVE_INFINITY ? 0 : 128;
        }
        long s = Math.round((v - lo) / (hi - lo) * 255.0);
        return (int) Math.max(0, Math.min(255, s));
    }
}
