package org.hebbcnn.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Splits;
import org.hebbcnn.layers.BatchNorm;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.reports.KernelGrid;
import org.hebbcnn.rules.Hpca;
import org.hebbcnn.rules.Shc;
import org.hebbcnn.training.Accuracy;
import org.hebbcnn.util.Progress;

/**
 * The smallest meaningful Hebbian experiment: layer 1 of the try-out network (96 5x5 kernels)
 * learns by HPCA while an SHC classifier on its pooled, batch-normalised output learns from the
 * labels, all on the same batches (the reference's schedule); beside it, an SHC on the raw
 * pixels shows what the Hebbian features add. Reports test accuracy of both and draws the kernels.
 */
public final class QuickstartExperiment {
    private QuickstartExperiment() {}

    public record Options(int trainImages, int epochs, int batchSize, float hebbianLr, float classifierLr, long seed,
            Path outDir) {
        public static Options defaults(Path outDir) {
            return new Options(10_000, 1, 64, 1e-3f, 1e-3f, 0, outDir);
        }
    }

    public record Result(double pixelAccuracy, double featureAccuracy, int trainImages, int testImages,
            double seconds, Path kernelsPng, Path weightsNpy) {}

    public static Result run(NDManager parent, Splits splits, Options o, Consumer<String> log) throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(o.outDir());
        ImageSet train = splits.train();
        int n = Math.min(o.trainImages(), train.size());
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = i; // the split is already shuffled by the data seed
        }
        train = train.select(first, "train[0:" + n + "]");
        int classes = splits.numClasses();
        try (NDManager m = parent.newSubManager();
                ChannelNormalization norm = ChannelNormalization.fit(train);
                HebbianLayer conv = new HebbianLayer(m, new Shape(96, 3, 5, 5), new Hpca(), o.seed());
                BatchNorm bn = new BatchNorm(m, 96, false);
                HebbianLayer shc = HebbianLayer.fullyConnected(m, new Shape(96, 14, 14), classes, new Shc(), null,
                        o.seed() + 1);
                HebbianLayer pixelShc = HebbianLayer.fullyConnected(m, new Shape(3, 32, 32), classes, new Shc(), null,
                        o.seed() + 2)) {
            log.accept(String.format("training: %d images, %d epoch(s), batch %d; HPCA layer 1 (96 x 3x5x5) "
                    + "+ max-pool + batch-norm + SHC, beside an SHC on raw pixels", n, o.epochs(), o.batchSize()));
            for (int epoch = 0; epoch < o.epochs(); epoch++) {
                BatchIterator batches = BatchIterator.of(train, norm,
                        BatchOptions.training(o.batchSize(), o.seed()), epoch, m);
                try (ProgressBar bar = Progress.bar("epoch " + (epoch + 1) + "/" + o.epochs(), batches.batchCount())) {
                    for (Batch b : batches) {
                        try (b) {
                            NDArray teacher = b.labels().oneHot(classes);
                            NDArray y = conv.train(b.images(), null, o.hebbianLr());
                            NDArray features = bn.forward(pool(y), true);
                            shc.train(features, teacher, o.classifierLr());
                            pixelShc.train(b.images(), teacher, o.classifierLr());
                        }
                        bar.step();
                    }
                }
                if (!conv.weightsFinite()) {
                    throw new IllegalStateException("HPCA layer 1 diverged in epoch " + (epoch + 1)
                            + " (non-finite weights); lower the learning rate");
                }
            }
            long[] correct = new long[2];
            ImageSet test = splits.test();
            for (Batch b : BatchIterator.of(test, norm, BatchOptions.evaluation(256), 0, m)) {
                try (b) {
                    NDArray features = bn.forward(pool(conv.forward(b.images())), false);
                    correct[0] += hits(pixelShc.forward(b.images()), b.labels());
                    correct[1] += hits(shc.forward(features), b.labels());
                }
            }
            Path npy = o.outDir().resolve("layer1-hpca.npy");
            Path png = o.outDir().resolve("layer1-hpca.png");
            conv.saveWeights(npy);
            KernelGrid.writePng(conv.weights(), png, KernelGrid.Options.DEFAULT);
            return new Result(correct[0] / (double) test.size(), correct[1] / (double) test.size(), n, test.size(),
                    (System.nanoTime() - start) / 1e9, png, npy);
        }
    }

    private static NDArray pool(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    private static long hits(NDArray scores, NDArray labels) {
        return Accuracy.correct(scores.reshape(scores.getShape().get(0), -1), labels, 1);
    }
}
