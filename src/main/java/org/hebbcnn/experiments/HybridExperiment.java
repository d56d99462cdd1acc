package org.hebbcnn.experiments;

import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.config.Hyperparameters;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.util.Statistics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.hebbcnn.network.HybridConfig;
import org.hebbcnn.reports.PaperTables;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.util.InputError;

/**
 * The paper's hybrid networks (Tables 2, 6, 10): for each Hebbian rule and configuration, a network
 * whose layers are trained by backprop or by the rule, built bottom-up from the base networks (see
 * {@link HybridConfig}); test accuracy over seeds beside the paper's. Runs are kept under {@code
 * OUT/runs/<rule>/<config>/seed-<i>/result.json}; trained stages are shared through the {@link
 * Workspace}, so re-running resumes and configs that start alike train their common stage once.
 */
public final class HybridExperiment {
    /** The paper's two rules, the default of {@code --rules}. */
    public static final List<String> RULES = ExperimentConfig.HYBRID_RULES;

    private final Workspace workspace;
    private final List<String> rules;
    private final List<HybridConfig> configs;
    private final Path out;

    /** {@code configs} are parsed here: a malformed one is refused before anything is trained. */
    public HybridExperiment(Workspace workspace, List<String> rules, List<String> configs, Path out) {
        this.workspace = workspace;
        this.rules = checkRules(rules);
        this.configs = configs.stream().map(workspace::hybridConfig).distinct().toList();
        if (this.configs.isEmpty()) {
            throw new InputError("--configs: give at least one configuration, e.g. BHHBBG");
        }
        this.out = out;
    }

    static List<String> checkRules(List<String> rules) {
        List<String> r = rules.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        if (r.isEmpty()) {
            throw new InputError("--rules: give at least one of " + String.join(",", RULES));
        }
        for (String x : r) {
            if (!org.hebbcnn.rules.Rules.isRule(x) || org.hebbcnn.rules.Rules.isClassifierRule(x)) {
                throw new InputError("--rules: unknown Hebbian rule '" + x + "' (known: " + String.join(",",
                        org.hebbcnn.rules.Rules.hiddenRules()) + ")");
            }
        }
        return r;
    }

    /** Runs (or resumes) every rule, config and seed; writes and returns the table. */
    public ResultsTable run() throws IOException {
        OutputFolder.claim(out, workspace.identity());
        Map<String, List<HybridRun>> done = new LinkedHashMap<>();
        ResultsTable table = null;
        int seeds = workspace.settings().seeds();
        for (int seed = 0; seed < seeds; seed++) {
            for (String rule : rules) {
                for (HybridConfig c : configs) {
                    Path dir = out.resolve("runs").resolve(rule).resolve(c.text().replace('|', '_')).resolve("seed-" + seed);
                    done.computeIfAbsent(rule + "\u0000" + c.text(), k -> new ArrayList<>())
                            .add(workspace.hybrid(c, rule, seed, dir));
                    table = table(done);
                    table.write(out);
                }
            }
        }
        return table;
    }

    private ResultsTable table(Map<String, List<HybridRun>> runs) {
        LayerwiseSettings s = workspace.settings();
        ResultsTable.Builder b = ResultsTable.builder("hybrid", s.dataset()).quick(s.quick()).seeds(s.seeds());
        b.note(s.describe());
        b.paperNetwork(workspace.paperNetwork(), workspace.spec().name());
        b.note("Built bottom-up: the lowest run of letters is a frozen slice of the base network (backprop, or "
                + "Hebbian with the rule); each later run of letters is a fresh network trained from its first layer "
                + "up on the frozen layers under it (B by the baseline's SGD, " + workspace.hyperparameters().scheduleNote() + ", L2 "
                + Hyperparameters.number(workspace.hyperparameters().topWeightDecay()) + " when it retrains one or two "
                + "layers; H by the rule, with the SHC on top for model selection), of which its own layers are kept. "
                + "Epochs: the selected (best validation) epoch of the top stage.");
        for (List<HybridRun> rs : runs.values()) {
            HybridRun r0 = rs.get(0);
            b.add(row(s.dataset(), r0.rule(), r0.config(), rs, HybridRun::testTop1, HybridRun::testTop5, HybridRun::bestEpoch));
        }
        return b.build();
    }

    /** A row keyed by config with the runs' mean test accuracy in the dataset's metric (top-1 beside top-5). */
    static <T> ResultsTable.Row row(String dataset, String method, String config, List<T> runs,
            ToDoubleFunction<T> top1, ToDoubleFunction<T> top5, ToDoubleFunction<T> epochs) {
        boolean isTop5 = PaperTables.metric(dataset).map("top5"::equals).orElse(false);
        ResultsTable.Row r = ResultsTable.Row.forConfig(method, config, isTop5 ? "top5" : "top1",
                Statistics.summarize(runs.stream().mapToDouble(x -> 100 * (isTop5 ? top5 : top1).applyAsDouble(x)).toArray()))
                .withEpochs(runs.stream().mapToDouble(epochs).average().orElse(Double.NaN));
        if (isTop5) {
            r = r.withTop1(Statistics.summarize(runs.stream().mapToDouble(x -> 100 * top1.applyAsDouble(x)).toArray()));
        }
        return r;
    }
}
