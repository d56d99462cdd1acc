package org.hebbcnn.examples;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.Datasets;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Splits;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.training.Evaluation;
import org.hebbcnn.training.LinearProbe;
import org.hebbcnn.util.Djl;

/**
 * The library from Java code, start to finish: build the six-layer try-out network, train it with
 * a Hebbian rule (every layer learns on every batch, the SHC on top), then freeze it and train a
 * linear probe on one layer's batch-norm output. No checkpoints or tables: see the experiments
 * package for those.
 *
 * <pre>
 *   java -cp target/hebbcnn.jar:target/lib/* org.hebbcnn.examples.HebbianProbeExample \
 *        [dataset=mnist] [rule=hpca] [layer=3] [images=5000] [dataDir]
 * </pre>
 */
public final class HebbianProbeExample {
    private HebbianProbeExample() {}

    /** What the example measured. */
    public record Outcome(double shcTest, double probeTest) {}

    public static void main(String[] args) {
        String dataset = args.length > 0 ? args[0] : "mnist";
        String rule = args.length > 1 ? args[1] : "hpca";
        int layer = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int images = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
        Path dataDir = args.length > 4 ? Path.of(args[4]) : null;
        Outcome o = run(dataset, rule, layer, images, dataDir);
        System.out.printf(Locale.ROOT, "%s, %s network: SHC test %.2f%%, linear probe on layer %d test %.2f%%%n",
                dataset, rule, 100 * o.shcTest(), layer, 100 * o.probeTest());
    }

    /** One epoch of Hebbian training on the first {@code images} training images, then one probe epoch. */
    public static Outcome run(String dataset, String rule, int layer, int images, Path dataDir) {
        Djl.init();                                                     // offline DJL, quiet logs
        Splits splits = Datasets.prepare(dataset, dataDir, 200);        // the paper's split, data seed 200
        ImageSet train = splits.train().select(IntStream.range(0, Math.min(images, splits.train().size())).toArray(),
                "train subset");
        int classes = splits.numClasses();
        try (NDManager m = Djl.newManager();
                ChannelNormalization norm = ChannelNormalization.fit(splits.train());
                HebbianNetwork net = new HebbianNetwork(m, classes, Rules.byName(rule), 0);     // model seed 0
                LinearProbe probe = new LinearProbe(m, net.plan().features(layer), classes, 0)) {
            for (Batch b : BatchIterator.of(train, norm, BatchOptions.training(64, 0), 0, m)) {
                try (b) {
                    net.train(b.images(), b.labels(), 1e-3f);           // all layers learn together
                }
            }
            for (Batch b : BatchIterator.of(train, norm, BatchOptions.training(64, 0), 1, m)) {
                try (b) {
                    probe.trainStep(net.forward(b.images()).get(layer - 1), b.labels());   // frozen layer
                }
            }
            double shc = Evaluation.accuracy(m, splits.test(), norm, x -> net.forward(x).get(5), 1);
            double lin = Evaluation.accuracy(m, splits.test(), norm, x -> probe.scores(net.forward(x).get(layer - 1)), 1);
            return new Outcome(shc, lin);
        }
    }
}
