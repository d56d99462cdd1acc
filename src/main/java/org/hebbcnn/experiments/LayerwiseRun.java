package org.hebbcnn.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hebbcnn.training.ProbeTraining;

/**
 * The outcome of one (method, seed) run of the layer-wise experiment, kept as
 * {@code runs/<method>/seed-<i>/result.json}: its presence marks the run as done.
 *
 * @param networkBestEpoch      the network's selected epoch (best validation accuracy, 1-based)
 * @param networkValidation     its validation top-1 in [0,1]
 * @param networkTestTop1       test top-1 of the network's own classifier (its last layer) at that epoch
 * @param networkTestTop5       test top-5 (NaN below 5 classes)
 * @param networkSecondsPerEpoch mean wall time of a network epoch (training + validation)
 * @param probeSecondsPerEpoch  mean wall time of a probe epoch (SGD, SHC and CHL probes + validation and test scoring)
 */
public record LayerwiseRun(String method, int seed, long dataSeed, int networkBestEpoch, double networkValidation,
        double networkTestTop1, double networkTestTop5, double networkSecondsPerEpoch, double probeSecondsPerEpoch,
        List<ProbeTraining.Result> probes) {
    public static final String FILE = ResultFile.NAME;

    public ProbeTraining.Result probe(String kind, int layer) {
        return probes.stream().filter(p -> p.kind().equals(kind) && p.layer() == layer).findFirst()
                .orElseThrow(() -> new IllegalStateException("run " + method + "/" + seed + " has no " + kind
                        + " probe on layer " + layer));
    }

    /** Whether the run probed {@code layer} with {@code kind} (protocols may probe only some layers). */
    public boolean hasProbe(String kind, int layer) {
        return probes.stream().anyMatch(p -> p.kind().equals(kind) && p.layer() == layer);
    }

    public void write(Path dir) throws IOException {
        ResultFile.write(dir, this);
    }

    public static Optional<LayerwiseRun> read(Path dir) throws IOException {
        return ResultFile.read(dir, LayerwiseRun.class);
    }
}
