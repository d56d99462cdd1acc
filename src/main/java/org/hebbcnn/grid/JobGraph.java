package org.hebbcnn.grid;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.experiments.AllExperiments;
import org.hebbcnn.experiments.LayerwiseRun;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.experiments.RetrainExperiment;
import org.hebbcnn.experiments.Workspace;
import org.hebbcnn.network.HybridConfig;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.NodeLock;

/**
 * The job graph of {@code experiment all} on one configuration: every base network, probe set and
 * hybrid stage (retrained tops included) of every seed, each with the networks it is trained on.
 *
 * <p>It is derived from the experiments themselves, not written down a second time: the nodes are
 * the folders {@link Workspace#baseDir} and {@link Workspace#stageDir} give for the methods, the
 * retrain variants ({@link RetrainExperiment#variants}) and the hybrid configurations of the
 * configuration, visited in the order {@link AllExperiments#run} visits them (layer-wise, classifiers,
 * retrain, hybrid; seeds outermost). That order matters for one thing: a stage shared by several
 * configurations records in its checkpoints the configuration that trained it first, so a node is
 * trained for the first configuration that needs it, as the single-process run does, and its files
 * are the same bit for bit.
 *
 * <p>What the graph leaves to the last job: scoring each hybrid on the test set and writing the
 * tables, cheap steps that {@code experiment all} does on a folder whose nodes are all done.
 */
public final class JobGraph {
    private final ExperimentConfig config;
    private final Workspace workspace;
    private final Path out;
    private final List<Node> nodes;
    private final Map<String, Node> byId;

    private JobGraph(ExperimentConfig config, Workspace workspace, Path out, List<Node> nodes) {
        this.config = config;
        this.workspace = workspace;
        this.out = out;
        this.nodes = List.copyOf(nodes);
        this.byId = new LinkedHashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
    }

    /** The graph of {@code experiment all} with {@code config} (resolved) on the results folder {@code out}. */
    public static JobGraph of(ExperimentConfig config, Path out) {
        return of(config, out, line -> {});
    }

    /** The same, with a workspace that logs its trainings to {@code log} (for {@link NodeTrainer}). */
    public static JobGraph of(ExperimentConfig config, Path out, java.util.function.Consumer<String> log) {
        ExperimentConfig c = config.resolved();
        new AllExperiments(c, out, log); // refuses unknown rules and malformed configurations
        Workspace ws = new Workspace(c, out.resolve(Workspace.BASES), out.resolve(Workspace.STAGES), log);
        Builder b = new Builder(ws, out);
        LayerwiseSettings s = ws.settings();
        List<String> rules = c.rules.stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        List<HybridConfig> configs = c.configs.stream().map(ws::hybridConfig).distinct().toList();
        for (int seed = 0; seed < s.seeds(); seed++) { // layer-wise
            for (String method : s.methods()) {
                b.probes(method, seed, "layerwise");
            }
        }
        for (int seed = 0; seed < s.seeds(); seed++) { // classifiers
            b.probes("bp", seed, "classifiers");
        }
        for (int seed = 0; seed < s.seeds(); seed++) { // retrained tops
            for (RetrainExperiment.Variant v : RetrainExperiment.variants(ws.spec().depth())) {
                b.hybrid(ws.hybridConfig(v.config()), v.rule(), seed, "retrain " + v.method());
            }
        }
        for (int seed = 0; seed < s.seeds(); seed++) { // hybrids
            for (String rule : rules) {
                for (HybridConfig h : configs) {
                    b.hybrid(h, rule, seed, "hybrid " + h.text() + " (" + rule + ")");
                }
            }
        }
        return new JobGraph(c, ws, out, b.build());
    }

    public List<Node> nodes() {
        return nodes;
    }

    public ExperimentConfig config() {
        return config;
    }

    public Workspace workspace() {
        return workspace;
    }

    public Path out() {
        return out;
    }

    /** The node of {@code id} (a folder under the results folder), or an {@link InputError}. */
    public Node node(String id) {
        String key = normalise(id);
        Node n = byId.get(key);
        if (n == null) {
            throw new InputError("no node '" + id + "' in the plan of " + out + " (" + nodes.size()
                    + " nodes, e.g. " + nodes.get(0).id() + "; list them with ./hebbcnn plan --out " + out + ")");
        }
        return n;
    }

