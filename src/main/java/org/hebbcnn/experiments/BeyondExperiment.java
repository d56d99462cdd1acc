package org.hebbcnn.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.config.Protocol;
import org.hebbcnn.reports.ResultsTable;

/**
 * Published Hebbian protocols side by side with the paper's figures ({@code experiment beyond}):
 * each {@link Protocol} runs as a layer-wise experiment of its own configuration in
 * {@code OUT/<protocol>/} (resumable like any), then {@link BeyondTable} puts its readout's test
 * accuracy beside the published one, with the time of each phase.
 */
public final class BeyondExperiment {
    private final Map<Protocol, ExperimentConfig> protocols;
    private final Optional<ResultsTable> layerwise;
    private final Path out;
    private final Consumer<String> log;

    /**
     * @param protocols each protocol with its resolved configuration (dataset, seeds and flags applied)
     * @param layerwise a layer-wise table of the paper's network on the same dataset, for our HPCA and backprop rows
     */
    public BeyondExperiment(Map<Protocol, ExperimentConfig> protocols, Optional<ResultsTable> layerwise, Path out,
            Consumer<String> log) {
        this.protocols = new LinkedHashMap<>(protocols);
        this.layerwise = layerwise;
        this.out = out;
        this.log = log;
    }

    /** An identity for the whole: the protocols' own identities, in order. */
    public String identity() {
        return String.join("+", protocols.values().stream().map(ExperimentConfig::identity).toList());
    }

    /** Runs (or resumes) every protocol; writes and returns the beyond table and each protocol's layer-wise table. */
    public Map<Path, ResultsTable> run() throws IOException {
        Map<Path, ResultsTable> tables = new LinkedHashMap<>();
        List<BeyondTable.Row> rows = new ArrayList<>();
        String dataset = null;
        boolean reduced = false;
        List<String> notes = new ArrayList<>();
        for (Map.Entry<Protocol, ExperimentConfig> e : protocols.entrySet()) {
            Protocol p = e.getKey();
            ExperimentConfig c = e.getValue();
            Path dir = out.resolve(p.name());
            log.accept("=== protocol " + p.name() + ": " + p.title());
            Workspace ws = new Workspace(c, dir.resolve("runs"), dir.resolve(Workspace.STAGES), log);
            ResultsTable t = new LayerwiseExperiment(ws, dir).run();
            c.save(dir.resolve("config.yaml"));
            tables.put(dir, t);
            LayerwiseSettings s = ws.settings();
            dataset = s.dataset();
            reduced |= s.quick();
            List<LayerwiseRun> runs = new ArrayList<>();
            List<Double> featureSeconds = new ArrayList<>();
            Map<String, List<LinearReadoutExperiment.Report>> readouts = new TreeMap<>();
            for (String method : s.methods()) {
                for (int seed = 0; seed < s.seeds(); seed++) {
                    Path base = ws.baseDir(method, seed);
                    LayerwiseRun.read(base).ifPresent(runs::add);
                    double f = Workspace.featureExtractionSeconds(base.resolve("probes"));
                    if (f > 0) {
                        featureSeconds.add(f);
                    }
                    LinearReadoutExperiment.finished(base)
                            .forEach((folder, r) -> readouts.computeIfAbsent(folder, k -> new ArrayList<>()).add(r));
                }
            }
            // a run of another network (--set network=...) says so in its row: the protocol's name alone would claim its network
            String network = ws.spec().equals(p.configuration(dataset).networkSpec()) ? null : ws.spec().name();
            BeyondTable.Row protocolRow = BeyondTable.protocolRow(p, network, dataset, runs, ws::networkEpochs, s.probeEpochs(),
                    featureSeconds);
            rows.add(protocolRow);
            rows.addAll(BeyondTable.readoutRows(protocolRow, readouts));
            notes.add(p.name() + ": " + (ws.greedy() ? "greedy (each hidden layer learns alone in turn, its epochs "
                    + "each), " : "") + s.describe(false) + "; readout " + ws.hyperparameters().probesNote() + ". "
                    + p.source() + ".");
        }
        List<BeyondTable.Row> paperRows = BeyondTable.paperRows(dataset, layerwise);
        rows.addAll(paperRows);
        notes.add("ours: test top-1 of the readout (linear, on the frozen top layer) at its best validation epoch; "
                + "published: the authors' figure. Times are this machine's wall time per seed: the unsupervised "
                + "training (validation included), computing the readout's features once, and the readout's epochs.");
        if (layerwise.isEmpty() && !paperRows.isEmpty()) {
            notes.add("paper-hpca, paper-bp: give --layerwise DIR (an experiment layerwise folder on this dataset) "
                    + "for our figures.");
        }
        BeyondTable table = new BeyondTable(dataset, reduced, rows, notes);
        table.write(out);
        log.accept(table.toMarkdown());
        return tables;
    }
}
