package org.hebbcnn.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hebbcnn.config.Hyperparameters;
import org.hebbcnn.config.LayerwiseSettings;

/**
 * The paper's four experiments on one dataset, sharing their trained networks: each base network
 * (bp, hpca, hwta, vae) is trained once per seed and serves the layer-wise table, the classifiers
 * table (the backprop base's probes), the retrained tops and the hybrids; hybrid stages that start
 * alike are trained once. Layout:
 *
 * <pre>
 *   OUT/settings.txt                       the profile (a folder made with another is refused)
 *   OUT/bases/&lt;method&gt;/seed-&lt;i&gt;/         base networks and their probes
 *   OUT/stages/seed-&lt;i&gt;/&lt;stage&gt;/          trained hybrid stages
 *   OUT/&lt;experiment&gt;/table.md, table.csv, results.json   layerwise, classifiers, retrain, hybrid
 * </pre>
 */
public final class AllExperiments {
    public static final List<String> EXPERIMENTS = List.of("layerwise", "classifiers", "retrain", "hybrid");

    private final Workspace workspace;
    private final List<String> rules;
    private final List<String> configs;
    private final Path out;

    /**
     * @param settings the profile and the layer-wise methods
     * @param rules    Hebbian rules of the hybrids
     * @param configs  hybrid configurations
     */
    public AllExperiments(LayerwiseSettings settings, List<String> rules, List<String> configs, Path dataDir, Path out,
            Consumer<String> log) {
        this(settings, Hyperparameters.paper(), rules, configs, dataDir, out, log);
    }

    public AllExperiments(LayerwiseSettings settings, Hyperparameters hyper, List<String> rules, List<String> configs,
            Path dataDir, Path out, Consumer<String> log) {
        this(new Workspace(settings, hyper, dataDir, out.resolve(Workspace.BASES), out.resolve(Workspace.STAGES), log),
                rules, configs, out);
    }

    /** The four experiments of a configuration ({@code rules} and {@code configs} from it too). */
    public AllExperiments(org.hebbcnn.config.ExperimentConfig config, Path out, Consumer<String> log) {
        this(new Workspace(config, out.resolve(Workspace.BASES), out.resolve(Workspace.STAGES), log), config.rules,
                config.resolved().configs, out);
    }

    private AllExperiments(Workspace workspace, List<String> rules, List<String> configs, Path out) {
        this.workspace = workspace;
        this.rules = HybridExperiment.checkRules(rules);
        configs.forEach(workspace::hybridConfig); // a malformed one is refused before any training
        this.configs = configs;
        this.out = out;
    }

    /** The workspace the four experiments share (e.g. to keep feature stores). */
    public Workspace workspace() {
        return workspace;
    }

    /** Runs (or resumes) the four experiments in turn; returns their tables by experiment name. */
    public Map<String, org.hebbcnn.reports.ResultsTable> run() throws IOException {
        HybridExperiment hybrid = new HybridExperiment(workspace, rules, configs, out.resolve("hybrid")); // checks configs first
        OutputFolder.claim(out, workspace.identity());
        Map<String, org.hebbcnn.reports.ResultsTable> tables = new LinkedHashMap<>();
        tables.put("layerwise", new LayerwiseExperiment(workspace, out.resolve("layerwise")).run());
        tables.put("classifiers", new ClassifiersExperiment(workspace, out.resolve("classifiers")).run());
        tables.put("retrain", new RetrainExperiment(workspace, out.resolve("retrain")).run());
        tables.put("hybrid", hybrid.run());
        return tables;
    }
}
