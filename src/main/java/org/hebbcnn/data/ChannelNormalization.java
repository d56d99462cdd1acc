package org.hebbcnn.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;

/**
 * Per-channel standardisation (x - mean_c) / std_c of pixels scaled to [0,1], with mean and
 * (population) standard deviation measured on the training split over all its pixels.
 */
public final class ChannelNormalization implements Normalization {
    private final float[] mean;
    private final float[] std;

    public ChannelNormalization(float[] mean, float[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(mean.length + " means but " + std.length + " standard deviations");
        }
        this.mean = mean.clone();
        this.std = std.clone();
        for (int c = 0; c < std.length; c++) {
            if (!(this.std[c] > 0)) {
                this.std[c] = 1f; // a constant channel: centre it, do not divide by zero
            }
        }
    }

    /** Mean and standard deviation of each channel of {@code train}, pixels scaled to [0,1]. */
    public static ChannelNormalization fit(ImageSet train) {
        // A histogram of byte values per channel gives exact sums with one cheap pass over the bytes.
        int channels = train.channels();
        int plane = train.height() * train.width();
        long[][] histogram = new long[channels][256];
        byte[] pixels = train.pixels();
        for (int i = 0, off = 0; i < train.size(); i++) {
            for (int c = 0; c < channels; c++) {
                long[] h = histogram[c];
                for (int end = off + plane; off < end; off++) {
                    h[pixels[off] & 0xff]++;
                }
            }
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double n = 0;
            double sum = 0;
            for (int v = 0; v < 256; v++) {
                n += histogram[c][v];
                sum += histogram[c][v] * (v / 255.0);
            }
            double m = sum / n;
            double squares = 0;
            for (int v = 0; v < 256; v++) {
                double d = v / 255.0 - m;
                squares += histogram[c][v] * d * d;
            }
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(squares / n);
        }
        return new ChannelNormalization(mean, std);
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    @Override
    public NDArray apply(NDArray images) {
        Shape perChannel = new Shape(1, mean.length, 1, 1);
        NDArray m = images.getManager().create(mean, perChannel);
        NDArray s = images.getManager().create(std, perChannel);
        return images.sub(m).div(s);
    }

    @Override
    public String describe() {
        return "per-channel mean " + format(mean) + " std " + format(std);
    }

    static String format(float[] values) {
        String[] parts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            parts[i] = String.format(Locale.ROOT, "%.4f", values[i]);
        }
        return Arrays.toString(parts).replace(",", "");
    }
}
