package org.hebbcnn.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.config.RunRecord;
import org.hebbcnn.util.InputError;

/**
 * An experiment's output folder read back for a readout fitted after the fact ({@code readout
 * ridge}, {@code readout linear}): its configuration, its networks' workspace, and which method and
 * layers a readout reads.
 *
 * <p>The folder is an experiment's {@code --out}: {@code config.yaml} and {@code runs/} (layerwise,
 * and each protocol's folder of beyond) or {@code bases/} (all).
 */
final class FinishedRun {
    private final Path out;
    private final Path dataDir;
    private final Consumer<String> log;

    /**
     * @param out     the experiment's output folder
     * @param dataDir the dataset's folder when not where the run found it, or null
     */
    FinishedRun(Path out, Path dataDir, Consumer<String> log) {
        this.out = out;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** The workspace of the run: its configuration and its networks' folder. */
    Workspace workspace() {
        Path bases = Stream.of("runs", Workspace.BASES).map(out::resolve).filter(Files::isDirectory).findFirst()
                .orElseThrow(this::notARun);
        Path config = out.resolve(RunRecord.CONFIG);
        if (!Files.isRegularFile(config)) {
            throw notARun();
        }
        ExperimentConfig c = ExperimentConfig.load(config);
        if (dataDir != null) {
            c.dataDir = dataDir.toString();
        }
        return new Workspace(c, bases, out.resolve(Workspace.STAGES), log);
    }

    private InputError notARun() {
        List<String> protocols = new ArrayList<>();
        try (Stream<Path> s = Files.isDirectory(out) ? Files.list(out) : Stream.empty()) {
            s.filter(p -> Files.isRegularFile(p.resolve(RunRecord.CONFIG)) && Files.isDirectory(p.resolve("runs")))
                    .map(Path::toString).sorted().forEach(protocols::add);
        } catch (IOException e) {
            // only the hint is lost
        }
        return new InputError(out + ": not the folder of a finished experiment (no " + RunRecord.CONFIG + " with runs/ or "
                + Workspace.BASES + "/)" + (protocols.isEmpty() ? ""
                        : "; an experiment beyond folder: give one protocol's folder, " + String.join(" or ", protocols)));
    }

    /** The method asked for; none: the run's only one. */
    static String method(String requested, Workspace ws) {
        List<String> methods = ws.settings().methods();
        if (requested != null) {
            return Method.of(requested).name();
        }
        if (methods.size() != 1) {
            throw new InputError("--method: the run has methods " + String.join(", ", methods) + "; give one");
        }
        return methods.get(0);
    }

    /** The requested layers, checked; none requested: the top layer the run's probes read. */
    static int[] layers(int[] requested, TrainedNetwork net, Workspace ws) {
        int probed = net.probedLayers();
        if (requested.length == 0) {
            int[] read = java.util.stream.IntStream.rangeClosed(1, probed).filter(ws.hyperparameters().probeOptions()::probes)
                    .toArray();
            return new int[] {read.length > 0 ? read[read.length - 1] : probed};
        }
        for (int l : requested) {
            if (l < 1 || l > probed) {
                throw new InputError("--layers: layer " + l + " is not under the classifier (layers 1-" + probed + ")");
            }
        }
        return Arrays.stream(requested).distinct().sorted().toArray();
    }
}
