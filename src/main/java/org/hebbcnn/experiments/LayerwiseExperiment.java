package org.hebbcnn.experiments;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.Datasets;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.data.Splits;
import org.hebbcnn.data.ZcaWhitening;
import org.hebbcnn.experiments.Statistics.Summary;
import org.hebbcnn.network.BackpropNetwork;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.reports.PaperTables;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.training.BackpropNetworkTraining;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.CheckpointedTraining.EpochRecord;
import org.hebbcnn.training.CheckpointedTraining.Outcome;
import org.hebbcnn.training.Evaluation;
import org.hebbcnn.training.HebbianNetworkTraining;
import org.hebbcnn.training.LearningRateSchedule;
import org.hebbcnn.training.ProbeTraining;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;

/**
 * The paper's layer-wise experiment (Tables 1, 5, 9): train the try-out network by each method,
 * freeze it, train a linear (SGD) probe and an SHC probe on every layer, and report the probes' test
 * accuracy over seeds (mean and 95% half-width) beside the paper's.
 *
 * <p>Run i uses model seed i and data seed 200 + i. Every run lives in {@code
 * OUT/runs/<method>/seed-<i>/} (network and probe checkpoints after every epoch, then {@code
 * result.json}); running the same command again skips finished runs and resumes unfinished ones
 * after their last complete epoch. The table is rewritten after every finished run.
 *
 * <p>Model selection is by validation top-1 for every dataset (CIFAR-100 included, whose reported
 * metric is top-5): the network's best epoch by its own classifier, each probe's best epoch by
 * its own validation score.
 */
public final class LayerwiseExperiment {
    public static final long DATA_SEED_BASE = 200;
    public static final float HEBBIAN_LR = 1e-3f;
    public static final float SHC_PROBE_LR = 1e-3f;
    private static final String SETTINGS = "settings.txt";

    private final LayerwiseSettings settings;
    private final Path dataDir;
    private final Path out;
    private final Consumer<String> log;

    /**
     * @param dataDir a folder with the dataset's files, or null for the default location
     */
    public LayerwiseExperiment(LayerwiseSettings settings, Path dataDir, Path out, Consumer<String> log) {
        this.settings = settings;
        this.dataDir = dataDir;
        this.out = out;
        this.log = log;
    }

    /** Runs (or resumes) every method and seed; writes and returns the table. */
    public ResultsTable run() throws IOException {
        claimOutput();
        Map<String, List<LayerwiseRun>> done = new LinkedHashMap<>();
        settings.methods().forEach(m -> done.put(m, new ArrayList<>()));
        ResultsTable table = null;
        for (int seed = 0; seed < settings.seeds(); seed++) {
            Splits splits = null;
            for (String method : settings.methods()) {
                Path dir = runDir(method, seed);
                LayerwiseRun run = LayerwiseRun.read(dir).orElse(null);
                if (run == null) {
                    if (splits == null) {
                        splits = Datasets.prepare(settings.dataset(), dataDir, DATA_SEED_BASE + seed);
                    }
                    log.accept(String.format(Locale.ROOT, "== %s, seed %d (data seed %d): %s", method, seed,
                            DATA_SEED_BASE + seed, settings.describe()));
                    run = runOne(splits, method, seed, dir);
                    run.write(dir);
                } else {
                    log.accept("== " + method + ", seed " + seed + ": done earlier (" + dir.resolve(LayerwiseRun.FILE) + ")");
                }
                done.get(method).add(run);
                table = table(done);
                table.write(out);
            }
        }
        return table;
    }

    /** Refuses an output folder made with other settings, whose runs would be mixed with these. */
    private void claimOutput() throws IOException {
        Files.createDirectories(out);
        Path f = out.resolve(SETTINGS);
        if (Files.isRegularFile(f)) {
            String before = Files.readString(f).trim();
            if (!before.equals(settings.identity())) {
                throw new InputError(out + " holds runs made with other settings (" + before + "; now "
                        + settings.identity() + "): choose another --out or delete it");
            }
        } else {
            AtomicFiles.writeString(f, settings.identity() + "\n");
        }
    }

