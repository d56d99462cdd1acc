package org.hebbcnn.network;

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
 * Gradients with respect to the input of the convolutions trained by gradient, against loops: the
 * native input gradient is wrong (and sometimes NaN) for output channels that are not a multiple of
 * 16, which made the VAE's parameters non-finite ({@link Convolution}).
 */
class ConvolutionTest {
    /**
     * The VAE's last block: a transposed convolution to 3 channels (the image's), batch 4, on a map
     * wide enough for oneDNN. d/dx of sum(y * g) by loops over PyTorch's definition of
     * {@code conv_transpose2d}: y[n,o,a+u-p,b+v-p] += x[n,c,a,b] w[c,o,u,v].
     */
    @Test
    void aTransposedConvolutionToThreeChannelsHasTheLoopsInputGradient() {
        int batch = 4, in = 6, out = 3, h = 7, w = 7, k = 3, p = 1;
        int oh = h + k - 1 - 2 * p, ow = w + k - 1 - 2 * p;
        Random random = new Random(3);
        float[] x = gaussians(random, batch * in * h * w);
        float[] kernel = gaussians(random, in * out * k * k);
        float[] bias = gaussians(random, out);
        float[] g = gaussians(random, batch * out * oh * ow);
        float[] expectedY = new float[g.length];
        float[] expectedGx = new float[x.length];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                for (int q = 0; q < oh * ow; q++) {
                    expectedY[(n * out + o) * oh * ow + q] = bias[o];
                }
                for (int c = 0; c < in; c++) {
                    for (int a = 0; a < h; a++) {
                        for (int b = 0; b < w; b++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int i = a + u - p, j = b + v - p;
                                    if (i < 0 || i >= oh || j < 0 || j >= ow) {
                                        continue;
                                    }
                                    int xi = ((n * in + c) * h + a) * w + b, yi = ((n * out + o) * oh + i) * ow + j;
                                    float wt = kernel[((c * out + o) * k + u) * k + v];
                                    expectedY[yi] += x[xi] * wt;
                                    expectedGx[xi] += g[yi] * wt;
                                }
                            }
                        }
                    }
                }
            }
        }
        try (NDManager m = Djl.newManager()) {
            NDArray xs = m.create(x, new Shape(batch, in, h, w));
            NDArray ks = m.create(kernel, new Shape(in, out, k, k));
            NDArray bs = m.create(bias);
            for (NDArray a : new NDArray[] {xs, ks, bs}) {
                a.setRequiresGradient(true);
            }
            NDArray y;
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                y = Vae.conv2dTranspose(xs, ks, bs, p);
                collector.backward(y.mul(m.create(g, y.getShape())).sum());
            }
            assertEquals(new Shape(batch, out, oh, ow), y.getShape());
            assertArrayEquals(expectedY, y.toFloatArray(), 1e-4f);
            assertArrayEquals(expectedGx, xs.getGradient().toFloatArray(), 1e-4f);
        }
    }

    /**
     * {@link Convolution#conv2d} with 1, 3, 16 and 17 output channels, stride 1 and 2, padding 1: the
     * output and d/dx of sum(y * g) by loops, y[n,o,i,j] = b[o] + sum x[n,c,is+u-p,js+v-p] w[o,c,u,v].
     */
    @Test
    void convolutionsWithAnyNumberOfOutputChannelsHaveTheLoopsInputGradient() {
        int batch = 4, in = 5, h = 8, w = 8, k = 3, p = 1;
        Random random = new Random(4);
        for (int out : new int[] {1, 3, 16, 17}) {
            for (int s : new int[] {1, 2}) {
                int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
                float[] x = gaussians(random, batch * in * h * w);
                float[] kernel = gaussians(random, out * in * k * k);
                float[] bias = gaussians(random, out);
                float[] g = gaussians(random, batch * out * oh * ow);
                float[] expectedY = new float[g.length];
                float[] expectedGx = new float[x.length];
                for (int n = 0; n < batch; n++) {
                    for (int o = 0; o < out; o++) {
                        for (int i = 0; i < oh; i++) {
                            for (int j = 0; j < ow; j++) {
                                int yi = ((n * out + o) * oh + i) * ow + j;
                                expectedY[yi] = bias[o];
                                for (int c = 0; c < in; c++) {
                                    for (int u = 0; u < k; u++) {
                                        for (int v = 0; v < k; v++) {
                                            int a = i * s + u - p, b = j * s + v - p;
                                            if (a < 0 || a >= h || b < 0 || b >= w) {
                                                continue;
                                            }
                                            int xi = ((n * in + c) * h + a) * w + b;
                                            float wt = kernel[((o * in + c) * k + u) * k + v];
                                            expectedY[yi] += x[xi] * wt;
                                            expectedGx[xi] += g[yi] * wt;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                try (NDManager m = Djl.newManager()) {
                    NDArray xs = m.create(x, new Shape(batch, in, h, w));
                    xs.setRequiresGradient(true);
                    NDArray y;
                    try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                        y = Convolution.conv2d(xs, m.create(kernel, new Shape(out, in, k, k)), m.create(bias),
                                new Shape(s, s), new Shape(p, p));
                        collector.backward(y.mul(m.create(g, y.getShape())).sum());
                    }
                    String where = out + " output channels, stride " + s;
                    assertEquals(new Shape(batch, out, oh, ow), y.getShape(), where);
                    assertArrayEquals(expectedY, y.toFloatArray(), 1e-4f, where);
                    assertArrayEquals(expectedGx, xs.getGradient().toFloatArray(), 1e-4f, where);
                }
            }
        }
    }

    private static float[] gaussians(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
