package org.hebbcnn.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one hybrid network (config, rule, seed), kept as {@code result.json} in its run
 * folder: its presence marks the run as done.
 *
 * @param config     the configuration as written (e.g. "BHHBBG", "BBBB|BG")
 * @param rule       the Hebbian rule of its H layers
 * @param stages     how each stage was obtained
 * @param bestEpoch  the selected epoch of the top stage (epochs to convergence)
 * @param validation the top stage's validation top-1 at that epoch, in [0,1]
 * @param testTop1   test top-1 of the whole hybrid, in [0,1]
 * @param testTop5   test top-5 (NaN below 5 classes)
 */
public record HybridRun(String config, String rule, int seed, long dataSeed, List<StageRecord> stages, int bestEpoch,
        double validation, double testTop1, double testTop5) {
    public static final String FILE = ResultFile.NAME;

    /**
     * One stage: layers first..last of a network of {@code kind} (B or H), from the base network
     * ({@code source} = "base bp", "base hpca", ...) or trained fresh ({@code source} = its folder).
     */
    public record StageRecord(int first, int last, String kind, String source, int bestEpoch, double secondsPerEpoch) {}

    public void write(Path dir) throws IOException {
        ResultFile.write(dir, this);
    }

    public static Optional<HybridRun> read(Path dir) throws IOException {
        return ResultFile.read(dir, HybridRun.class);
    }
}
