package org.hebbcnn.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.features.FeatureStore;
import org.hebbcnn.network.BackpropNetwork;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.training.Evaluation;
import org.hebbcnn.training.LearningRateSchedule;
import org.hebbcnn.training.ProbeTraining;
import org.hebbcnn.util.Progress;

/**
 * Whole-epoch timings on real images: one HPCA training epoch (all six layers learning, as in the
 * layer-wise experiment) against a forward-only pass of the same network over the same batches,
 * and one backprop epoch against its own forward-only pass. Batch assembly and normalisation are
 * inside every timing, so the ratios compare what a user waits for. Every phase first runs untimed
 * (a whole pass, or {@code warmupBatches} batches) just before it is timed, so that no phase pays
 * for the engine's first use of its kernels and shapes, the first one measured included.
 *
 * <p>Probes: the frozen HPCA network's layers under its classifier go into a {@link FeatureStore} on files (as in a
 * full-size run); then one epoch of the probes (SGD, SHC and CHL on every layer) and their scoring
 * are timed from the store, each after an untimed one. Scaled to the dataset's splits, 20 such
 * epochs are set against one forward pass of the network over the three splits (goal: at most 1.5).
 *
 * <p>Peak memory: the process's resident-set high-water mark (native tensors included), reset
 * before each phase where the kernel allows it (/proc/self/clear_refs), and the JVM heap's peak.
 */
public final class EpochBenchmark {
    /** Probe epochs of the paper's schedule, against which the probes' cost is set. */
    public static final int PROBE_EPOCHS = 20;

    /** One timed phase. */
    public record Phase(String name, int images, double seconds, double imagesPerSecond, long peakRssMiB,
            long peakHeapMiB) {}

    /**
     * The probes' cost scaled to whole splits.
     *
     * @param splitImages         training, validation and test images of the dataset
     * @param extractionSeconds   the feature store's one pass over the three splits (network and files)
     * @param probeEpochSeconds   one probe epoch: training on the training split, scoring validation and test
     * @param forwardSeconds      one forward pass of the network over the three splits
     * @param twentyEpochsSeconds {@value #PROBE_EPOCHS} probe epochs from the store
     * @param ratio               twenty epochs / forward (goal: at most 1.5)
     * @param ratioWithExtraction (extraction + twenty epochs) / forward
     */
    public record ProbeCost(int[] splitImages, double extractionSeconds, double probeEpochSeconds,
            double forwardSeconds, double twentyEpochsSeconds, double ratio, double ratioWithExtraction) {}

    /** All phases, the two ratios and the probes' cost. */
    public record Result(String dataset, int images, int batch, List<Phase> phases, double hpcaRatio,
            double backpropRatio, ProbeCost probes, boolean perPhasePeaks) {}

    private final int batch;
    private final int warmupBatches;

    /** @param warmupBatches untimed batches of each phase before it is timed; 0: a whole untimed pass */
    public EpochBenchmark(int batch, int warmupBatches) {
        this.batch = batch;
        this.warmupBatches = warmupBatches;
    }

    /** @param splitImages the dataset's training, validation and test sizes, to scale the probes' cost */
    public Result run(NDManager manager, String dataset, ImageSet images, Normalization norm, int classes,
            int[] splitImages) {
        List<Phase> phases = new ArrayList<>();
        boolean resettable = resetPeakRss();
        ProbeCost probes;
        Phase hpcaForward;
        Phase hpcaEpoch;
        try (HebbianNetwork hebb = new HebbianNetwork(manager, classes, Rules.byName("hpca"), 0)) {
            hpcaForward = time(manager, "hpca forward only", images, norm, (x, y) -> hebb.forward(x).close());
            hpcaEpoch = time(manager, "hpca training epoch", images, norm, (x, y) -> hebb.train(x, y, 1e-3f).close());
            phases.add(hpcaForward);
            phases.add(hpcaEpoch);
            int probed = hebb.depth() - 1;
            long[] features = java.util.stream.IntStream.rangeClosed(1, probed).mapToLong(hebb.plan()::features).toArray();
            probes = probes(manager, images, norm, classes, x -> hebb.forward(x, 1, probed), features, hpcaForward, phases,
                    splitImages);
        }
        try (BackpropNetwork bp = new BackpropNetwork(manager, NetworkSpec.tryout().plan(new long[] {3, 32, 32}, classes), 0)) {
            bp.setWeightDecay(5e-2f);
            Phase forward = time(manager, "backprop forward only", images, norm, (x, y) -> bp.scores(x).close());
            Phase epoch = time(manager, "backprop training epoch", images, norm, (x, y) -> bp.trainStep(x, y));
            phases.add(forward);
            phases.add(epoch);
            return new Result(dataset, images.size(), batch, phases, hpcaEpoch.seconds() / hpcaForward.seconds(),
                    epoch.seconds() / forward.seconds(), probes, resettable);
        }
    }

