package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.nn.NesterovSgd;
import org.hebbcnn.nn.NpzFile;
import org.hebbcnn.reports.KernelGrid;
import org.hebbcnn.reports.ReconstructionGrid;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.VaeTraining;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.NpyArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

// Slow: whole VAEs, trained. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class VaeTest {
    @TempDir
    Path dir;

    /** n fixed structured images in [-1, 1]: coloured plane waves, a different frequency and phase each. */
    static float[] waves(int n) {
        float[] x = new float[n * 3072];
        for (int i = 0; i < n; i++) {
            double fx = 1 + i % 4;
            double fy = i / 4 % 4;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int xx = 0; xx < 32; xx++) {
                        x[i * 3072 + c * 1024 + y * 32 + xx] =
                                (float) Math.sin(2 * Math.PI * (fx * xx + fy * y) / 32 + 0.7 * i + 2.1 * c);
                    }
                }
            }
        }
        return x;
    }

    static NDArray images(NDManager m, int n) {
        return m.create(waves(n), new Shape(n, 3, 32, 32));
    }

    /** Shapes, and the encoder is BackpropNetwork's layers 1-5: same initial weights, same eval features. */
    @Test
    void shapesAndTheEncoderIsTheBackpropTwin() {
        try (NDManager m = Djl.newManager(); Vae vae = new Vae(m, Plans.tryout(10), 3); BackpropNetwork twin = new BackpropNetwork(m, Plans.tryout(10), 3)) {
            NDArray x = images(m, 4);
            NDArray r = vae.reconstruct(x);
            assertEquals(new Shape(4, 3, 32, 32), r.getShape());
            assertSame(m, r.getManager());
            Shape[] expected = {new Shape(4, 96, 14, 14), new Shape(4, 128, 12, 12), new Shape(4, 192, 5, 5),
                new Shape(4, 256, 3, 3), new Shape(4, 4096)};
            NDList f = vae.features(x);
            NDList t = twin.forward(x, false);
            assertEquals(5, f.size());
            for (int l = 0; l < 5; l++) {
                assertEquals(expected[l], f.get(l).getShape(), "layer " + (l + 1));
                assertArrayEquals(t.get(l).toFloatArray(), f.get(l).toFloatArray(), 1e-5f, "layer " + (l + 1));
            }
            Path v = dir.resolve("vae.npz");
            Path b = dir.resolve("twin.npz");
            vae.save(v);
            twin.save(b);
            Map<String, NpyArray> va = NpzFile.read(v);
            Map<String, NpyArray> ba = NpzFile.read(b);
            for (String name : List.of("conv1.weight", "conv3.bias", "fc5.weight", "bn5.running_var")) {
                assertEquals(ba.get(name), va.get(name), name);
            }
            assertArrayEquals(new long[] {192, 128, 3, 3}, va.get("dec.deconv4.weight").shape(), "[in, out, kh, kw]");
            assertTrue(Double.isFinite(vae.loss(x)));
            assertThrows(IllegalArgumentException.class, () -> vae.reconstruct(m.zeros(new Shape(2, 3, 28, 28))));
            assertThrows(IllegalArgumentException.class, () -> vae.trainStep(images(m, 1)));
        }
    }

    /** Unpooling puts each value at its window's first maximum (row-major, as PyTorch's indices), ties included. */
    @Test
    void maxUnpoolingMatchesASlowLoop() {
        try (NDManager m = Djl.newManager()) {
            Random random = new Random(5);
            float[] pre = new float[2 * 3 * 4 * 4];
            for (int i = 0; i < pre.length; i++) {
                pre[i] = random.nextInt(3); // values 0, 1, 2: many ties, some all-equal windows
            }
            float[] y = new float[2 * 3 * 2 * 2];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) random.nextGaussian();
            }
            NDArray x = m.create(pre, new Shape(2, 3, 4, 4));
            NDArray pooled = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            NDArray s = MaxUnpool.switches(x, 2);
            NDArray yArray = m.create(y, new Shape(2, 3, 2, 2));
            yArray.setRequiresGradient(true);
            float[] g = new float[pre.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = i + 1;
            }
            NDArray out;
            try (GradientCollector c = m.getEngine().newGradientCollector()) {
                out = MaxUnpool.unpool(yArray, s, 2);
                c.backward(out.mul(m.create(g, new Shape(2, 3, 4, 4))).sum());
            }
            float[] expected = new float[pre.length];
            float[] expectedGrad = new float[y.length];
            for (int bc = 0; bc < 6; bc++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        int best = -1;
                        for (int di = 0; di < 2; di++) {
                            for (int dj = 0; dj < 2; dj++) {
                                int p = bc * 16 + (2 * i + di) * 4 + 2 * j + dj;
                                if (best < 0 || pre[p] > pre[best]) {
                                    best = p;
                                }
                            }
                        }
                        int q = bc * 4 + i * 2 + j;
                        expected[best] = y[q];
                        expectedGrad[q] = g[best];
                    }
                }
            }
            assertArrayEquals(expected, out.toFloatArray(), 0f); // 0f: -0.0 (negative value times switch 0) equals 0.0
            assertArrayEquals(expectedGrad, yArray.getGradient().toFloatArray(), "gradient reaches the values");
            assertEquals(24f, s.sum().getFloat(), "one switch per window");
            NDArray plainMask = x.eq(pooled.repeat(2, 2).repeat(3, 2));
            assertTrue(plainMask.sum().getLong() > 24, "the test has ties");
        }
    }

    /** The transposed convolution against its definition: out[o, i+di, j+dj] += x[c, i, j] w[c, o, di, dj], plus bias. */
    @Test
    void transposedConvolutionMatchesASlowLoop() {
        try (NDManager m = Djl.newManager()) {
            Random random = new Random(9);
            int b = 2, in = 3, out = 2, h = 3, w = 4, kh = 2, kw = 3;
            float[] x = gaussians(random, b * in * h * w);
            float[] k = gaussians(random, in * out * kh * kw);
            float[] bias = gaussians(random, out);
            int oh = h + kh - 1, ow = w + kw - 1;
            float[] expected = new float[b * out * oh * ow];
            for (int n = 0; n < b; n++) {
                for (int o = 0; o < out; o++) {
                    for (int p = 0; p < oh * ow; p++) {
                        expected[(n * out + o) * oh * ow + p] = bias[o];
                    }
                    for (int c = 0; c < in; c++) {
                        for (int i = 0; i < h; i++) {
                            for (int j = 0; j < w; j++) {
                                for (int di = 0; di < kh; di++) {
                                    for (int dj = 0; dj < kw; dj++) {
                                        expected[((n * out + o) * oh + i + di) * ow + j + dj] +=
                                                x[((n * in + c) * h + i) * w + j] * k[((c * out + o) * kh + di) * kw + dj];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            NDArray y = Vae.conv2dTranspose(m.create(x, new Shape(b, in, h, w)), m.create(k, new Shape(in, out, kh, kw)),
                    m.create(bias));
            assertEquals(new Shape(b, out, oh, ow), y.getShape());
            assertArrayEquals(expected, y.toFloatArray(), 1e-5f);
        }
    }

    private static float[] gaussians(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    /**
     * Ten steps at the paper's lr on 8 fixed images: the training loss (dominated at first by the KL
     * term, about 66 for 256 latents) falls by more than half, and the reconstruction term falls too.
     * Training losses, not eval ones: after so few steps the batch-norm running statistics lag.
     */
    @Test
    void theLossFallsOnASmallFixedSet() {
        try (NDManager m = Djl.newManager(); Vae vae = new Vae(m, Plans.tryout(10), 1)) {
            NDArray x = images(m, 8);
            List<Vae.Loss> losses = new ArrayList<>();
            for (int step = 0; step < 10; step++) {
                vae.trainStep(x);
                losses.add(vae.lastStepLoss());
            }
            Vae.Loss first = losses.get(0);
            Vae.Loss last = losses.get(losses.size() - 1);
            System.out.printf("VAE on 8 waves, 10 steps at lr %g: training loss %.3f (mse %.3f, kl %.3f) -> %.3f (mse %.3f, kl %.3f)%n",
                    vae.learningRate(), first.total(), first.mse(), first.kl(), last.total(), last.mse(), last.kl());
            assertTrue(last.total() < 0.5 * first.total(), first + " -> " + last);
            assertTrue(last.mse() < first.mse(), first + " -> " + last);
            assertTrue(vae.parametersFinite());
            assertEquals(10, vae.steps());
        }
    }

    /**
     * 1 step, save, load into a VAE made with another seed, 2 steps == 3 uninterrupted steps, bit for
     * bit (momentum, batch-norm statistics and the noise counter all carry over).
     */
    @Test
    void trainingResumedFromAFileIsBitIdentical() {
        try (NDManager m = Djl.newManager();
                Vae straight = new Vae(m, Plans.tryout(10), 5);
                Vae interrupted = new Vae(m, Plans.tryout(10), 5);
                Vae resumed = new Vae(m, Plans.tryout(10), 77)) {
            NDArray all = images(m, 16);
            NDArray[] batches = {all.get("0:8"), all.get("8:16"), all.get("4:12")};
            for (NDArray b : batches) {
                straight.trainStep(b);
            }
            interrupted.trainStep(batches[0]);
            Path file = dir.resolve("half.npz");
            interrupted.save(file);
            resumed.load(file);
            assertEquals(5, resumed.seed());
            resumed.trainStep(batches[1]);
            resumed.trainStep(batches[2]);
            Map<String, NpyArray> expected = snapshot(straight, "straight");
            Map<String, NpyArray> actual = snapshot(resumed, "resumed");
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                assertEquals(expected.get(name), actual.get(name), name);
            }
            assertNotEquals(expected.get("dec.deconv6.weight"), NpzFile.read(file).get("dec.deconv6.weight"), "training went on");
            assertEquals(3, resumed.steps());
        }
    }

    private Map<String, NpyArray> snapshot(Vae vae, String name) {
        Path file = dir.resolve(name + ".npz");
        vae.save(file);
        return NpzFile.read(file);
    }

    /** Plain momentum as PyTorch: v = mu v + g, p -= lr v (no look-ahead). */
    @Test
    void plainMomentumStep() {
        try (NDManager m = Djl.newManager()) {
            NesterovSgd sgd = new NesterovSgd(0.1f, 0.9f, 0f, false);
            NDArray p = m.create(new float[] {1f});
            NDArray v = m.zeros(new Shape(1));
            sgd.update(p, m.create(new float[] {1f}), v);
            assertEquals(0.9f, p.getFloat(), 1e-6f);
            sgd.update(p, m.create(new float[] {1f}), v);
            assertEquals(1.9f, v.getFloat(), 1e-6f);
            assertEquals(0.71f, p.getFloat(), 1e-6f);
        }
    }

    @Test
    void reconstructionGridHasARowOfOriginalsAboveTheReconstructions() throws Exception {
        try (NDManager m = Djl.newManager(); Vae vae = new Vae(m, Plans.tryout(10), 2)) {
            NDArray x = images(m, 4);
            Path png = dir.resolve("sub/recon.png");
            KernelGrid.Layout layout = ReconstructionGrid.write(x, vae.reconstruct(x), png);
            BufferedImage img = ImageIO.read(png.toFile());
            int cell = 32 * ReconstructionGrid.SCALE;
            int sep = KernelGrid.Options.DEFAULT.separator();
            assertEquals(4 * cell + 5 * sep, img.getWidth());
            assertEquals(2 * cell + 3 * sep, img.getHeight());
            assertEquals(img.getWidth(), layout.width());
            assertEquals(4, layout.columns());
            assertEquals(2, layout.rows());
        }
    }

    /** One epoch through CheckpointedTraining: the log shows the validation loss, not a percentage. */
    @Test
    void vaeTrainingReportsItsValidationLoss() {
        byte[] pixels = new byte[16 * 3072];
        float[] w = waves(16);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) Math.round((w[i] + 1) * 127.5);
        }
        ImageSet set = new ImageSet("waves", 3, 32, 32, pixels, new int[16], 1);
        List<String> log = new ArrayList<>();
        try (NDManager m = Djl.newManager(); Vae vae = new Vae(m, Plans.tryout(10), 0)) {
            VaeTraining training = new VaeTraining(m, vae, set, set, Normalization.none(), 8, 0, 1, "vae");
            CheckpointedTraining.Outcome outcome = CheckpointedTraining.run(dir.resolve("ckpt"), 1, training, log::add);
            double v = outcome.state().bestValidation();
            assertTrue(v < 0, "a negated loss");
            try (NDManager b = m.newSubManager()) {
                double direct = vae.loss(b.create(pixelsAsFloats(pixels), new Shape(16, 3, 32, 32)));
                assertEquals(-direct, v, 1e-4);
            }
            assertTrue(log.get(0).contains(String.format("validation loss %.4f", -v)), log.toString());
            assertEquals(2, vae.steps());
        }
    }

    private static float[] pixelsAsFloats(byte[] pixels) {
        float[] f = new float[pixels.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (pixels[i] & 0xFF) / 255f;
        }
        return f;
    }
}
