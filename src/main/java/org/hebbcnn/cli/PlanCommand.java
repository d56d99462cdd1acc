package org.hebbcnn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.experiments.TrainingCost;
import org.hebbcnn.grid.CostEstimate;
import org.hebbcnn.grid.JobGraph;
import org.hebbcnn.grid.Node;
import org.hebbcnn.util.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hebbcnn plan}: the job graph of {@code experiment all}, trained nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print the job graph of experiment all without training anything: every base network, probe set "
                + "and hybrid stage (retrained tops included) of every seed, what each is trained on, whether it is "
                + "done, partly done or not started, and what it will cost. A node's id is its folder under --out.",
            "Without --config or --dataset, the configuration recorded in --out is used."})
public final class PlanCommand implements Callable<Integer> {
    @Mixin
    GridOptions grid;

    @Option(names = "--json", description = "Also write the plan as JSON to this file.")
    Path json;

    @Option(names = "--cost", description = "A cost.json of an earlier run with the same profile to estimate from "
            + "(default: --out's own cost.json, else this machine's bench epoch figures).")
    Path cost;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig config = grid.resolve();
        JobGraph g = JobGraph.of(config, grid.profile.out);
        PrintWriter w = spec.commandLine().getOut();
        w.print(render(g, new CostEstimate(g, cost), json));
        w.flush();
        return 0;
    }

    /** "45 s" under a minute and a half, else {@link TrainingCost#hours}. */
    static String duration(double seconds) {
        return seconds < 90 ? Math.round(seconds) + " s" : TrainingCost.hours(seconds);
    }

    /** "layerwise, classifiers, retrain x4, hybrid BBBBHG (hpca)": what needs a node, counted by table. */
    static String summary(List<String> usedBy) {
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        for (String u : usedBy) {
            int sp = u.indexOf(' ');
            byTable.computeIfAbsent(sp < 0 ? u : u.substring(0, sp), k -> new ArrayList<>()).add(u);
        }
        List<String> parts = new ArrayList<>();
        byTable.forEach((t, us) -> parts.add(us.size() == 1 ? us.get(0) : t + " x" + us.size()));
        return String.join(", ", parts);
    }

    /** The plan as Markdown, writing its JSON twin to {@code json} when not null. */
    static String render(JobGraph g, CostEstimate costs, Path json) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<JobGraph.Progress, Integer> counts = new LinkedHashMap<>();
        double left = 0;
        StringBuilder table = new StringBuilder("| level | node | kind | trained on | state | left | for |\n"
                + "| ---: | --- | --- | --- | --- | ---: | --- |\n");
        List<Node> byLevel = g.nodes().stream().sorted(java.util.Comparator.comparingInt(Node::level)).toList();
        for (Node n : byLevel) {
            JobGraph.State s = g.state(n);
            CostEstimate.Estimate e = costs.estimate(n, s);
            counts.merge(s.progress(), 1, Integer::sum);
            left += e.seconds();
            table.append("| ").append(n.level()).append(" | ").append(n.id()).append(" | ").append(n.kind().label())
                    .append(" | ").append(n.deps().isEmpty() ? "-" : String.join(", ", n.deps())).append(" | ")
                    .append(s.describe()).append(" | ")
                    .append(s.progress() == JobGraph.Progress.DONE ? "-" : duration(e.seconds()) + " (" + e.source() + ")")
                    .append(" | ").append(summary(n.usedBy())).append(" |\n");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", n.id());
            r.put("kind", n.kind().label());
            r.put("level", n.level());
            r.put("seed", n.seed());
            r.put("method", n.method());
            r.put("rule", n.rule());
            r.put("config", n.config());
            r.put("stage", n.stage());
            r.put("deps", n.deps());
            r.put("usedBy", n.usedBy());
            r.put("state", s.progress().name().toLowerCase(Locale.ROOT));
            r.put("epochsDone", s.epochsDone());
            r.put("epochs", s.epochs());
            r.put("lockedBy", s.lock().map(Object::toString).orElse(null));
            r.put("estimateSeconds", e.seconds());
            r.put("estimateSource", e.source());
            rows.add(r);
        }
        b.append(String.format(Locale.ROOT, "plan of %s (%s, identity %s, %d seed%s): %d nodes in %d levels; ", g.out(),
                g.workspace().settings().dataset(), g.workspace().identity(), g.workspace().settings().seeds(),
                g.workspace().settings().seeds() == 1 ? "" : "s", g.nodes().size(), g.levels()));
        List<String> c = new ArrayList<>();
        counts.forEach((p, k) -> c.add(k + " " + p.label()));
        b.append(String.join(", ", c)).append("; about ").append(duration(left))
                .append(" of training left (one process; estimates: checkpoints, ")
                .append(costs.source() == null ? "" : costs.source() + ", ").append("else bench epoch on 2 cores)\n\n");
        b.append(table);
        b.append("\nthen: experiment all on the finished folder scores the hybrids and writes the tables "
                + "(./hebbcnn train-node NODE --out ").append(g.out()).append(" trains one node)\n");
        if (json != null) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("out", g.out().toString());
            root.put("identity", g.workspace().identity());
            root.put("dataset", g.workspace().settings().dataset());
            root.put("seeds", g.workspace().settings().seeds());
            root.put("levels", g.levels());
            root.put("secondsLeft", left);
            root.put("nodes", rows);
            AtomicFiles.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(root) + "\n");
        }
        return b.toString();
    }
}
