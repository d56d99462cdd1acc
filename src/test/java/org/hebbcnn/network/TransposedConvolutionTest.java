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
 * The VAE's transposed convolution against loops, output and input gradient: the native input
 * gradient was wrong (and sometimes NaN) for output channels that are not a multiple of 16, which
 * made the VAE's parameters non-finite ({@link org.hebbcnn.tensors.Convolution}).
 */
class TransposedConvolutionTest {
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

    private static float[] gaussians(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
