package org.hebbcnn.experiments;

import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.util.Statistics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.hebbcnn.util.Statistics.Summary;
import org.hebbcnn.reports.PaperTables;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.training.ProbeTraining;

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
    private final LayerwiseSettings settings;
    private final Workspace workspace;
    private final Path out;
    private final Consumer<String> log;

    /**
     * A stand-alone run: networks and probes under {@code out/runs/<method>/seed-<i>/}.
     *
     * @param dataDir a folder with the dataset's files, or null for the default location
     */
    public LayerwiseExperiment(LayerwiseSettings settings, Path dataDir, Path out, Consumer<String> log) {
        this(new Workspace(settings, dataDir, out.resolve("runs"), out.resolve(Workspace.STAGES), log), out);
    }

    /** A run that shares its trained networks through {@code workspace}; the table goes to {@code out}. */
    public LayerwiseExperiment(Workspace workspace, Path out) {
        this.settings = workspace.settings();
        this.workspace = workspace;
        this.out = out;
        this.log = workspace.log();
    }

    /** Runs (or resumes) every method and seed; writes and returns the table. */
    public ResultsTable run() throws IOException {
        OutputFolder.claim(out, workspace.identity());
        Map<String, List<LayerwiseRun>> done = new LinkedHashMap<>();
        settings.methods().forEach(m -> done.put(m, new ArrayList<>()));
        ResultsTable table = null;
        for (int seed = 0; seed < settings.seeds(); seed++) {
            for (String method : settings.methods()) {
                done.get(method).add(workspace.probeRun(method, seed));
                table = table(done);
                table.write(out);
            }
        }
        return table;
    }

    /** Where run (method, seed) keeps its checkpoints and result. */
    public Path runDir(String method, int seed) {
        return workspace.baseDir(method, seed);
    }

    /**
     * The table of the runs so far: for each method, the SGD probe on every layer under the classifier (the
     * paper's rows), the network's own classifier as its last layer, and the SHC probes as method {@code <method>-shc}.
     */
    ResultsTable table(Map<String, List<LayerwiseRun>> runs) {
        boolean top5 = PaperTables.metric(settings.dataset()).map("top5"::equals).orElse(false);
        String metric = top5 ? "top5" : "top1";
        ResultsTable.Builder b = ResultsTable.builder("layerwise", settings.dataset()).quick(settings.quick())
                .seeds(settings.seeds());
        boolean paperNetwork = workspace.paperNetwork();
        b.note(settings.describe(paperNetwork));
        b.paperNetwork(paperNetwork, workspace.spec().name());
        int depth = workspace.spec().depth();
        if (paperNetwork && settings.reduced()) {
            b.note("This deviates from the paper's schedule (20 + 20 epochs on the whole training split); "
                    + "expect lower figures, above all for backprop.");
        }
        if (workspace.greedy()) {
            b.note("Hebbian networks learn greedily (hebbian.greedy): layer 1 alone for " + settings.epochs()
                    + " epoch(s), then each layer above on the frozen ones below, the classifier with the top layer; "
                    + NetworkKind.HEBBIAN.epochs(workspace, depth, 1) + " network epochs in all.");
        }
        b.note("Probes: " + workspace.hyperparameters().probesNote() + ".");
        b.note("Layers 1-" + (depth - 1) + ": linear (SGD) probe on the frozen layer's output; layer " + depth + ": the network's own "
                + "classifier (SGD for bp, SHC for Hebbian networks); <method>-shc: SHC probes. Model selection by "
                + "validation top-1; test accuracy in percent.");
        StringBuilder timing = new StringBuilder("Measured wall time per epoch on this machine:");
        for (Map.Entry<String, List<LayerwiseRun>> e : runs.entrySet()) {
            List<LayerwiseRun> rs = e.getValue();
            if (rs.isEmpty()) {
                continue;
            }
            String method = e.getKey();
            for (int l = 1; l < depth; l++) {
                final int layer = l;
                if (rs.stream().allMatch(r -> r.hasProbe("sgd", layer))) { // a protocol may probe some layers only
                    b.add(row(method, l, metric, rs, r -> r.probe("sgd", layer)));
                }
            }
            ResultsTable.Row top = ResultsTable.Row.forLayer(method, depth, metric,
                    Statistics.summarize(rs.stream().mapToDouble(r -> 100 * (top5 ? r.networkTestTop5() : r.networkTestTop1())).toArray()))
                    .withEpochs(rs.stream().mapToDouble(LayerwiseRun::networkBestEpoch).average().orElse(Double.NaN));
            if (top5) {
                top = top.withTop1(Statistics.summarize(rs.stream().mapToDouble(r -> 100 * r.networkTestTop1()).toArray()));
            }
            if (rs.stream().allMatch(r -> Double.isFinite(r.networkTestTop1()))) { // the VAE has no classifier of its own
                b.add(top);
            }
            for (String kind : ProbeTraining.KINDS) { // the other probes beside the SGD one, as columns of their own
                if (kind.equals("sgd")) {
                    continue; // the method's own rows, above
                }
                for (int l = 1; l < depth; l++) {
                    final int layer = l;
                    if (rs.stream().allMatch(r -> r.hasProbe(kind, layer))) {
                        b.add(row(method + "-" + kind, l, metric, rs, r -> r.probe(kind, layer)));
                    }
                }
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