    /**
     * Feature extraction into a store on files, then one probe epoch and one scoring pass from it
     * (each after an untimed one), scaled to the splits.
     */
    private ProbeCost probes(NDManager manager, ImageSet images, Normalization norm, int classes,
            Function<NDArray, NDList> network, long[] features, Phase forward, List<Phase> phases, int[] splits) {
        ImageSet scored = images.withName(images.name() + "/scored"); // the store's second set: the same images
        Map<String, ImageSet> sets = new LinkedHashMap<>();
        sets.put("train", images);
        sets.put("scored", scored);
        Path dir;
        try {
            dir = Files.createTempDirectory("hebbcnn-bench-features");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FeatureStore store = new FeatureStore(dir, 0, sets, norm, network, Evaluation.BATCH, "bench", manager, s -> {});
        try {
            ProbeTraining probes = new ProbeTraining(manager, network::apply, features, classes, images, scored, scored, norm, batch,
                    LearningRateSchedule.baseline(), 1e-3f, 0, 2, "probe epoch").readFeaturesFrom(store);
            Phase extraction = timeOnce("feature extraction (store)", 2 * images.size(), store::build);
            probes.trainEpoch(0); // warm-up
            Phase train = timeOnce("probe epoch from store", images.size(), () -> probes.trainEpoch(1));
            probes.validate(); // warm-up
            Phase score = timeOnce("probe scoring from store", 2 * images.size(), probes::validate);
            phases.add(extraction);
            phases.add(train);
            phases.add(score);
            int all = splits[0] + splits[1] + splits[2];
            double epoch = train.seconds() / images.size() * splits[0]
                    + score.seconds() / (2.0 * images.size()) * (splits[1] + splits[2]);
            double forwardAll = forward.seconds() / images.size() * all;
            double extract = extraction.seconds() / (2.0 * images.size()) * all;
            double twenty = PROBE_EPOCHS * epoch;
            return new ProbeCost(splits.clone(), extract, epoch, forwardAll, twenty, twenty / forwardAll,
                    (extract + twenty) / forwardAll);
        } finally {
            store.delete();
        }
    }

    private Phase timeOnce(String name, int images, Runnable pass) {
        resetPeakRss();
        resetHeapPeaks();
        long start = System.nanoTime();
        pass.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Phase(name, images, seconds, images / seconds, peakRssMiB(), peakHeapMiB());
    }

    /** The phase's own step, untimed: over the whole set, or its first {@code warmupBatches} batches. */
    private void warm(NDManager manager, ImageSet images, Normalization norm, BiConsumer<NDArray, NDArray> step) {
        int n = warmupBatches <= 0 ? images.size() : Math.min(images.size(), warmupBatches * batch);
        ImageSet few = n == images.size() ? images : images.select(IntStream.range(0, n).toArray(), images.name() + "/warm-up");
        for (Batch b : BatchIterator.of(few, norm, BatchOptions.training(batch, 1), 0, manager)) {
            try (b) {
                step.accept(b.images(), b.labels());
            }
        }
    }

    private Phase time(NDManager manager, String name, ImageSet images, Normalization norm,
            BiConsumer<NDArray, NDArray> step) {
        warm(manager, images, norm, step);
        resetPeakRss();
        resetHeapPeaks();
        BatchIterator batches = BatchIterator.of(images, norm, BatchOptions.training(batch, 7), 0, manager);
        long start = System.nanoTime();
        try (ProgressBar bar = Progress.bar(name, batches.batchCount())) {
            for (Batch b : batches) {
                try (b) {
                    step.accept(b.images(), b.labels());
                }
                bar.step();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Phase(name, images.size(), seconds, images.size() / seconds, peakRssMiB(), peakHeapMiB());
    }


    /** Resets the kernel's peak-RSS counter; false where that is not possible (then peaks are cumulative). */
    static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** VmHWM of this process in MiB, or -1 where /proc is absent. */
    static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapMiB() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum >> 20;
    }
}
