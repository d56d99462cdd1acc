package org.hebbcnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.experiments.OutputFolder;
import org.hebbcnn.grid.JobGraph;
import org.hebbcnn.grid.Node;
import org.hebbcnn.grid.NodeTrainer;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.NodeLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hebbcnn train-node NODE --out DIR}: one node of the plan. */
@Command(name = "train-node", mixinStandardHelpOptions = true,
        description = {"Train one node of the plan (a base network, probe set or hybrid stage, named by its folder "
                + "under --out), after checking that the nodes it is trained on are finished (exit 2 naming them "
                + "otherwise). Resumable like every training; the node is locked while it trains.",
            "The configuration is --config, else the one recorded in --out (config.yaml, else slurm/config.yaml)."})
public final class TrainNodeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NODE", description = "The node's folder under --out, e.g. bases/bp/seed-0/network.")
    String node;

    @Option(names = "--out", required = true, description = "The results folder.")
    Path out;

    @Option(names = "--config", description = "YAML configuration of the grid (default: the one recorded in --out).")
    Path config;

    @Option(names = "--set", description = "Override one setting, key=value; repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--if-locked", defaultValue = "wait", description = "When another process trains the node: "
            + "wait (default), skip (exit 0 without training) or fail (exit 2).")
    String ifLocked;

    @Option(names = "--stale-after", defaultValue = "24h", description = "Take over a lock older than this (e.g. "
            + "90m, 24h, 2d; default 24h). A lock of a process gone from this host is taken over at once.")
    String staleAfter;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NodeLock.IfLocked policy = NodeLock.IfLocked.parse(ifLocked);
        NodeLock.Options options = new NodeLock.Options(policy, GridOptions.duration("--stale-after", staleAfter),
                NodeLock.Options.DEFAULT.poll());
        NodeLock.setDefaults(options.withIfLocked(NodeLock.IfLocked.WAIT));
        Path file = config != null ? config : GridOptions.recorded(out).orElseThrow(() -> new InputError(out
                + " records no configuration (config.yaml): give --config FILE, or run experiment all or slurm submit there first"));
        ExperimentConfig c = ExperimentConfig.load(file).with(sets).resolved();
        PrintWriter w = spec.commandLine().getOut();
        Consumer<String> log = line -> {
            w.println(line);
            w.flush();
        };
        JobGraph g = JobGraph.of(c, out, log);
        Node n = g.node(node);
        OutputFolder.claim(out, g.workspace().identity());
        NodeTrainer.Outcome o = NodeTrainer.train(g, n, options, log);
        log.accept(switch (o) {
            case TRAINED -> "trained " + n.id();
            case DONE_EARLIER -> n.id() + " was done earlier";
            case SKIPPED -> "skipped " + n.id() + " (locked by another process)";
        });
        return 0;
    }
}