    /** Where run (method, seed) keeps its checkpoints and result. */
    public Path runDir(String method, int seed) {
        return out.resolve("runs").resolve(method).resolve("seed-" + seed);
    }

    private LayerwiseRun runOne(Splits splits, String method, int seed, Path dir) {
        ImageSet train = first(splits.train(), settings.trainImages());
        ImageSet validation = first(splits.validation(), settings.validationImages());
        ImageSet test = splits.test();
        int classes = splits.numClasses();
        long dataSeed = splits.dataSeed();
        // Normalisation statistics come from the whole training split, as in the paper.
        try (Normalization norm = method.equals("hwta")
                        ? ZcaWhitening.fitOrLoad(splits, ZcaWhitening.DEFAULT_EPSILON)
                        : ChannelNormalization.fit(splits.train());
                NDManager m = Djl.newManager()) {
            Outcome net;
            ProbeTraining.Features features;
            double[] testAcc;
            int k5 = Math.min(5, classes);
            if (method.equals("bp")) {
                BackpropNetwork bp = new BackpropNetwork(m, classes, seed);
                bp.setWeightDecay(settings.dataset().equals("cifar100") ? 1e-2f : 5e-2f);
                BackpropNetworkTraining model = new BackpropNetworkTraining(m, bp, train, validation, norm,
                        settings.batchSize(), LearningRateSchedule.baseline(), seed, settings.epochs(), 1, "bp");
                net = CheckpointedTraining.run(dir.resolve("network"), settings.epochs(), model, log);
                model.load(net.bestCheckpoint().resolve("model"));
                testAcc = Evaluation.accuracies(m, test, norm, bp::scores, 1, k5);
                features = x -> bp.forward(x, 1, 5, false);
            } else {
                HebbianNetwork hebb = new HebbianNetwork(m, classes, Rules.byName(method), seed);
                HebbianNetworkTraining model = new HebbianNetworkTraining(m, hebb, train, validation, norm,
                        settings.batchSize(), HEBBIAN_LR, seed, settings.epochs(), method);
                net = CheckpointedTraining.run(dir.resolve("network"), settings.epochs(), model, log);
                model.load(net.bestCheckpoint().resolve("model"));
                testAcc = Evaluation.accuracies(m, test, norm, x -> hebb.forward(x).get(5), 1, k5);
                features = hebb::forward;
            }
            log.accept(String.format(Locale.ROOT, "%s seed %d: network epoch %d selected (validation %.2f%%), "
                    + "test %.2f%%", method, seed, net.state().bestEpoch(), 100 * net.state().bestValidation(),
                    100 * testAcc[0]));
            ProbeTraining probes = new ProbeTraining(m, features, classes, train, validation, test, norm,
                    settings.batchSize(), LearningRateSchedule.baseline(), SHC_PROBE_LR, seed, settings.probeEpochs(),
                    method + " probes");
            Outcome probed = CheckpointedTraining.run(dir.resolve("probes"), settings.probeEpochs(), probes, log);
            List<ProbeTraining.Result> results = new ArrayList<>();
            for (String kind : ProbeTraining.KINDS) {
                for (int l = 1; l <= ProbeTraining.LAYERS; l++) {
                    results.add(probes.result(kind, l, 1));
                }
            }
            return new LayerwiseRun(method, seed, dataSeed, net.state().bestEpoch(), net.state().bestValidation(),
                    testAcc[0], classes >= 5 ? testAcc[1] : Double.NaN, meanSeconds(net), meanSeconds(probed), results);
        }
    }

    private static double meanSeconds(Outcome o) {
        return o.state().history().stream().mapToDouble(EpochRecord::seconds).average().orElse(Double.NaN);
    }

