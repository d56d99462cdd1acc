package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.nn.Accuracy;
import org.hebbcnn.nn.Dropout;
import org.hebbcnn.nn.NpzFile;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.NpyArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

// Slow: whole backprop networks, trained. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class BackpropNetworkTest {
    @TempDir
    Path dir;

    /** 3x32x32 images: a random prototype per class plus Gaussian noise. */
    static final class Images {
        final int classes;
        final float[] prototypes;
        final Random random;
        final float noise;

        Images(int classes, float noise, long seed) {
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
                int c = random.nextInt(classes);
                y[i] = c;
                for (int j = 0; j < 3072; j++) {
                    x[i * 3072 + j] = prototypes[c * 3072 + j] + noise * (float) random.nextGaussian();
                }
            }
            return new NDArray[] {m.create(x, new Shape(n, 3, 32, 32)), m.create(y)};
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100}) // MNIST-like and CIFAR-like: both 3x32x32 after preprocessing
    void everyLayerHasThePapersShape(int classes) {
        try (NDManager m = Djl.newManager(); BackpropNetwork net = new BackpropNetwork(m, Plans.tryout(classes), 0)) {
            NDArray x = new Images(classes, 0.5f, 1).batch(m, 3)[0];
            Shape[] expected = {new Shape(3, 96, 14, 14), new Shape(3, 128, 12, 12), new Shape(3, 192, 5, 5),
                new Shape(3, 256, 3, 3), new Shape(3, 4096), new Shape(3, classes)};
            for (boolean training : new boolean[] {false, true}) {
                try (NDList out = net.forward(x, training)) {
                    assertEquals(6, out.size());
                    for (int l = 0; l < 6; l++) {
                        assertEquals(expected[l], out.get(l).getShape(), "layer " + (l + 1) + " training " + training);
                        assertSame(m, out.get(l).getManager(), "outputs belong to the input's manager");
                    }
                }
            }
            assertEquals(new Shape(classes, 4096), net.weight(6).getShape());
            assertEquals(new Shape(4096, 2304), net.weight(5).getShape());
        }
    }

    /** Running layers 4-6 on layer 3's output gives what the whole network gives (eval mode). */
    @Test
    void layerRangesComposeToTheWholeNetwork() {
        try (NDManager m = Djl.newManager(); BackpropNetwork net = new BackpropNetwork(m, Plans.tryout(10), 4)) {
            NDArray x = new Images(10, 0.5f, 2).batch(m, 4)[0];
            NDList all = net.forward(x, false);
            NDList top = net.forward(all.get(2), 4, 6, false);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(all.get(3 + i).toFloatArray(), top.get(i).toFloatArray(), "layer " + (4 + i));
            }
            NDList fiveFromFlat = net.forward(all.get(3).reshape(4, 2304), 5, 5, false);
            assertArrayEquals(all.get(4).toFloatArray(), fiveFromFlat.singletonOrThrow().toFloatArray());
            assertArrayEquals(all.get(5).toFloatArray(), net.scores(x).toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> net.forward(x, 2, 6, false), "wrong input for layer 2");
            assertThrows(IllegalArgumentException.class, () -> net.forward(x, 3, 2, false));
        }
    }

    @Test
    void sameSeedGivesBitIdenticalPyTorchStyleInitialWeights() {
        try (NDManager m = Djl.newManager();
                BackpropNetwork a = new BackpropNetwork(m, Plans.tryout(10), 7);
                BackpropNetwork b = new BackpropNetwork(m, Plans.tryout(10), 7);
                BackpropNetwork c = new BackpropNetwork(m, Plans.tryout(10), 8)) {
            for (int l = 1; l <= 6; l++) {
                assertArrayEquals(a.weight(l).toFloatArray(), b.weight(l).toFloatArray(), "layer " + l);
                assertArrayEquals(a.bias(l).toFloatArray(), b.bias(l).toFloatArray(), "layer " + l);
                assertFalse(java.util.Arrays.equals(a.weight(l).toFloatArray(), c.weight(l).toFloatArray()), "layer " + l);
                Shape s = a.weight(l).getShape();
                float bound = (float) (1 / Math.sqrt(s.size() / s.get(0)));
                for (NDArray p : new NDArray[] {a.weight(l), a.bias(l)}) {
                    assertTrue(p.abs().max().getFloat() <= bound, "uniform in +-1/sqrt(fan_in), layer " + l);
                    assertTrue(p.abs().max().getFloat() > 0.9f * bound, "and filling it, layer " + l);
                }
            }
            // the same kernels as the Hebbian network's layer 1 for this seed
            try (HebbianLayer hebb = new HebbianLayer(m, new Shape(96, 3, 5, 5), Rules.byName("hpca").get(),
                    BackpropNetwork.layerSeed(7, 1))) {
                assertArrayEquals(hebb.weights().toFloatArray(), a.weight(1).toFloatArray());
            }
            NDList bn = a.batchNorm(2);
            assertEquals(1f, bn.get(0).min().getFloat());
            assertEquals(0f, bn.get(1).abs().max().getFloat());
        }
    }

    /** Batch-norm 1d of layer 5 as PyTorch: batch statistics, running stats with momentum 0.1 (unbiased variance). */
    @Test
    void batchNormFollowsPyTorch() {
        try (NDManager m = Djl.newManager(); BackpropNetwork net = new BackpropNetwork(m, Plans.tryout(10), 1)) {
            NDArray x = m.randomNormal(new Shape(6, 2304));
            NDArray h = x.matMul(net.weight(5).transpose()).add(net.bias(5)).maximum(0f);
            NDArray mean = h.mean(new int[] {0});
            NDArray var = h.sub(mean).square().mean(new int[] {0});
            NDArray expectedOut = h.sub(mean).div(var.add(1e-5f).sqrt());
            NDArray out = net.forward(x, 5, 5, true).singletonOrThrow();
            assertTrue(out.sub(expectedOut).abs().max().getFloat() < 1e-3f, "training output uses batch statistics");
            NDList bn = net.batchNorm(5);
            assertTrue(bn.get(2).sub(mean.mul(0.1f)).abs().max().getFloat() < 1e-5f, "running mean");
            NDArray unbiased = var.mul(6f / 5f);
            assertTrue(bn.get(3).sub(unbiased.mul(0.1f).add(0.9f)).abs().max().getFloat() < 1e-5f, "running variance");
            NDArray eval = net.forward(x, 5, 5, false).singletonOrThrow();
            NDArray expectedEval = h.sub(bn.get(2)).div(bn.get(3).add(1e-5f).sqrt());
            assertTrue(eval.sub(expectedEval).abs().max().getFloat() < 1e-3f, "eval output uses running statistics");
        }
    }

    /**
     * One step of layer 6 alone against a hand computation: dropout mask 0 of the seed, softmax
     * cross-entropy gradient, and the first Nesterov step p -= lr (1 + 0.9) g (wd 0).
     */
    @Test
    void firstStepOfTheClassifierMatchesTheAnalyticGradient() {
        try (NDManager m = Djl.newManager(); BackpropNetwork net = new BackpropNetwork(m, Plans.tryout(5), 11)) {
            int batch = 4;
            NDArray f = m.randomNormal(new Shape(batch, 4096));
            NDArray labels = m.create(new long[] {0, 3, 3, 4});
            NDArray w0 = net.weight(6).duplicate();
            NDArray b0 = net.bias(6).duplicate();
            NDArray mask = m.create(Dropout.mask(batch * 4096, 0.5f, 11, 0), new Shape(batch, 4096));
            NDArray dropped = f.mul(mask);
            NDArray logits = dropped.matMul(w0.transpose()).add(b0);
            NDArray g = logits.softmax(1).sub(labels.oneHot(5).toType(DataType.FLOAT32, false)).div(batch);
            NDArray gw = g.transpose().matMul(dropped);
            NDArray gb = g.sum(new int[] {0});
            float lr = 0.01f;
            net.setLearningRate(lr);
            net.setWeightDecay(0f);
            float loss = net.trainStep(f, 6, labels);
            float expectedLoss = -logits.logSoftmax(1).mul(labels.oneHot(5).toType(DataType.FLOAT32, false)).sum().getFloat() / batch;
            assertEquals(expectedLoss, loss, 1e-4f);
            NDArray expectedW = w0.sub(gw.mul(1.9f * lr));
            NDArray expectedB = b0.sub(gb.mul(1.9f * lr));
            assertTrue(net.weight(6).sub(expectedW).abs().max().getFloat() < 1e-6f);
            assertTrue(net.bias(6).sub(expectedB).abs().max().getFloat() < 1e-6f);
            assertTrue(net.bias(6).sub(b0).abs().max().getFloat() > 1e-4f, "the step moved the bias");
        }
    }

    @Test
    void learnsASeparableSyntheticTask() {
        try (NDManager m = Djl.newManager(); BackpropNetwork net = new BackpropNetwork(m, Plans.tryout(10), 0)) {
            Images images = new Images(10, 1.5f, 3);
            NDArray[] test = images.batch(m, 200);
            long untrained = Accuracy.top1(net.scores(test[0]), test[1]);
            assertTrue(untrained < 60, "untrained accuracy " + untrained + "/200 should be near chance");
            net.setLearningRate(0.01f); // 0.05 overshoots on this tiny task (the loss jumps to ~10)
            net.setWeightDecay(5e-4f);
            float first = Float.NaN;
            float last = Float.NaN;
            for (int step = 0; step < 24; step++) {
                try (NDManager b = m.newSubManager()) {
                    NDArray[] batch = images.batch(b, 20);
                    last = net.trainStep(batch[0], batch[1]);
                    if (step == 0) {
                        first = last;
                    }
                }
            }
            long correct = Accuracy.top1(net.scores(test[0]), test[1]);
            System.out.printf("backprop on synthetic prototypes: loss %.3f -> %.3f, test accuracy %d/200%n", first, last, correct);
            assertTrue(correct > 180, "test accuracy " + correct + "/200");
            assertTrue(net.parametersFinite());
            assertEquals(24, net.steps());
        }
    }

    @Test
    void aFrozenLayerStaysBitIdenticalWhileTheOthersLearn() {
        try (NDManager m = Djl.newManager(); BackpropNetwork net = new BackpropNetwork(m, Plans.tryout(10), 2)) {
            net.setLearningRate(0.01f);
            net.setWeightDecay(5e-2f);
            net.setTrainable(3, false);
            assertFalse(net.isTrainable(3));
            Map<String, NpyArray> before = snapshot(net, "before");
            Images images = new Images(10, 1f, 4);
            for (int i = 0; i < 2; i++) {
                NDArray[] batch = images.batch(m, 8);
                net.trainStep(batch[0], batch[1]);
            }
            Map<String, NpyArray> after = snapshot(net, "after");
            for (String name : before.keySet()) {
                if (name.startsWith("meta.")) {
                    continue;
                }
                boolean frozen = name.contains("conv3.") || name.contains("bn3.");
                if (frozen) {
                    assertEquals(before.get(name), after.get(name), name + " of the frozen layer moved");
                } else {
                    assertNotEquals(before.get(name), after.get(name), name + " should have moved");
                }
            }
        }
    }

    private Map<String, NpyArray> snapshot(BackpropNetwork net, String name) {
        Path file = dir.resolve(name + ".npz");
        net.save(file);
        return NpzFile.read(file);
    }

    /** 2 steps, save, load into a network made with another seed, 2 steps == 4 uninterrupted steps, bit for bit. */
    @Test
    void trainingResumedFromAFileIsBitIdentical() {
        try (NDManager m = Djl.newManager();
                BackpropNetwork straight = new BackpropNetwork(m, Plans.tryout(10), 5);
                BackpropNetwork interrupted = new BackpropNetwork(m, Plans.tryout(10), 5);
                BackpropNetwork resumed = new BackpropNetwork(m, Plans.tryout(10), 77)) {
            Images images = new Images(10, 1f, 6);
            NDArray[][] batches = new NDArray[4][];
            for (int i = 0; i < 4; i++) {
                batches[i] = images.batch(m, 8);
            }
            for (BackpropNetwork net : new BackpropNetwork[] {straight, interrupted}) {
                net.setLearningRate(0.02f);
                net.setWeightDecay(5e-2f);
            }
            for (int i = 0; i < 4; i++) {
                straight.trainStep(batches[i][0], batches[i][1]);
            }
            for (int i = 0; i < 2; i++) {
                interrupted.trainStep(batches[i][0], batches[i][1]);
            }
            Path file = dir.resolve("half.npz");
            interrupted.save(file);
            resumed.load(file);
            assertEquals(5, resumed.seed());
            for (int i = 2; i < 4; i++) {
                resumed.trainStep(batches[i][0], batches[i][1]);
            }
            Map<String, NpyArray> expected = snapshot(straight, "straight");
            Map<String, NpyArray> actual = snapshot(resumed, "resumed");
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                assertEquals(expected.get(name), actual.get(name), name);
            }
            assertNotEquals(expected.get("fc6.weight"), NpzFile.read(file).get("fc6.weight"), "training went on");
        }
    }

    @Test
    void loadingAFileForAnotherNetworkIsAnInputErrorNamingTheFile() {
        try (NDManager m = Djl.newManager();
                BackpropNetwork cifar100 = new BackpropNetwork(m, Plans.tryout(100), 0);
                BackpropNetwork mnist = new BackpropNetwork(m, Plans.tryout(10), 0)) {
            Path file = dir.resolve("cifar100-model.npz");
            cifar100.save(file);
            float[] w = mnist.weight(1).toFloatArray();
            InputError e = assertThrows(InputError.class, () -> mnist.load(file));
            assertTrue(e.getMessage().contains("cifar100-model.npz"), e.getMessage());
            assertArrayEquals(w, mnist.weight(1).toFloatArray(), "nothing changed");
            // a probe file is not a network file
            Map<String, NpyArray> arrays = NpzFile.read(file);
            arrays.remove("bn4.running_var");
            arrays.put("meta.classes", NpyArray.of(new long[] {10}, new long[] {1}));
            Path broken = dir.resolve("broken.npz");
            NpzFile.write(broken, arrays);
            e = assertThrows(InputError.class, () -> mnist.load(broken));
            assertTrue(e.getMessage().contains("broken.npz"), e.getMessage());
            e = assertThrows(InputError.class, () -> mnist.load(dir.resolve("absent.npz")));
            assertTrue(e.getMessage().contains("absent.npz"), e.getMessage());
        }
    }

    @Test
    void resetAndSetParameters() {
        try (NDManager m = Djl.newManager();
                BackpropNetwork a = new BackpropNetwork(m, Plans.tryout(10), 1);
                BackpropNetwork b = new BackpropNetwork(m, Plans.tryout(10), 2)) {
            b.resetLayer(4, 1);
            assertArrayEquals(a.weight(4).toFloatArray(), b.weight(4).toFloatArray());
            assertFalse(java.util.Arrays.equals(a.weight(3).toFloatArray(), b.weight(3).toFloatArray()));
            NDArray kernel = a.weight(5).reshape(4096, 256, 3, 3); // a Hebbian-style layer-5 kernel
            b.setParameters(5, kernel, null);
            assertArrayEquals(a.weight(5).toFloatArray(), b.weight(5).toFloatArray());
            assertEquals(0f, b.bias(5).abs().max().getFloat());
            assertThrows(IllegalArgumentException.class, () -> b.setParameters(4, a.weight(3), null));
            assertThrows(IllegalArgumentException.class, () -> b.setTrainable(7, false));
            b.setTrainable(6, false);
            NDArray[] batch = new Images(10, 1f, 0).batch(m, 4);
            assertThrows(IllegalStateException.class, () -> b.trainStep(m.zeros(new Shape(4, 4096)), 6, batch[1]));
        }
    }
}
