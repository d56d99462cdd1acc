package org.hebbcnn.experiments;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.data.Splits;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.ProbeTraining;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;

/**
 * The run's own linear readout trained again on a finished run's frozen network ({@code readout
 * linear}), with what its experiment did not do: the training images' horizontal mirror images added
 * to the readout's training set ({@code flips}), the validation images added to it as well
 * ({@code noHoldout}: SoftHebb's authors train their readout on all 50,000 CIFAR-10 training images and
 * report its last epoch), other epochs, the network's last epoch. The probes
 * are the run's ({@link Workspace#probes}: its optimiser, schedule, batch, L2 and dropout; SHC and CHL
 * beside them) on the chosen layers, trained as the experiments train probes
 * ({@link Workspace#probeWithStore}: features computed once, in a store under the readout's folder,
 * deleted afterwards). The readout checkpoints every epoch in
 * {@code <run>/readout-linear[-flips][-noholdout][-last]/} and resumes from there; {@code <that folder>.json}
 * holds the results.
 */
public final class LinearReadoutExperiment {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String KEY = "key.txt";

    /**
     * What to train.
     *
     * @param method    the run's method (null: its only one)
     * @param layers    the network's layers to read (empty: the top layer the run's probes read)
     * @param epochs    readout epochs (0: the run's probe epochs)
     * @param flips     add the training images' horizontal mirror images to the readout's training set
     * @param noHoldout train on the validation images too and report the last readout epoch (nothing is
     *                  left to select on)
     * @param lastEpoch the network at its last epoch, else at its selected one (the run's probes')
     */
    public record Settings(String method, int seed, int[] layers, int epochs, boolean flips, boolean noHoldout,
            boolean lastEpoch) {
        /** The readout's folder name under the run's. */
        String folder() {
            return "readout-linear" + (flips ? "-flips" : "") + (noHoldout ? "-noholdout" : "") + (lastEpoch ? "-last" : "");
        }
    }

