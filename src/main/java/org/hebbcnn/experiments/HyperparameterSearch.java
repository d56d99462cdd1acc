package org.hebbcnn.experiments;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.search.CoordinateDescent;
import org.hebbcnn.search.Grid;
import org.hebbcnn.training.CheckpointedTraining.DivergedException;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;

/**
 * The reference's hyperparameter search (reference notes): discrete coordinate descent over
 * configuration keys ({@code --grid hebbian.lr=5e-4,1e-3,2e-3}), the objective being the mean over
 * seeds of the best validation score of one base network ({@code target}: bp, hpca, hwta, vae; the
 * score its training selects by: validation top-1 of its classifier, minus the loss for the VAE).
 * The test set is never read. Every trial trains in {@code OUT/trials/<point>/}, checkpointed, and
 * the trial log makes the whole search resumable; a diverging trial scores 0. At the end {@code
 * best.yaml} holds the best point and {@code best-config.yaml} the whole configuration with it.
 */
public final class HyperparameterSearch {
    public static final String BEST_CONFIG = "best-config.yaml";

    private final ExperimentConfig base;
    private final Grid grid;
    private final String target;
    private final Path out;
    private final Consumer<String> log;

    public HyperparameterSearch(ExperimentConfig base, List<String> grid, String target, Path out, Consumer<String> log) {
        this.base = base.resolved();
        this.grid = Grid.parse(grid);
        try {
            Method.of(target);
        } catch (InputError e) {
            throw new InputError("--target: unknown network '" + target + "' (known: " + String.join(", ",
                    Method.names()) + ")");
        }
        this.target = target;
        this.out = out;
        this.log = log;
        for (String key : this.grid.keys()) {
            for (String v : this.grid.values(key)) {
                this.base.with(key + "=" + v).hyperparameters(); // every grid value is a valid setting
            }
        }
    }

    /** Runs (or resumes) the search; returns its result and writes best.yaml and best-config.yaml. */
    public CoordinateDescent.Result run() throws IOException {
        Map<String, String> middle = new LinkedHashMap<>();
        for (String key : grid.keys()) {
            List<String> values = grid.values(key);
            middle.put(key, values.get((values.size() - 1) / 2));
        }
        Map<String, String> context = new LinkedHashMap<>();
        context.put("target", target);
        context.put("config", base.toYaml());
        CoordinateDescent search = new CoordinateDescent(grid, grid.start(middle, 0), base.seeds, context);
        CoordinateDescent.Result r = search.run(out, this::evaluate, log);
        apply(r.best()).save(out.resolve(BEST_CONFIG));
        return r;
    }

    private ExperimentConfig apply(Map<String, String> point) {
        ExperimentConfig c = base;
        for (Map.Entry<String, String> e : point.entrySet()) {
            c = c.with(e.getKey() + "=" + e.getValue());
        }
        return c.resolved();
    }

    /** The best validation score of the target network trained with {@code point}, run {@code seed}. */
    private double evaluate(Map<String, String> point, int seed) {
        ExperimentConfig c = apply(point);
        Path dir = out.resolve("trials").resolve(folderName(point));
        Workspace ws = new Workspace(c, dir.resolve(Workspace.BASES),
                dir.resolve(Workspace.STAGES), log);
        try (Normalization norm = ws.normalization(target, ws.splits(seed)); NDManager m = Djl.newManager()) {
            return ws.base(target, seed, m, norm).outcome().state().bestValidation();
        } catch (DivergedException e) {
            log.accept("trial " + Grid.describe(point) + " seed " + seed + " diverged (" + e.getMessage() + "): score 0");
            return 0;
        }
    }

    /** A folder name for a point: key=value pairs with unsafe characters replaced. */
    static String folderName(Map<String, String> point) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : point.entrySet()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString().replaceAll("[^A-Za-z0-9._=,+-]", "_");
    }
}
