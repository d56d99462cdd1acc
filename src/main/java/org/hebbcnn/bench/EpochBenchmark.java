package org.hebbcnn.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.network.BackpropNetwork;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.util.Progress;

/**
 * Whole-epoch timings on real images: one HPCA training epoch (all six layers learning, as in the
 * layer-wise experiment) against a forward-only pass of the same network over the same batches,
 * and one backprop epoch against its own forward-only pass. Batch assembly and normalisation are
 * inside every timing, so the ratios compare what a user waits for.
 *
 * <p>Peak memory: the process's resident-set high-water mark (native tensors included), reset
 * before each phase where the kernel allows it (/proc/self/clear_refs), and the JVM heap's peak.
 */
public final class EpochBenchmark {
    /** One timed phase. */
    public record Phase(String name, int images, double seconds, double imagesPerSecond, long peakRssMiB,
            long peakHeapMiB) {}

    /** All phases and the two ratios. */
    public record Result(String dataset, int images, int batch, List<Phase> phases, double hpcaRatio,
            double backpropRatio, boolean perPhasePeaks) {}

    private final int batch;
    private final int warmupBatches;

    public EpochBenchmark(int batch, int warmupBatches) {
        this.batch = batch;
        this.warmupBatches = warmupBatches;
    }

    public Result run(NDManager manager, String dataset, ImageSet images, Normalization norm, int classes) {
        List<Phase> phases = new ArrayList<>();
        boolean resettable = resetPeakRss();
        try (HebbianNetwork hebb = new HebbianNetwork(manager, classes, Rules.byName("hpca"), 0)) {
            warm(manager, images, norm, (x, y) -> hebb.train(x, y, 1e-3f).close());
            phases.add(time(manager, "hpca forward only", images, norm, (x, y) -> hebb.forward(x).close()));
            phases.add(time(manager, "hpca training epoch", images, norm, (x, y) -> hebb.train(x, y, 1e-3f).close()));
        }
        try (BackpropNetwork bp = new BackpropNetwork(manager, NetworkSpec.tryout().plan(new long[] {3, 32, 32}, classes), 0)) {
            bp.setWeightDecay(5e-2f);
            warm(manager, images, norm, (x, y) -> bp.trainStep(x, y));
            phases.add(time(manager, "backprop forward only", images, norm, (x, y) -> bp.scores(x).close()));
            phases.add(time(manager, "backprop training epoch", images, norm, (x, y) -> bp.trainStep(x, y)));
        }
        return new Result(dataset, images.size(), batch, phases, phases.get(1).seconds() / phases.get(0).seconds(),
                phases.get(3).seconds() / phases.get(2).seconds(), resettable);
    }

    private void warm(NDManager manager, ImageSet images, Normalization norm, BiConsumer<NDArray, NDArray> step) {
        int n = Math.min(images.size(), warmupBatches * batch);
        ImageSet few = images.select(IntStream.range(0, n).toArray(), images.name() + "/warm-up");
        for (Batch b : BatchIterator.of(few, norm, BatchOptions.training(batch, 1), 0, manager)) {
            try (b) {
                step.accept(b.images(), b.labels());
            }
        }
    }

    private Phase time(NDManager manager, String name, ImageSet images, Normalization norm,
            BiConsumer<NDArray, NDArray> step) {
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
