package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.layers.BatchNorm;
import org.hebbcnn.nn.Accuracy;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.HebbianNetworkTraining;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.*;

// Slow: whole Hebbian networks, trained. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class HebbianNetworkTest {
    @TempDir
    Path dir;

    /** 3x32x32 float images: a fixed random prototype per class plus Gaussian noise, classes in turn. */
    static final class Task {
        final int classes;
        final float noise;
        final float[] prototypes;
        final Random random;

        Task(int classes, float noise, long seed) {
            this.classes = classes;
            this.noise = noise;
            random = new Random(seed);
            prototypes = new float[classes * 3072];
            for (int i = 0; i < prototypes.length; i++) {
                prototypes[i] = (float) random.nextGaussian();
            }
        }

        NDArray[] batch(NDManager m, int n) {
            float[] x = new float[n * 3072];
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                int c = i % classes;
                y[i] = c;
                for (int j = 0; j < 3072; j++) {
                    x[i * 3072 + j] = prototypes[c * 3072 + j] + noise * (float) random.nextGaussian();
                }
            }
            return new NDArray[] {m.create(x, new Shape(n, 3, 32, 32)), m.create(y)};
        }
    }

    /** The same kind of images as bytes in an ImageSet (prototype bytes plus clamped noise). */
    static ImageSet imageSet(String name, int n, int classes, long seed) {
        Random prototypes = new Random(42);
        byte[][] proto = new byte[classes][3072];
        for (byte[] p : proto) {
            prototypes.nextBytes(p);
        }
        Random random = new Random(seed);
        byte[] pixels = new byte[n * 3072];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < 3072; j++) {
                int v = (proto[labels[i]][j] & 0xff) + (int) Math.round(40 * random.nextGaussian());
                pixels[i * 3072 + j] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new ImageSet(name, 3, 32, 32, pixels, labels, classes);
    }

    @ParameterizedTest(name = "{0}, {1} classes")
    @CsvSource({"hpca, 10", "hpca, 100", "hwta, 10", "hwta, 100"}) // MNIST-like and CIFAR-like: both 3x32x32
    void everyLayerHasThePapersShape(String rule, int classes) {
        try (NDManager m = Djl.newManager();
                HebbianNetwork net = new HebbianNetwork(m, classes, Rules.byName(rule), 0)) {
            assertEquals(rule, net.ruleName());
            assertEquals(classes, net.classes());
            NDArray[] batch = new Task(classes, 0.5f, 1).batch(m, 3);
            Shape[] expected = {new Shape(3, 96, 14, 14), new Shape(3, 128, 12, 12), new Shape(3, 192, 5, 5),
                new Shape(3, 256, 3, 3), new Shape(3, 4096), new Shape(3, classes)};
            float[] w1 = net.layer(1).weights().toFloatArray();
            float[] mean1 = net.norm(1).runningMean().toFloatArray();
            NDList out = net.forward(batch[0]);
            assertEquals(6, out.size());
            for (int l = 0; l < 6; l++) {
                assertEquals(expected[l], out.get(l).getShape(), "layer " + (l + 1));
            }
            // forward() only evaluates: no weight and no running statistic moves
            assertArrayEquals(w1, net.layer(1).weights().toFloatArray());
            assertArrayEquals(mean1, net.norm(1).runningMean().toFloatArray());
            NDArray scores = net.train(batch[0], batch[1], 1e-3f);
            assertEquals(new Shape(3, classes), scores.getShape());
            // train() learns: layer 1 and its batch-norm statistics moved
            assertFalse(Arrays.equals(w1, net.layer(1).weights().toFloatArray()), "layer 1 learned");
            assertFalse(Arrays.equals(mean1, net.norm(1).runningMean().toFloatArray()), "bn1 statistics moved");
            assertEquals(0, net.firstNonFiniteLayer());
            // plain batch-norm after layers 1-2, the modified one after 3-5
            for (int l = 1; l <= 5; l++) {
                assertEquals(l >= 3, net.norm(l).isModified(), "batch-norm of layer " + l);
            }
            assertEquals(new Shape(classes, 4096, 1, 1), net.layer(6).kernelShape());
        }
    }

    /** Per-channel batch mean and biased variance of x [B, C, H, W], in double. */
    private static double[][] channelStats(float[] x, int b, int c, int hw) {
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < b; i++) {
                for (int p = 0; p < hw; p++) {
                    s += x[(i * c + ch) * hw + p];
                }
            }
            mean[ch] = s / (b * hw);
            double q = 0;
            for (int i = 0; i < b; i++) {
                for (int p = 0; p < hw; p++) {
                    double d = x[(i * c + ch) * hw + p] - mean[ch];
                    q += d * d;
                }
            }
            var[ch] = q / (b * hw);
        }
        return new double[][] {mean, var};
    }

    /** Channels with means MU and standard deviations SIGMA (a factor 20 between the extremes). */
    private static final double[] MU = {1, -2, 0, 5};
    private static final double[] SIGMA = {0.5, 1, 4, 10};

    private static float[] channels(Random random, int b, int hw) {
        int c = MU.length;
        float[] x = new float[b * c * hw];
        for (int i = 0; i < b; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < hw; p++) {
                    x[(i * c + ch) * hw + p] = (float) (MU[ch] + SIGMA[ch] * random.nextGaussian());
                }
            }
        }
        return x;
    }

    private static void assertClose(double expected, double actual, double relTol, String what) {
        assertEquals(expected, actual, relTol * Math.max(1, Math.abs(expected)), what);
    }

    /**
     * The modified batch-norm (reference notes, "Network"): the plain output times
     * sqrt((running_var_c + eps) / (mean_c running_var + eps)), checked against a hand computation
     * of PyTorch's running statistics (momentum 0.1, unbiased variance), in both modes.
     */
    @Test
    void modifiedBatchNormKeepsTheChannelsRelativeVariance() {
        int b = 32;
        int c = MU.length;
        int hw = 16;
        Shape shape = new Shape(b, c, 4, 4);
        double eps = BatchNorm.EPS;
        try (NDManager m = Djl.newManager();
                BatchNorm modified = new BatchNorm(m, c, true);
                BatchNorm plain = new BatchNorm(m, c, false)) {
            assertEquals(1e-5f, BatchNorm.EPS);
            assertEquals(0.1f, BatchNorm.MOMENTUM);
            Random random = new Random(3);
            double[] rm = new double[c]; // PyTorch's initial running statistics: mean 0, variance 1
            double[] rv = {1, 1, 1, 1};
            for (int step = 0; step < 60; step++) {
                float[] xs = channels(random, b, hw);
                NDArray x = m.create(xs, shape);
                float[] outMod = modified.forward(x, true).toFloatArray();
                float[] outPlain = plain.forward(x, true).toFloatArray();
                double[][] batch = channelStats(xs, b, c, hw);
                int n = b * hw;
                for (int ch = 0; ch < c; ch++) {
                    rm[ch] = 0.9 * rm[ch] + 0.1 * batch[0][ch];
                    rv[ch] = 0.9 * rv[ch] + 0.1 * batch[1][ch] * n / (n - 1);
                }
                if (step == 0) {
                    // training mode: batch statistics, rescaled by the just-updated running variance
                    double meanRv = Arrays.stream(rv).average().orElseThrow();
                    for (int i = 0; i < xs.length; i++) {
                        int ch = (i / hw) % c;
                        double normed = (xs[i] - batch[0][ch]) / Math.sqrt(batch[1][ch] + eps);
                        assertClose(normed, outPlain[i], 1e-4, "plain, training, value " + i);
                        assertClose(normed * Math.sqrt((rv[ch] + eps) / (meanRv + eps)), outMod[i], 1e-4,
                                "modified, training, value " + i);
                    }
                }
            }
            float[] runMean = modified.runningMean().toFloatArray();
            float[] runVar = modified.runningVar().toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                assertClose(rm[ch], runMean[ch], 1e-4, "running mean " + ch);
                assertClose(rv[ch], runVar[ch], 1e-4, "running variance " + ch);
            }
            assertArrayEquals(runMean, plain.runningMean().toFloatArray(), "both variants keep the same statistics");
            assertArrayEquals(runVar, plain.runningVar().toFloatArray());

            // evaluation mode: running statistics only, statistics frozen
            float[] xs = channels(random, 64, hw);
            NDArray x = m.create(xs, new Shape(64, c, 4, 4));
            float[] outMod = modified.forward(x, false).toFloatArray();
            float[] outPlain = plain.forward(x, false).toFloatArray();
            assertArrayEquals(runVar, modified.runningVar().toFloatArray(), "eval mode leaves the statistics alone");
            double meanRv = Arrays.stream(rv).average().orElseThrow();
            for (int i = 0; i < xs.length; i++) {
                int ch = (i / hw) % c;
                double normed = (xs[i] - rm[ch]) / Math.sqrt(rv[ch] + eps);
                assertClose(normed, outPlain[i], 1e-4, "plain, eval, value " + i);
                assertClose(normed * Math.sqrt((rv[ch] + eps) / (meanRv + eps)), outMod[i], 1e-4,
                        "modified, eval, value " + i);
            }

            double[] inStd = std(channelStats(xs, 64, c, hw));
            double[][] modStats = channelStats(outMod, 64, c, hw);
            double[] modStd = std(modStats);
            double[] plainStd = std(channelStats(outPlain, 64, c, hw));
            double inRatio = inStd[3] / inStd[0];
            assertTrue(inRatio > 15, "the input channels differ in spread: " + inRatio);
            assertEquals(inRatio, modStd[3] / modStd[0], 1e-3 * inRatio, "modified: the relative spread survives");
            for (int ch = 0; ch < c; ch++) {
                assertTrue(Math.abs(modStats[0][ch]) < 0.1 * modStd[ch], "modified: channel " + ch + " stays centred");
                assertEquals(1, plainStd[ch], 0.15, "plain: channel " + ch + " has unit spread");
            }
            double plainRatio = plainStd[3] / plainStd[0];
            assertTrue(plainRatio > 0.8 && plainRatio < 1.25, "plain batch-norm equalises the channels: " + plainRatio);
        }
    }

    private static double[] std(double[][] stats) {
        return Arrays.stream(stats[1]).map(Math::sqrt).toArray();
    }

    /**
     * All six layers learning together (HPCA below, SHC on top) separate four noisy class
     * prototypes: held-out accuracy of the SHC scores well above chance (0.25).
     */
    @Test
    void hpcaNetworkWithShcLearnsASyntheticTask() {
        try (NDManager m = Djl.newManager(); HebbianNetwork net = new HebbianNetwork(m, 4, Rules.byName("hpca"), 0)) {
            Task task = new Task(4, 1.5f, 1);
            NDArray[] test = task.batch(m, 100);
            NDArray[] train = task.batch(m, 128);
            long untrained = Accuracy.top1(net.forward(test[0]).get(5), test[1]);
            // 12 batches of 32: 96-100/100 over four task and model seeds. The reference's lr 1e-3
            // needs many more batches; at 1e-2 layer 5's HPCA weights blow up (row norms ~1e6
            // within 12 batches, still finite) and accuracy falls back to chance. Fewer or larger
            // batches (e.g. 6 of 64) are not reliably above 0.6.
            float lr = 3e-3f;
            int batch = 32;
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int start = 0; start < 128; start += batch) {
                    try (NDManager scope = m.newSubManager()) {
                        NDArray x = train[0].get(start + ":" + (start + batch));
                        NDArray y = train[1].get(start + ":" + (start + batch));
                        x.attach(scope);
                        y.attach(scope);
                        net.train(x, y, lr);
                    }
                }
            }
            assertEquals(0, net.firstNonFiniteLayer());
            long correct = Accuracy.top1(net.forward(test[0]).get(5), test[1]);
            System.out.printf("hpca + shc on synthetic prototypes: %d/100 untrained, %d/100 after 3 epochs%n",
                    untrained, correct);
            assertTrue(correct > 60, "held-out accuracy " + correct + "/100 (chance 25)");
        }
    }

    /** A model that counts the epochs it is asked to train (to prove the resume skipped epoch 1). */
    private static final class Counting implements CheckpointedTraining.Model {
        final CheckpointedTraining.Model inner;
        final List<Integer> trained = new ArrayList<>();
        int loads;

        Counting(CheckpointedTraining.Model inner) {
            this.inner = inner;
        }

        @Override
        public void trainEpoch(int epoch) {
            trained.add(epoch);
            inner.trainEpoch(epoch);
        }

        @Override
        public double validate() {
            return inner.validate();
        }

        @Override
        public void save(Path d) {
            inner.save(d);
        }

        @Override
        public void load(Path d) {
            loads++;
            inner.load(d);
        }

        @Override
        public Optional<String> nonFinite() {
            return inner.nonFinite();
        }
    }

    /** 3 epochs straight == 1 epoch, then a fresh process (new network, other seed) resuming to 3, bit for bit. */
    @Test
    void interruptedAndResumedTrainingEndsWithTheSameWeights() {
        ImageSet train = imageSet("train", 8, 4, 1); // two batches of 4 per epoch: the epoch's shuffle matters
        ImageSet validation = imageSet("validation", 4, 4, 2);
        ChannelNormalization norm = ChannelNormalization.fit(train);
        int epochs = 3;
        try (NDManager m = Djl.newManager();
                HebbianNetwork straight = new HebbianNetwork(m, 4, Rules.byName("hpca"), 5);
                HebbianNetwork interrupted = new HebbianNetwork(m, 4, Rules.byName("hpca"), 5);
                HebbianNetwork resumed = new HebbianNetwork(m, 4, Rules.byName("hpca"), 6);
                HebbianNetwork untrained = new HebbianNetwork(m, 4, Rules.byName("hpca"), 5)) {
            List<String> log = new ArrayList<>();
            CheckpointedTraining.Outcome a = CheckpointedTraining.run(dir.resolve("a"), epochs,
                    training(m, straight, train, validation, norm, epochs), log::add);
            CheckpointedTraining.run(dir.resolve("b"), 1, training(m, interrupted, train, validation, norm, epochs),
                    log::add);
            Counting second = new Counting(training(m, resumed, train, validation, norm, epochs));
            CheckpointedTraining.Outcome b = CheckpointedTraining.run(dir.resolve("b"), epochs, second, log::add);
            assertEquals(List.of(1, 2), second.trained, "the resumed run trains epochs 2 and 3 only");
            assertEquals(1, second.loads);
            assertTrue(log.stream().anyMatch(s -> s.startsWith("resuming")), String.join("\n", log));
            assertEquals(epochs, b.state().epochsDone());
            for (int l = 1; l <= straight.depth(); l++) {
                float[] expected = straight.layer(l).weights().toFloatArray();
                assertArrayEquals(expected, resumed.layer(l).weights().toFloatArray(), "weights of layer " + l);
                assertFalse(Arrays.equals(expected, untrained.layer(l).weights().toFloatArray()),
                        "layer " + l + " learned something");
            }
            for (int l = 1; l <= 5; l++) {
                assertArrayEquals(straight.norm(l).runningMean().toFloatArray(),
                        resumed.norm(l).runningMean().toFloatArray(), "running mean of bn" + l);
                assertArrayEquals(straight.norm(l).runningVar().toFloatArray(),
                        resumed.norm(l).runningVar().toFloatArray(), "running variance of bn" + l);
            }
            List<Double> va = a.state().history().stream().map(CheckpointedTraining.EpochRecord::validationAccuracy).toList();
            List<Double> vb = b.state().history().stream().map(CheckpointedTraining.EpochRecord::validationAccuracy).toList();
            assertEquals(va, vb, "same validation accuracies, epoch by epoch");
            assertEquals(a.state().bestEpoch(), b.state().bestEpoch());
        }
    }

    private static HebbianNetworkTraining training(NDManager m, HebbianNetwork net, ImageSet train,
            ImageSet validation, ChannelNormalization norm, int epochs) {
        return new HebbianNetworkTraining(m, net, train, validation, norm, 4, 3e-3f, 11, epochs, "test");
    }

    /** save() then load() into a network made with another seed restores every weight and statistic. */
    @Test
    void saveAndLoadRoundTripIntoANetworkOfAnotherSeed() {
        try (NDManager m = Djl.newManager();
                HebbianNetwork saved = new HebbianNetwork(m, 10, Rules.byName("hpca"), 1);
                HebbianNetwork loaded = new HebbianNetwork(m, 10, Rules.byName("hpca"), 2)) {
            Task task = new Task(10, 1f, 7);
            NDArray[] batch = task.batch(m, 8);
            saved.train(batch[0], batch[1], 1e-3f); // running statistics away from their start (0 and 1)
            assertFalse(Arrays.equals(saved.layer(1).weights().toFloatArray(), loaded.layer(1).weights().toFloatArray()));
            saved.save(dir);
            loaded.load(dir);
            for (int l = 1; l <= saved.depth(); l++) {
                assertArrayEquals(saved.layer(l).weights().toFloatArray(), loaded.layer(l).weights().toFloatArray(),
                        "weights of layer " + l);
            }
            for (int l = 1; l <= 5; l++) {
                float[] mean = saved.norm(l).runningMean().toFloatArray();
                assertArrayEquals(mean, loaded.norm(l).runningMean().toFloatArray(), "running mean of bn" + l);
                assertArrayEquals(saved.norm(l).runningVar().toFloatArray(), loaded.norm(l).runningVar().toFloatArray(),
                        "running variance of bn" + l);
                assertFalse(Arrays.equals(new float[mean.length], mean), "bn" + l + " statistics were trained");
            }
            NDArray probe = task.batch(m, 4)[0];
            NDList a = saved.forward(probe);
            NDList b = loaded.forward(probe);
            for (int l = 0; l < 6; l++) {
                assertArrayEquals(a.get(l).toFloatArray(), b.get(l).toFloatArray(), "output of layer " + (l + 1));
            }
        }
    }
}