    private static ImageSet first(ImageSet set, int n) {
        if (n == 0 || n >= set.size()) {
            return set;
        }
        return set.select(IntStream.range(0, n).toArray(), set.name());
    }

    /**
     * The table of the runs so far: for each method, the SGD probe on layers 1-5 (the paper's rows),
     * the network's own classifier as layer 6, and the SHC probes as method {@code <method>-shc}.
     */
    ResultsTable table(Map<String, List<LayerwiseRun>> runs) {
        boolean top5 = PaperTables.metric(settings.dataset()).map("top5"::equals).orElse(false);
        String metric = top5 ? "top5" : "top1";
        ResultsTable.Builder b = ResultsTable.builder("layerwise", settings.dataset()).quick(settings.quick())
                .seeds(settings.seeds());
        b.note(settings.describe());
        if (settings.reduced()) {
            b.note("This deviates from the paper's schedule (20 + 20 epochs on the whole training split); "
                    + "expect lower figures, above all for backprop.");
        }
        b.note("Layers 1-5: linear (SGD) probe on the frozen layer's batch-norm output; layer 6: the network's own "
                + "classifier (SGD for bp, SHC for Hebbian networks); <method>-shc: SHC probes. Model selection by "
                + "validation top-1; test accuracy in percent.");
        StringBuilder timing = new StringBuilder("Measured wall time per epoch on this machine:");
        for (Map.Entry<String, List<LayerwiseRun>> e : runs.entrySet()) {
            List<LayerwiseRun> rs = e.getValue();
            if (rs.isEmpty()) {
                continue;
            }
            String method = e.getKey();
            for (int l = 1; l <= ProbeTraining.LAYERS; l++) {
                final int layer = l;
                b.add(row(method, l, metric, rs, r -> r.probe("sgd", layer)));
            }
            ResultsTable.Row top = ResultsTable.Row.forLayer(method, 6, metric,
                    Statistics.summarize(rs.stream().mapToDouble(r -> 100 * (top5 ? r.networkTestTop5() : r.networkTestTop1())).toArray()))
                    .withEpochs(rs.stream().mapToDouble(LayerwiseRun::networkBestEpoch).average().orElse(Double.NaN));
            if (top5) {
                top = top.withTop1(Statistics.summarize(rs.stream().mapToDouble(r -> 100 * r.networkTestTop1()).toArray()));
            }
            b.add(top);
            for (int l = 1; l <= ProbeTraining.LAYERS; l++) {
                final int layer = l;
                b.add(row(method + "-shc", l, metric, rs, r -> r.probe("shc", layer)));
            }
            timing.append(String.format(Locale.ROOT, " %s network %.0f s, probes %.0f s;", method,
                    rs.stream().mapToDouble(LayerwiseRun::networkSecondsPerEpoch).average().orElse(Double.NaN),
                    rs.stream().mapToDouble(LayerwiseRun::probeSecondsPerEpoch).average().orElse(Double.NaN)));
            if (rs.size() < settings.seeds()) {
                b.note(method + ": " + rs.size() + " of " + settings.seeds() + " seeds finished so far.");
            }
        }
        b.note(timing.toString());
        return b.build();
    }

    private static ResultsTable.Row row(String method, int layer, String metric, List<LayerwiseRun> runs,
            java.util.function.Function<LayerwiseRun, ProbeTraining.Result> pick) {
        boolean top5 = metric.equals("top5");
        Summary ours = Statistics.summarize(runs.stream().map(pick)
                .mapToDouble(p -> 100 * (top5 ? p.testTop5() : p.testTop1())).toArray());
        ResultsTable.Row r = ResultsTable.Row.forLayer(method, layer, metric, ours)
                .withEpochs(runs.stream().map(pick).mapToDouble(ProbeTraining.Result::bestEpoch).average().orElse(Double.NaN));
        if (top5) {
            r = r.withTop1(Statistics.summarize(runs.stream().map(pick).mapToDouble(p -> 100 * p.testTop1()).toArray()));
        }
        return r;
    }
}
