package org.hebbcnn.experiments;

import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.util.Statistics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hebbcnn.reports.PaperTables;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.training.ProbeTraining;

/**
 * SHC against SGD classifiers (Tables 4, 8, 12): an SGD and an SHC probe on each layer under the classifier of the
 * backprop-trained network, test accuracy and epochs to convergence (the probe's best validation
 * epoch), and a CHL probe ({@link org.hebbcnn.rules.Chl}; not in the paper, so no paper column). These are the probes of the backprop base, shared with the layer-wise table through the
 * {@link Workspace}: trained once per seed.
 */
public final class ClassifiersExperiment {
    public static final List<String> CLASSIFIERS = List.of("SGD", "SHC", "CHL");

    private final Workspace workspace;
    private final Path out;

    public ClassifiersExperiment(Workspace workspace, Path out) {
        this.workspace = workspace;
        this.out = out;
    }

    public ResultsTable run() throws IOException {
        OutputFolder.claim(out, workspace.identity());
        List<LayerwiseRun> runs = new ArrayList<>();
        ResultsTable table = null;
        for (int seed = 0; seed < workspace.settings().seeds(); seed++) {
            runs.add(workspace.probeRun("bp", seed));
            table = table(runs);
            table.write(out);
        }
        return table;
    }

    private ResultsTable table(List<LayerwiseRun> runs) {
        LayerwiseSettings s = workspace.settings();
        boolean top5 = PaperTables.metric(s.dataset()).map("top5"::equals).orElse(false);
        ResultsTable.Builder b = ResultsTable.builder("classifiers", s.dataset()).quick(s.quick()).seeds(s.seeds());
        b.note(s.describe());
        b.paperNetwork(workspace.paperNetwork(), workspace.spec().name());
        b.note("Probes on the frozen backprop network's layers: " + workspace.hyperparameters().probesNote()
                + ". Epochs: each probe's epoch of best validation accuracy (1-based).");
        for (String c : CLASSIFIERS) {
            String kind = c.toLowerCase(java.util.Locale.ROOT);
            for (int l = 1; l < workspace.spec().depth(); l++) {
                final int layer = l;
                List<ProbeTraining.Result> ps = runs.stream().map(r -> r.probe(kind, layer)).toList();
                ResultsTable.Row r = ResultsTable.Row.forLayer(c, l, top5 ? "top5" : "top1",
                        Statistics.summarize(ps.stream().mapToDouble(p -> 100 * (top5 ? p.testTop5() : p.testTop1())).toArray()))
                        .withEpochs(ps.stream().mapToDouble(ProbeTraining.Result::bestEpoch).average().orElse(Double.NaN));
                if (top5) {
                    r = r.withTop1(Statistics.summarize(ps.stream().mapToDouble(p -> 100 * p.testTop1()).toArray()));
                }
                b.add(r);
            }
        }
        return b.build();
    }
}
