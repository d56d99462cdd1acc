package org.hebbcnn.data;

/**
 * Bilinear resizing of byte images with PyTorch's {@code interpolate(mode="bilinear",
 * align_corners=False)} geometry: output pixel o samples the input at (o + 0.5) * in / out - 0.5,
 * clamped at the borders. For enlarging (MNIST 28 -> 32) this is also what torchvision's
 * {@code Resize} does, on tensors and on PIL images alike (PIL's bilinear filter only widens
 * when shrinking). Results are rounded to the nearest byte, so datasets stay uint8 in memory;
 * the rounding differs from the float result by at most 0.5/255.
 */
public final class BilinearResize {
    private BilinearResize() {}

    /** Every plane of every image resized to outHeight x outWidth; labels kept. */
    public static ImageSet resize(ImageSet set, int outHeight, int outWidth) {
        if (set.height() == outHeight && set.width() == outWidth) {
            return set;
        }
        int planes = set.size() * set.channels();
        int inPlane = set.height() * set.width();
        int outPlane = outHeight * outWidth;
        byte[] in = set.pixels();
        byte[] out = new byte[Math.multiplyExact(planes, outPlane)];
        Axis rows = new Axis(set.height(), outHeight);
        Axis cols = new Axis(set.width(), outWidth);
        for (int p = 0; p < planes; p++) {
            resizePlane(in, p * inPlane, set.width(), rows, cols, out, p * outPlane);
        }
        return set.withPixels(set.channels(), outHeight, outWidth, out);
    }

    /** One plane, for callers with their own buffers. */
    public static byte[] resizePlane(byte[] plane, int inHeight, int inWidth, int outHeight, int outWidth) {
        byte[] out = new byte[outHeight * outWidth];
        resizePlane(plane, 0, inWidth, new Axis(inHeight, outHeight), new Axis(inWidth, outWidth), out, 0);
        return out;
    }

    private static void resizePlane(byte[] in, int inOff, int inWidth, Axis rows, Axis cols, byte[] out, int outOff) {
        int o = outOff;
        for (int y = 0; y < rows.size; y++) {
            int r0 = inOff + rows.lo[y] * inWidth;
            int r1 = inOff + rows.hi[y] * inWidth;
            double wy = rows.frac[y];
            for (int x = 0; x < cols.size; x++) {
                int c0 = cols.lo[x];
                int c1 = cols.hi[x];
                double wx = cols.frac[x];
                double top = (in[r0 + c0] & 0xff) * (1 - wx) + (in[r0 + c1] & 0xff) * wx;
                double bottom = (in[r1 + c0] & 0xff) * (1 - wx) + (in[r1 + c1] & 0xff) * wx;
                long v = Math.round(top * (1 - wy) + bottom * wy);
                out[o++] = (byte) Math.max(0, Math.min(255, v));
            }
        }
    }

    /** Source indices and weights along one axis (align_corners=False). */
    private static final class Axis {
        final int size;
        final int[] lo;
        final int[] hi;
        final double[] frac;

        Axis(int in, int out) {
            size = out;
            lo = new int[out];
            hi = new int[out];
            frac = new double[out];
            double scale = (double) in / out;
            for (int o = 0; o < out; o++) {
                double src = Math.max(0.0, (o + 0.5) * scale - 0.5);
                int i0 = Math.min((int) src, in - 1);
                lo[o] = i0;
                hi[o] = Math.min(i0 + 1, in - 1);
                frac[o] = src - i0;
            }
        }
    }
}
