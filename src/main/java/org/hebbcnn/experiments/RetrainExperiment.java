package org.hebbcnn.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.network.HybridConfig;
import org.hebbcnn.reports.ResultsTable;

/**
 * Retraining the top layers of a backprop-trained network (Tables 3, 7, 11): layer 6 as an SHC,
 * layers 5-6 as HPCA + SHC and as HWTA + SHC, and layers 5-6 by backprop, each on the frozen lower
 * layers of the backprop base; accuracy and epochs to convergence (the epoch of best validation).
 *
 * <p>The paper's BP row ("BBBBBG", 15 epochs) shows its base network itself; this experiment
 * retrains layers 5-6 by backprop ({@code BBBB|BG}), as the issue asks, and prints the paper's
 * BP figures beside it.
 */
public final class RetrainExperiment {
    /** Method label (the paper's), configuration, and the rule of its Hebbian layers. */
    public record Variant(String method, String config, String rule, String paperConfig) {}

    /**
     * The paper's four variants for a network of {@code depth} layers: the top two layers retrained by
     * backprop, the classifier by SHC, and the top two by HPCA or HWTA + SHC, all on the backprop base
     * (for the six-layer network: BBBB|BG, BBBBBH, BBBBHH, BBBBHH).
     */
    public static List<Variant> variants(int depth) {
        String below = "B".repeat(depth - 2);
        return List.of(
                new Variant("BP", below + "|BG", "hpca", below + "BG"),
                new Variant("SHC", below + "BH", "hpca", below + "BH"),
                new Variant("HPCA+SHC", below + "HH", "hpca", below + "HH"),
                new Variant("HWTA+SHC", below + "HH", "hwta", below + "HH"));
    }

    private final Workspace workspace;
    private final Path out;

    public RetrainExperiment(Workspace workspace, Path out) {
        this.workspace = workspace;
        this.out = out;
    }

    public ResultsTable run() throws IOException {
        OutputFolder.claim(out, workspace.identity());
        Map<Variant, List<HybridRun>> done = new LinkedHashMap<>();
        ResultsTable table = null;
        for (int seed = 0; seed < workspace.settings().seeds(); seed++) {
            for (Variant v : variants(workspace.spec().depth())) {
                Path dir = out.resolve("runs").resolve(v.method().toLowerCase(Locale.ROOT)).resolve("seed-" + seed);
                done.computeIfAbsent(v, k -> new ArrayList<>())
                        .add(workspace.hybrid(workspace.hybridConfig(v.config()), v.rule(), seed, dir));
                table = table(done);
                table.write(out);
            }
        }
        return table;
    }

    private ResultsTable table(Map<Variant, List<HybridRun>> runs) {
        LayerwiseSettings s = workspace.settings();
        ResultsTable.Builder b = ResultsTable.builder("retrain", s.dataset()).quick(s.quick()).seeds(s.seeds());
        b.note(s.describe());
        b.paperNetwork(workspace.paperNetwork(), workspace.spec().name());
        b.note("Top layers retrained on the frozen layers of the backprop base. BP: the top two layers retrained by backprop "
                + "(BBBB|BG for the paper's network; the paper's BP row is its base network, shown beside it). Epochs: epoch of best validation "
                + "accuracy (1-based) of the retrained layers.");
        for (Map.Entry<Variant, List<HybridRun>> e : runs.entrySet()) {
            Variant v = e.getKey();
            ResultsTable.Row r = HybridExperiment.row(s.dataset(), v.method(), v.paperConfig(), e.getValue(),
                    HybridRun::testTop1, HybridRun::testTop5, HybridRun::bestEpoch);
            b.add(r); // the paper's figure and epochs are found by (paper config, method)
        }
        return b.build();
    }

}