    /** A node id as given on the command line: a folder under the results folder (absolute or relative). */
    String normalise(String id) {
        String s = id.replace('\\', '/');
        Path p = Path.of(s);
        if (p.isAbsolute() && p.normalize().startsWith(out.toAbsolutePath().normalize())) {
            s = out.toAbsolutePath().normalize().relativize(p.normalize()).toString();
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** The highest level plus one: how many job arrays the grid needs. */
    public int levels() {
        return nodes.stream().mapToInt(Node::level).max().orElse(-1) + 1;
    }

    /** The nodes of one level, in graph order. */
    public List<Node> level(int level) {
        return nodes.stream().filter(n -> n.level() == level).toList();
    }

    /** Each level's nodes that are not done (ids): what a submission sends to Slurm. */
    public List<List<String>> unfinishedByLevel() {
        List<List<String>> out = new ArrayList<>();
        for (int level = 0; level < levels(); level++) {
            out.add(level(level).stream().filter(n -> state(n).progress() != Progress.DONE).map(Node::id).toList());
        }
        return out;
    }

    /** A node's folder. */
    public Path dir(Node n) {
        return out.resolve(n.id());
    }

    /** How far a node's training is. */
    public enum Progress {
        DONE("done"), PARTIAL("partly done"), NOT_STARTED("not started");

        private final String label;

        Progress(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The state of a node read from its folder.
     *
     * @param progress   done, partly done or not started
     * @param epochsDone epochs in its newest checkpoint
     * @param epochs     epochs it trains
     * @param seconds    wall time of those epochs (their checkpoints' history)
     * @param lock       who is training it now, if a lock file says so
     */
    public record State(Progress progress, int epochsDone, int epochs, double seconds, Optional<NodeLock.Holder> lock) {
        public String describe() {
            String p = progress == Progress.PARTIAL ? progress.label() + " (epoch " + epochsDone + "/" + epochs + ")"
                    : progress.label();
            return lock.map(h -> p + ", locked by " + h).orElse(p);
        }
    }

    /** Epochs the node trains: the network epochs, or the probe epochs. */
    public int epochs(Node n) {
        return n.kind() == Node.Kind.PROBES ? workspace.settings().probeEpochs() : workspace.settings().epochs();
    }

    /** The state of {@code n}, from its folder. */
    public State state(Node n) {
        Path dir = dir(n);
        int epochs = epochs(n);
        Optional<NodeLock.Holder> lock = NodeLock.holder(dir);
        try {
            int done = 0;
            double seconds = 0;
            if (CheckpointedTraining.latest(dir).isPresent()) {
                CheckpointedTraining.State s = CheckpointedTraining.readState(dir);
                done = s.epochsDone();
                seconds = s.history().stream().mapToDouble(CheckpointedTraining.EpochRecord::seconds).sum();
            }
            boolean finished = n.kind() == Node.Kind.PROBES ? LayerwiseRun.read(dir.getParent()).isPresent() : done >= epochs;
            Progress p = finished ? Progress.DONE : done > 0 ? Progress.PARTIAL : Progress.NOT_STARTED;
            return new State(p, done, epochs, seconds, lock);
        } catch (IOException e) {
            throw new InputError("cannot read the state of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The dependencies of {@code n} that are not done. */
    public List<String> unfinishedDeps(Node n) {
        return n.deps().stream().filter(d -> state(byId.get(d)).progress() != Progress.DONE).toList();
    }

    /** Collects nodes in first-needed order. */
    private static final class Builder {
        private final Workspace ws;
        private final Path out;
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Map<String, LinkedHashSet<String>> usedBy = new LinkedHashMap<>();

        Builder(Workspace ws, Path out) {
            this.ws = ws;
            this.out = out;
        }

        private String id(Path dir) {
            return out.relativize(dir).toString().replace('\\', '/');
        }

        private Node add(Node n, String use) {
            Node had = nodes.putIfAbsent(n.id(), n);
            usedBy.computeIfAbsent(n.id(), k -> new LinkedHashSet<>()).add(use);
            return had != null ? had : n;
        }

        String network(String method, int seed, String use) {
            return add(new Node(id(ws.baseDir(method, seed).resolve("network")), Node.Kind.NETWORK, method, null, null, 0,
                    seed, List.of(), 0, List.of()), use).id();
        }

        void probes(String method, int seed, String use) {
            String net = network(method, seed, use);
            add(new Node(id(ws.baseDir(method, seed).resolve("probes")), Node.Kind.PROBES, method, null, null, 0, seed,
                    List.of(net), 1, List.of()), use);
        }

        void hybrid(HybridConfig c, String rule, int seed, String use) {
            List<String> under = new ArrayList<>();
            under.add(network(Workspace.baseMethod(c, rule), seed, use));
            for (int i = 1; i < c.stages().size(); i++) {
                Node n = add(new Node(id(ws.stageDir(c, i, rule, seed)), Node.Kind.STAGE, Workspace.baseMethod(c, rule),
                        rule, c.text(), i, seed,
                        List.copyOf(under), i, List.of()), use);
                under.add(n.id());
            }
        }

        List<Node> build() {
            List<Node> out = new ArrayList<>();
            for (Node n : nodes.values()) {
                out.add(new Node(n.id(), n.kind(), n.method(), n.rule(), n.config(), n.stage(), n.seed(), n.deps(),
                        n.level(), List.copyOf(usedBy.get(n.id()))));
            }
            return out;
        }
    }
}
