package org.hebbcnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.config.RunRecord;
import org.hebbcnn.experiments.HyperparameterSearch;
import org.hebbcnn.search.CoordinateDescent;
import org.hebbcnn.search.Grid;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.UserPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Coordinate-descent hyperparameter search over configuration keys. */
@Command(name = "hpsearch", mixinStandardHelpOptions = true,
        description = {"Discrete coordinate descent (the reference's search): from the middle of the grid, one key at "
                + "a time, try one step down and one up from the best point; keep any improvement of the mean best "
                + "validation score over seeds; stop after a sweep with no improvement. The test set is never used.",
            "Every trial is logged; re-running the same command resumes without repeating finished trials. The best "
                + "point is written as best.yaml, the whole configuration with it as best-config.yaml."})
public final class HpsearchCommand implements Callable<Integer> {
    @Option(names = "--config", description = "Base configuration (YAML; default: the paper's).")
    Path config;

    @Option(names = "--set", description = "Override a setting of the base configuration, key=value; repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--grid", required = true, description = "key=v1,v2,... in increasing order; repeatable "
            + "(e.g. --grid hebbian.lr=2.5e-4,5e-4,1e-3,2e-3 --grid batch=32,64).")
    List<String> grid;

    @Option(names = "--target", defaultValue = "hpca", description = "The network whose best validation score is the "
            + "objective: bp, hpca, hwta or vae (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--out", required = true, description = "Search folder: search.json, trials.jsonl, trials/, best.yaml, "
            + "best-config.yaml, summary.json.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        UserPaths.outputFolder(out, "--out");
        ExperimentConfig base = (config != null ? ExperimentConfig.load(config) : new ExperimentConfig()).with(sets);
        HyperparameterSearch search = new HyperparameterSearch(base, grid, target, out, line -> {
            w.println(line);
            w.flush();
        });
        Djl.init();
        RunRecord record = RunRecord.start(String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                base.seeds).after(out);
        record.write(out, base.resolved()); // config.yaml here is the search's base configuration
        CoordinateDescent.Result r = search.run();
        record.finish().write(out, base.resolved());
        w.printf("best: %s (mean best validation %.4f over %d seed(s)); %d trials, %d sweeps%n",
                Grid.describe(r.best()), r.bestMean(), base.seeds, r.trials(), r.sweeps());
        w.println("written: " + out.resolve("best.yaml") + ", " + out.resolve(HyperparameterSearch.BEST_CONFIG));
        w.flush();
        return 0;
    }
}
