package org.hebbcnn.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.hebbcnn.search.SearchReport.Trial;
import org.hebbcnn.util.InputError;

/**
 * Discrete coordinate descent over a {@link Grid}, as the reference notes describe it: from the start
 * point, take one key at a time (grid order) and try its value one index down, then one index up, from
 * the best point so far; a neighbour replaces the best only if its mean score over seeds 0..n-1 is
 * strictly greater (a tie keeps the incumbent, so noise-level differences do not move the search);
 * sweep over the keys again until a whole sweep brings no improvement.
 *
 * <p>This is a local method: it stops at the first point that no single-key step improves, which need
 * not be the grid's best (a better point may be reachable only by changing two keys at once). Its
 * merit is cost: a sweep costs at most two trials per key instead of the grid's product of sizes.
 *
 * <p>A point is never evaluated twice: skipping a point already tried changes no decision, since its
 * mean cannot beat the current best (the best only grows). Every (point, seed) score goes to
 * {@code trials.jsonl} as soon as it is known, and the search replays the log on start, so a search
 * killed at any moment resumes without repeating a finished run and, the objective being
 * deterministic, takes exactly the decisions of an uninterrupted one.
 */
public final class CoordinateDescent {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Grid grid;
    private final int[] start;
    private final int seeds;
    private final Map<String, String> context;

    /**
     * What a search returns: the best point and its mean, the number of trials (distinct points) and
     * sweeps, and how many (point, seed) evaluations were run now or taken from the log.
     */
    public record Result(Map<String, String> best, double bestMean, int trials, int sweeps, int evaluatedNow, int readFromLog) {}

    /** A search over {@code grid} from {@code start} (a point of the grid), averaging {@code seeds} seeds. */
    public CoordinateDescent(Grid grid, Map<String, String> start, int seeds) {
        this(grid, start, seeds, Map.of());
    }

    /**
     * As above; {@code context} names the settings that are not searched but change the scores
     * (dataset, epochs, ...). It is recorded with the grid, so a folder is never resumed under other
     * settings.
     */
    public CoordinateDescent(Grid grid, Map<String, String> start, int seeds, Map<String, String> context) {
        if (seeds < 1) {
            throw new InputError("--seeds: need at least 1, got " + seeds);
        }
        this.grid = grid;
        this.start = grid.indices(start, "start point");
        this.seeds = seeds;
        this.context = new TreeMap<>(context);
    }

    /** Runs (or resumes) the search in {@code dir}, reporting one line per trial to {@code log}. */
    public Result run(Path dir, Objective objective, Consumer<String> log) throws IOException {
        try (TrialLog trials = TrialLog.open(dir, header(), grid, seeds)) {
            if (trials.logged() > 0 || trials.droppedTail()) {
                log.accept("resuming " + dir + ": " + trials.logged() + " finished runs in " + TrialLog.LOG
                        + (trials.droppedTail() ? " (an unfinished last line was cut off)" : ""));
            }
            return new Run(dir, trials, objective, log).search();
        }
    }

    private ObjectNode header() {
        ObjectNode h = JSON.createObjectNode();
        h.set("grid", JSON.valueToTree(grid.asMap()));
        h.put("seeds", seeds);
        h.set("start", JSON.valueToTree(grid.point(start)));
        h.set("context", JSON.valueToTree(context));
        return h;
    }

    /** The state of one search: the trials so far and the best of them. */
    private final class Run {
        private final Path dir;
        private final TrialLog log;
        private final Objective objective;
        private final Consumer<String> progress;
        private final List<Trial> trials = new ArrayList<>();
        private final Map<List<Integer>, Trial> tried = new HashMap<>();
        private int now;
        private int fromLog;

        Run(Path dir, TrialLog log, Objective objective, Consumer<String> progress) {
            this.dir = dir;
            this.log = log;
            this.objective = objective;
            this.progress = progress;
        }

        Result search() throws IOException {
            int[] best = start.clone();
            Trial bestTrial = trial(best, null);
            int sweeps = 0;
            boolean improved = true;
            while (improved) {
                improved = false;
                sweeps++;
                progress.accept("sweep " + sweeps + " from " + Grid.describe(bestTrial.point()));
                for (int k = 0; k < best.length; k++) {
                    for (int step : new int[] {-1, +1}) {
                        int[] next = best.clone();
                        next[k] += step;
                        if (next[k] < 0 || next[k] >= grid.values(grid.keys().get(k)).size()
                                || tried.containsKey(key(next))) {
                            continue;
                        }
                        Trial t = trial(next, bestTrial);
                        if (t.improved()) {
                            best = next;
                            bestTrial = t;
                            improved = true;
                        }
                    }
                }
            }
            progress.accept("best " + Grid.describe(bestTrial.point()) + String.format(" mean %.4f", bestTrial.mean())
                    + " (trial " + bestTrial.number() + " of " + trials.size() + ", " + sweeps + (sweeps == 1 ? " sweep)" : " sweeps)"));
            SearchReport.write(dir, trials, bestTrial, sweeps, seeds);
            return new Result(bestTrial.point(), bestTrial.mean(), trials.size(), sweeps, now, fromLog);
        }

        /** Scores the point at {@code idx} on every seed, from the log where it has them. */
        private Trial trial(int[] idx, Trial incumbent) throws IOException {
            int number = trials.size() + 1;
            Map<String, String> point = grid.point(idx);
            double[] scores = new double[seeds];
            double sum = 0;
            for (int s = 0; s < seeds; s++) {
                Double logged = log.score(idx, s);
                if (logged != null) {
                    scores[s] = logged;
                    fromLog++;
                } else {
                    scores[s] = objective.evaluate(point, s);
                    if (!Double.isFinite(scores[s])) {
                        throw new IllegalStateException("objective returned " + scores[s] + " for "
                                + Grid.describe(point) + " seed " + s);
                    }
                    now++;
                }
                sum += scores[s];
                if (logged == null) {
                    log.append(number, point, s, scores[s], s == seeds - 1 ? sum / seeds : null);
                }
            }
            double mean = sum / seeds;
            Trial t = new Trial(number, point, scores, mean, incumbent == null || mean > incumbent.mean());
            trials.add(t);
            tried.put(key(idx), t);
            StringBuilder line = new StringBuilder("trial " + number + " " + Grid.describe(point) + ":");
            for (double x : scores) {
                line.append(String.format(" %.4f", x));
            }
            line.append(String.format(" mean %.4f", mean)).append(t.improved() ? " (best)" : "");
            progress.accept(line.toString());
            return t;
        }
    }

    private static List<Integer> key(int[] idx) {
        return Arrays.stream(idx).boxed().toList();
    }
}