    /**
     * What {@code <folder>.json} holds.
     *
     * @param noHoldout      the readout trained on the validation images too; results at its last epoch,
     *                       validation NaN
     * @param trainImages    training images (with the validation images under noHoldout), before flips
     * @param readoutImages  images in one readout epoch (twice trainImages with flips)
     * @param featureSeconds computing the features (the network's forward passes)
     * @param epochSeconds   mean seconds of a readout epoch
     * @param results        each probe's test top-1 at its best validation epoch (noHoldout: its last)
     */
    public record Report(String method, int seed, long dataSeed, int networkEpoch, String epochChoice, boolean flips,
            boolean noHoldout, int epochs, int trainImages, int readoutImages, double featureSeconds, double epochSeconds,
            List<ProbeTraining.Result> results) {
        /** One row per probe, accuracies in percent. */
        public String toMarkdown() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Linear readout of %s seed %d (%s epoch %d; "
                    + "%d %s images%s; %d epochs; features %.0f s, %.1f s per epoch)%n%n", method, seed, epochChoice,
                    networkEpoch, trainImages, noHoldout ? "training and validation" : "training",
                    flips ? " and their horizontal flips" : "", epochs, featureSeconds, epochSeconds));
            b.append("| readout | layer | ").append(noHoldout ? "last" : "best")
                    .append(" epoch | validation top-1 | test top-1 | test top-5 |\n");
            b.append("|---|---|---|---|---|---|\n");
            for (ProbeTraining.Result r : results) {
                b.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.2f | %s |%n", r.kind(), r.layer(),
                        r.bestEpoch(), percent(r.validation()), 100 * r.testTop1(), percent(r.testTop5())));
            }
            return b.toString();
        }

        private static String percent(double fraction) {
            return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * fraction);
        }
    }

    private final FinishedRun finished;
    private final Consumer<String> log;
    private Path written;

    /**
     * @param out     the experiment's output folder ({@link FinishedRun})
     * @param dataDir the dataset's folder when not where the run found it, or null
     */
    public LinearReadoutExperiment(Path out, Path dataDir, Consumer<String> log) {
        this.finished = new FinishedRun(out, dataDir, log);
        this.log = log;
    }

    /** Trains (or resumes) the readout, writes its report beside the run's {@code result.json} and returns it. */
    public Report run(Settings settings) throws IOException {
        if (settings.epochs() < 0) {
            throw new InputError("--epochs must be >= 1 (or absent: the run's probe epochs), got " + settings.epochs());
        }
        Workspace ws = finished.workspace().loadLastEpoch(settings.lastEpoch());
        String method = FinishedRun.method(settings.method(), ws);
        int seed = settings.seed();
        int epochs = settings.epochs() > 0 ? settings.epochs() : ws.settings().probeEpochs();
        ws.checkFinished(method, seed); // before the dataset is read
        Path runDir = ws.baseDir(method, seed);
        Path dir = runDir.resolve(settings.folder());
        written = runDir.resolve(settings.folder() + ".json");
        Splits s = ws.splits(seed);
        Report report;
        try (Normalization norm = ws.normalization(method, s); NDManager m = Djl.newManager()) {
            TrainedNetwork net = ws.base(method, seed, m, norm); // finished: checked above, so nothing trains
            int[] layers = FinishedRun.layers(settings.layers(), net, ws);
            int networkEpoch = settings.lastEpoch() ? net.outcome().state().epochsDone() : net.outcome().state().bestEpoch();
            ImageSet validation = ws.validation(s);
            // under noHoldout the validation images are still scored each epoch, but nothing is selected on
            // them; the store computes their features twice (as training and as validation images), 5,000
            // of 65,000 images on CIFAR-10
            ImageSet training = ws.train(s);
            ImageSet train = settings.noHoldout() ? training.concat(validation, training.name() + "+validation") : training;
            ImageSet readoutTrain = settings.flips()
                    ? train.concat(train.flippedHorizontally(train.name() + "-flipped"), train.name() + "+flipped") : train;
            String key = ws.identity() + " | " + method + "/seed-" + seed + " network epoch " + networkEpoch + " layers "
                    + Arrays.toString(layers) + " flips " + settings.flips() + (settings.noHoldout() ? " no-holdout" : "");
            claim(dir, key);
            if (Files.isRegularFile(written) && CheckpointedTraining.done(dir, epochs)) {
                Report done = JSON.readValue(written.toFile(), Report.class);
                if (done.epochs() == epochs) {
                    log.accept("linear readout of " + method + " seed " + seed + ": done earlier (" + written + ")");
                    return done;
                }
            }
            log.accept(String.format(Locale.ROOT, "linear readout of %s seed %d: network at its %s epoch %d, layers %s, "
                    + "%d epochs on %d images%s%s", method, seed, settings.lastEpoch() ? "last" : "selected", networkEpoch,
                    Arrays.toString(layers), epochs, readoutTrain.size(), settings.flips() ? " (with flips)" : "",
                    settings.noHoldout() ? " (validation images included; the last epoch is reported)" : ""));
            ProbeTraining.Features features = x -> Workspace.pick(net.features(x), layers);
            long[] sizes = Arrays.stream(layers).mapToLong(ws.plan(s)::features).toArray();
            ProbeTraining probes = ws.probes(m, features, sizes, layers, s.numClasses(), readoutTrain, validation, s.test(),
                    norm, seed, epochs, method + " readout");
            if (settings.noHoldout()) {
                probes.validationSeenInTraining();
            }
            CheckpointedTraining.Outcome outcome = ws.probeWithStore(dir, dir.resolve(Workspace.FEATURES), key, epochs,
                    probes, features, readoutTrain, validation, s.test(), norm, m);
            List<ProbeTraining.Result> results = new ArrayList<>();
            for (String kind : ProbeTraining.KINDS) {
                for (int l : layers) {
                    results.add(settings.noHoldout() ? probes.lastResult(kind, l) : probes.result(kind, l, 1));
                }
            }
            report = new Report(method, seed, s.dataSeed(), networkEpoch, settings.lastEpoch() ? "last" : "selected",
                    settings.flips(), settings.noHoldout(), epochs, train.size(), readoutTrain.size(), Workspace.featureExtractionSeconds(dir),
                    Workspace.meanSeconds(outcome), results);
        }
        AtomicFiles.writeString(written, JSON.writeValueAsString(report));
        return report;
    }

    /**
     * The readouts finished on the run in {@code runDir}, by their folder's name
     * ({@code readout-linear[-flips][-noholdout][-last]}), in name order; an unreadable report is skipped.
     */
    public static Map<String, Report> finished(Path runDir) {
        Map<String, Report> found = new TreeMap<>();
        try (Stream<Path> files = Files.isDirectory(runDir) ? Files.list(runDir) : Stream.empty()) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith("readout-linear") && name.endsWith(".json") && Files.isRegularFile(f)) {
                    try {
                        found.put(name.substring(0, name.length() - ".json".length()), JSON.readValue(f.toFile(), Report.class));
                    } catch (IOException e) {
                        // a damaged report is one readout fewer in the table, not a failed experiment
                    }
                }
            }
        } catch (IOException e) {
            // an unreadable folder holds no readout this table can show
        }
        return found;
    }

    /** The report the last {@link #run} wrote. */
    public Path written() {
        return written;
    }

    /** Makes {@code dir} this readout's, or refuses one another readout (other settings of the run) made. */
    private static void claim(Path dir, String key) throws IOException {
        Path file = dir.resolve(KEY);
        if (Files.isRegularFile(file)) {
            String had = Files.readString(file).strip();
            if (!had.equals(key)) {
                throw new InputError(dir + " holds a readout of other settings (" + had + "); delete the folder to "
                        + "train this one (" + key + ")");
            }
            return;
        }
        Files.createDirectories(dir);
        AtomicFiles.writeString(file, key + System.lineSeparator());
    }
}
