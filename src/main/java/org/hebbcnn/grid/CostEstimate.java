package org.hebbcnn.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.experiments.TrainingCost;
import org.hebbcnn.util.InputError;

/**
 * What a node will cost, in seconds of wall time, for people planning a grid. In order of trust:
 * its own checkpoints (the epochs it has done, at their measured pace); a {@code cost.json} (this
 * folder's, or {@code --cost FILE} from an earlier run with the same profile): the mean seconds per
 * epoch of the same folder at another seed, else of the same kind and method; else this machine's
 * {@code bench epoch} throughput (README, Speed: 2 cores, images per second).
 */
public final class CostEstimate {
    /**
     * Training images per second on 2 cores ({@code bench epoch --dataset cifar10}, 2026-12-01, with the
     * launcher's allocator settings): backprop, Hebbian, VAE (about 2.3x backprop's cost), the fifteen
     * probes of a layer-wise run reading a feature store.
     */
    static final double BP_TRAIN = 350, HEBBIAN_TRAIN = 270, VAE_TRAIN = 350 / 2.3, PROBES_TRAIN = 1100;
    /** Forward-only images per second (validation). */
    static final double FORWARD = 950;

    private final JobGraph graph;
    private final Map<String, double[]> perEpoch = new HashMap<>(); // pattern -> {seconds, epochs}
    private final String source;

    /** @param cost a {@code cost.json} to learn from, or null for the results folder's own (if any) */
    public CostEstimate(JobGraph graph, Path cost) {
        this.graph = graph;
        Path file = cost != null ? cost : graph.out().resolve(TrainingCost.COST_JSON);
        String src = null;
        if (Files.isRegularFile(file)) {
            try {
                JsonNode root = new ObjectMapper().readTree(file.toFile());
                for (JsonNode n : root.path("networks")) {
                    int epochs = n.path("epochs").asInt();
                    if (epochs > 0) {
                        for (String key : keys(n.path("path").asText())) {
                            perEpoch.computeIfAbsent(key, k -> new double[2]);
                            perEpoch.get(key)[0] += n.path("seconds").asDouble();
                            perEpoch.get(key)[1] += epochs;
                        }
                    }
                }
                src = file.toString();
            } catch (IOException e) {
                throw new InputError(file + ": not a cost.json (" + e.getMessage() + ")", e);
            }
        } else if (cost != null) {
            throw new InputError("--cost: no such file " + cost);
        }
        this.source = src;
    }

    /** The folder at any seed, then its kind and method (networks, probes), then any stage. */
    private static List<String> keys(String path) {
        String any = path.replaceAll("seed-\\d+", "seed-*");
        if (any.startsWith("stages/")) {
            return List.of(any, "stages");
        }
        return List.of(any);
    }

    /**
     * @param seconds seconds still to spend on the node (0 when done)
     * @param source  where the pace came from: checkpoints, a cost.json, or the benchmark
     */
    public record Estimate(double seconds, String source) {}

    public Estimate estimate(Node n, JobGraph.State s) {
        int left = s.epochs() - s.epochsDone();
        if (s.progress() == JobGraph.Progress.DONE || left <= 0) {
            return new Estimate(0, "done");
        }
        if (s.epochsDone() > 0) {
            return new Estimate(left * s.seconds() / s.epochsDone(), "checkpoints");
        }
        if (source != null) {
            for (String key : keys(n.id())) {
                double[] v = perEpoch.get(key);
                if (v != null) {
                    return new Estimate(left * v[0] / v[1], "cost.json");
                }
            }
        }
        return new Estimate(left * benchmarkSecondsPerEpoch(n), "bench");
    }

    /** Where the cost.json figures come from, or null. */
    public String source() {
        return source;
    }

    double benchmarkSecondsPerEpoch(Node n) {
        LayerwiseSettings s = graph.workspace().settings();
        int full = s.dataset().equals("mnist") ? 50_000 : 40_000;
        int train = s.trainImages() > 0 ? Math.min(s.trainImages(), full) : full;
        int validation = s.validationImages() > 0 ? Math.min(s.validationImages(), 10_000) : 10_000;
        double pace = switch (n.kind()) {
            case PROBES -> PROBES_TRAIN;
            case NETWORK, STAGE -> n.kind() == Node.Kind.STAGE && n.rule() != null
                    && graph.workspace().hybridConfig(n.config()).stages().get(n.stage()).hebbian() ? HEBBIAN_TRAIN
                    : n.method().equals("bp") || n.kind() == Node.Kind.STAGE ? BP_TRAIN
                    : n.method().equals("vae") ? VAE_TRAIN : HEBBIAN_TRAIN;
        };
        return train / pace + validation / FORWARD;
    }
}
