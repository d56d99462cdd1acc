package org.hebbcnn.tensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Test;

/**
 * Convolutions against loops, y[n,o,i,j] = b[o] + sum x[n,c,is+u-p,js+v-p] w[o,c,u,v], for the
 * channel counts where the native convolution is wrong without {@link Convolution}'s guards: input
 * channels above 16 and not a multiple of 16 (the output, so every Hebbian layer of such a width,
 * and a Hebbian update over a batch of 17-63 images), output channels not a multiple of 16 (the
 * gradient with respect to the input).
 */
class ConvolutionTest {
    /** Output channels 1, 3, 16, 17; stride 1 and 2, padding 1: output and d/dx of sum(y * g). */
    @Test
    void convolutionsWithAnyNumberOfOutputChannelsHaveTheLoopsInputGradient() {
        Random random = new Random(4);
        for (int out : new int[] {1, 3, 16, 17}) {
            for (int s : new int[] {1, 2}) {
                checkAgainstLoops(random, 4, 5, out, 8, 3, s, 1);
            }
        }
    }

    /**
     * Input channels 17, 20, 33 and Miconi's 100 (each wrong by whole output channels before the
     * guard, measured), with 16 and 3 beside them: output and input gradient by loops.
     */
    @Test
    void convolutionsWithAnyNumberOfInputChannelsMatchTheLoops() {
        Random random = new Random(5);
        for (int in : new int[] {3, 16, 17, 20, 33, 100}) {
            checkAgainstLoops(random, 2, in, 8, 6, 3, 1, 0);
        }
    }

    /** The Hebbian layers' forward convolution (no gradient), Miconi's 100 -> 196 shape. */
    @Test
    void theForwardConvolutionOfAHundredChannelsMatchesTheLoops() {
        int batch = 2, in = 100, out = 20, h = 5, k = 3;
        Random random = new Random(6);
        float[] x = gaussians(random, batch * in * h * h);
        float[] kernel = gaussians(random, out * in * k * k);
        float[] expected = loops(x, kernel, new float[out], null, batch, in, out, h, k, 1, 0)[0];
        try (NDManager m = Djl.newManager()) {
            NDArray y = Convolution.forward(m.create(x, new Shape(batch, in, h, h)), m.create(kernel, new Shape(out, in, k, k)));
            assertArrayEquals(expected, y.toFloatArray(), 1e-4f);
        }
    }

    /**
     * A Hebbian update over a batch of 20 images is a convolution with 20 input channels
     * ({@link PatchOps#correlate}): sum over patches of y x^T by loops.
     */
    @Test
    void aHebbianCorrelationOverTwentyImagesMatchesTheLoops() {
        int batch = 20, in = 3, out = 4, h = 6, k = 3, oh = h - k + 1;
        Random random = new Random(7);
        float[] x = gaussians(random, batch * in * h * h);
        float[] y = gaussians(random, batch * out * oh * oh);
        float[] expected = new float[out * in * k * k];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                for (int c = 0; c < in; c++) {
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            for (int i = 0; i < oh; i++) {
                                for (int j = 0; j < oh; j++) {
                                    expected[((o * in + c) * k + u) * k + v] += y[((n * out + o) * oh + i) * oh + j]
                                            * x[((n * in + c) * h + i + u) * h + j + v];
                                }
                            }
                        }
                    }
                }
            }
        }
        try (NDManager m = Djl.newManager()) {
            NDArray dw = PatchOps.correlate(m.create(x, new Shape(batch, in, h, h)), m.create(y, new Shape(batch, out, oh, oh)),
                    new Shape(out, in, k, k));
            assertArrayEquals(expected, dw.toFloatArray(), 1e-3f);
        }
    }

    @Test
    void inputChannelsArePaddedToBlocksOnlyAboveOneBlock() {
        assertEquals(0, Convolution.inputPadding(3));
        assertEquals(0, Convolution.inputPadding(16));
        assertEquals(15, Convolution.inputPadding(17));
        assertEquals(12, Convolution.inputPadding(100));
        assertEquals(12, Convolution.inputPadding(196));
        assertEquals(0, Convolution.inputPadding(384));
    }

    /** {@link Convolution#conv2d} with bias: its output and d/dx of sum(y * g) against {@link #loops}. */
    private static void checkAgainstLoops(Random random, int batch, int in, int out, int h, int k, int s, int p) {
        int oh = (h + 2 * p - k) / s + 1;
        float[] x = gaussians(random, batch * in * h * h);
        float[] kernel = gaussians(random, out * in * k * k);
        float[] bias = gaussians(random, out);
        float[] g = gaussians(random, batch * out * oh * oh);
        float[][] expected = loops(x, kernel, bias, g, batch, in, out, h, k, s, p);
        try (NDManager m = Djl.newManager()) {
            NDArray xs = m.create(x, new Shape(batch, in, h, h));
            xs.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                y = Convolution.conv2d(xs, m.create(kernel, new Shape(out, in, k, k)), m.create(bias), new Shape(s, s),
                        new Shape(p, p));
                collector.backward(y.mul(m.create(g, y.getShape())).sum());
            }
            String where = in + " input channels, " + out + " output channels, stride " + s;
            assertEquals(new Shape(batch, out, oh, oh), y.getShape(), where);
            assertArrayEquals(expected[0], y.toFloatArray(), 1e-4f, where);
            assertArrayEquals(expected[1], xs.getGradient().toFloatArray(), 1e-4f, where);
        }
    }

    /** The convolution of square maps by loops: {output, d/dx of sum(y * g)} (the second null without g). */
    private static float[][] loops(float[] x, float[] kernel, float[] bias, float[] g, int batch, int in, int out,
            int h, int k, int s, int p) {
        int oh = (h + 2 * p - k) / s + 1;
        float[] y = new float[batch * out * oh * oh];
        float[] gx = g == null ? null : new float[x.length];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < oh; j++) {
                        int yi = ((n * out + o) * oh + i) * oh + j;
                        y[yi] = bias[o];
                        for (int c = 0; c < in; c++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int a = i * s + u - p, b = j * s + v - p;
                                    if (a < 0 || a >= h || b < 0 || b >= h) {
                                        continue;
                                    }
                                    int xi = ((n * in + c) * h + a) * h + b;
                                    float wt = kernel[((o * in + c) * k + u) * k + v];
                                    y[yi] += x[xi] * wt;
                                    if (gx != null) {
                                        gx[xi] += g[yi] * wt;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new float[][] {y, gx};
    }

    private static float[] gaussians(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
