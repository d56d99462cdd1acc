package org.hebbcnn.search;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoordinateDescentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<String> progress = new ArrayList<>();

    /** i in 0..5, j in 0..3: the 6x4 grid of the separable test. */
    static Grid ij() {
        return Grid.parse(List.of("i=0,1,2,3,4,5", "j=0,1,2,3"));
    }

    static int i(Map<String, String> p) {
        return Integer.parseInt(p.get("i"));
    }

    static int j(Map<String, String> p) {
        return Integer.parseInt(p.get("j"));
    }

    static double separable(Map<String, String> p) {
        return 0 - Math.pow(i(p) - 3, 2) - Math.pow(j(p) - 1, 2);
    }

    /** The points of summary.json's trials, in order, as "i,j". */
    static List<String> path(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode t : JSON.readTree(dir.resolve(SearchReport.SUMMARY).toFile()).get("path")) {
            List<String> vs = new ArrayList<>();
            t.get("point").elements().forEachRemaining(v -> vs.add(v.asText()));
            out.add(String.join(",", vs));
        }
        return out;
    }

    /** (point, seed) pairs in trials.jsonl, as "i=..,j=..#seed". */
    static Set<String> logged(Path dir) throws IOException {
        Set<String> out = new HashSet<>();
        Path f = dir.resolve(TrialLog.LOG);
        if (!Files.exists(f)) {
            return out;
        }
        for (String line : Files.readAllLines(f)) {
            JsonNode n = JSON.readTree(line);
            Map<String, String> p = JSON.convertValue(n.get("point"), new TypeReference<LinkedHashMap<String, String>>() {});
            assertTrue(out.add(Grid.describe(p) + "#" + n.get("seed").asInt()), "a (point, seed) logged twice");
        }
        return out;
    }

    @Test
    void findsSeparableOptimumInTheDerivedNumberOfTrials() throws IOException {
        List<String> calls = new ArrayList<>();
        Objective f = (p, seed) -> {
            calls.add(p.get("i") + "," + p.get("j"));
            return separable(p);
        };
        CoordinateDescent.Result r = new CoordinateDescent(ij(), ij().startAt(0), 1).run(tmp, f, progress::add);
        // f = -(i-3)^2 - (j-1)^2, start (0,0); per key: one down, then one up, from the best so far.
        // trial 1 (0,0) = -10                                   start
        // sweep 1: i: down none, up (1,0) = -5 accept [2];      j: down none, up (1,1) = -4 accept [3]
        // sweep 2: i: down (0,1) = -9 [4], up (2,1) = -1 accept [5];
        //          j: down (2,0) = -2 [6], up (2,2) = -2 [7]
        // sweep 3: i: down (1,1) already tried, up (3,1) = 0 accept [8];
        //          j: down (3,0) = -1 [9], up (3,2) = -1 [10]
        // sweep 4: i: down (2,1) tried, up (4,1) = -1 [11];     j: (3,0), (3,2) tried -> no improvement, stop
        // = 11 trials, 4 sweeps, improvements at trials 1, 2, 3, 5, 8.
        List<String> expected = List.of("0,0", "1,0", "1,1", "0,1", "2,1", "2,0", "2,2", "3,1", "3,0", "3,2", "4,1");
        assertEquals(Map.of("i", "3", "j", "1"), r.best());
        assertEquals(0.0, r.bestMean());
        assertEquals(11, r.trials());
        assertEquals(4, r.sweeps());
        assertEquals(11, r.evaluatedNow());
        assertEquals(0, r.readFromLog());
        assertEquals(expected, calls, "deterministic order, no point twice");
        assertEquals(expected, path(tmp));
        assertEquals(5, progress.stream().filter(l -> l.startsWith("trial ") && l.endsWith("(best)")).count());
        assertTrue(progress.contains("trial 8 i=3 j=1: 0.0000 mean 0.0000 (best)"), progress.toString());
        JsonNode summary = JSON.readTree(tmp.resolve(SearchReport.SUMMARY).toFile());
        assertEquals(8, summary.get("bestTrial").asInt());
        assertEquals(11, summary.get("trials").asInt());
        assertEquals(4, summary.get("sweeps").asInt());
    }

    @Test
    void stopsAtACoordinateWiseLocalOptimum() throws IOException {
        // Coordinate descent is local: (0,0) = 5 beats every single-key step from it, so the search
        // stops there although (2,2) = 9 is better; reaching it needs two keys changed at once.
        double[][] table = {
            {5, 1, 0},
            {1, 0, 0},
            {0, 0, 9},
        };
        Grid g = Grid.parse(List.of("i=0,1,2", "j=0,1,2"));
        List<String> calls = new ArrayList<>();
        Objective f = (p, seed) -> {
            calls.add(p.get("i") + "," + p.get("j"));
            return table[i(p)][j(p)];
        };
        CoordinateDescent.Result r = new CoordinateDescent(g, g.startAt(1), 1).run(tmp, f, progress::add);
        // (1,1)=0; i down (0,1)=1 accept; j down (0,0)=5 accept; sweep 2: i up (1,0)=1; stop.
        assertEquals(List.of("1,1", "0,1", "0,0", "1,0"), calls);
        assertEquals(Map.of("i", "0", "j", "0"), r.best());
        assertEquals(5.0, r.bestMean());
        assertEquals(2, r.sweeps());
        assertFalse(calls.contains("2,2"));
    }

    @Test
    void tiesKeepTheIncumbent() throws IOException {
        Grid g = ij();
        CoordinateDescent.Result r = new CoordinateDescent(g, g.startAt(2), 1).run(tmp, (p, s) -> 0.5, progress::add);
        assertEquals(Map.of("i", "2", "j", "2"), r.best());
        assertEquals(5, r.trials(), "start + its four neighbours");
        assertEquals(1, r.sweeps());
    }

    @Test
    void averagesOverSeedsUsingOnlyTheReturnedScores() throws IOException {
        // seed 0 alone prefers b; the mean over three seeds prefers a.
        Map<String, double[]> scores = Map.of(
                "a", new double[] {0.5, 0.5, 0.5},
                "b", new double[] {0.9, 0.2, 0.3},
                "c", new double[] {0.0, 0.0, 0.0});
        Grid g = Grid.parse(List.of("x=a,b,c"));
        List<String> calls = new ArrayList<>();
        Objective f = (p, seed) -> {
            assertThrows(UnsupportedOperationException.class, () -> p.put("x", "c"), "point is read-only");
            calls.add(p.get("x") + seed);
            return scores.get(p.get("x"))[seed];
        };
        CoordinateDescent.Result r = new CoordinateDescent(g, g.startAt(0), 3).run(tmp.resolve("three"), f, progress::add);
        assertEquals(Map.of("x", "a"), r.best());
        assertEquals((0.5 + 0.5 + 0.5) / 3, r.bestMean());
        assertEquals(List.of("a0", "a1", "a2", "b0", "b1", "b2"), calls, "seeds 0..n-1 per point, nothing else asked");
        assertTrue(progress.contains("trial 2 x=b: 0.9000 0.2000 0.3000 mean 0.4667"), progress.toString());
        JsonNode b = JSON.readTree(tmp.resolve("three").resolve(SearchReport.SUMMARY).toFile()).get("path").get(1);
        assertEquals("[0.9,0.2,0.3]", b.get("scores").toString(), "the returned values, untouched");
        assertEquals((0.9 + 0.2 + 0.3) / 3, b.get("mean").asDouble());

        CoordinateDescent.Result one = new CoordinateDescent(g, g.startAt(0), 1).run(tmp.resolve("one"), f, progress::add);
        assertEquals(Map.of("x", "b"), one.best(), "one seed would have chosen b");
    }

    @Test
    void refusesANonFiniteScoreWithoutLoggingIt() throws IOException {
        Grid g = Grid.parse(List.of("x=a,b"));
        Objective f = (p, s) -> p.get("x").equals("a") ? 0.1 : Double.NaN;
        assertThrows(IllegalStateException.class, () -> new CoordinateDescent(g, g.startAt(0), 1).run(tmp, f, progress::add));
        assertEquals(Set.of("x=a#0"), logged(tmp));
    }

    /** A seed-dependent objective (deterministic in point and seed) for the resume tests. */
    static double noisy(Map<String, String> p, int seed) {
        return separable(p) + 0.3 * ((i(p) * 7 + j(p) * 3 + seed * 5) % 4);
    }

    static final class Killed extends RuntimeException {
        Killed() {
            super("killed");
        }
    }

    /** Answers {@link #noisy} for {@code budget} evaluations, then throws as a kill would stop it. */
    static Objective dyingAfter(int budget) {
        int[] n = {0};
        return (p, seed) -> {
            if (n[0]++ >= budget) {
                throw new Killed();
            }
            return noisy(p, seed);
        };
    }

    @Test
    void resumesAfterAKillAtEveryEvaluationAsIfUninterrupted() throws IOException {
        Grid g = ij();
        CoordinateDescent cd = new CoordinateDescent(g, g.startAt(0), 3);
        Path full = tmp.resolve("full");
        CoordinateDescent.Result whole = cd.run(full, CoordinateDescentTest::noisy, progress::add);
        int total = whole.evaluatedNow();
        assertEquals(3 * whole.trials(), total);

        for (int k = 0; k < total; k++) {
            Path dir = tmp.resolve("kill-" + k);
            Objective dying = dyingAfter(k);
            assertThrows(Killed.class, () -> cd.run(dir, dying, progress::add));
            Set<String> before = logged(dir);
            assertEquals(k, before.size(), "every finished evaluation is in the log");
            assertFalse(Files.exists(dir.resolve(SearchReport.BEST)), "no result before the end");

            List<String> calls = new ArrayList<>();
            CoordinateDescent.Result r = cd.run(dir, (p, seed) -> {
                calls.add(Grid.describe(p) + "#" + seed);
                return noisy(p, seed);
            }, progress::add);
            for (String c : calls) {
                assertFalse(before.contains(c), "re-ran " + c + " after a kill at " + k);
            }
            assertEquals(total - k, calls.size());
            assertEquals(new CoordinateDescent.Result(whole.best(), whole.bestMean(), whole.trials(), whole.sweeps(), total - k, k), r);
            assertEquals(path(full), path(dir), "same trial sequence");
            for (String name : List.of(TrialLog.LOG, SearchReport.SUMMARY, SearchReport.BEST)) {
                assertEquals(Files.readString(full.resolve(name)), Files.readString(dir.resolve(name)), name + " after a kill at " + k);
            }
        }
    }

    @Test
    void resumesAfterTwoKillsAndATornLastLine() throws IOException {
        Grid g = ij();
        CoordinateDescent cd = new CoordinateDescent(g, g.startAt(0), 3);
        Path full = tmp.resolve("full");
        CoordinateDescent.Result whole = cd.run(full, CoordinateDescentTest::noisy, progress::add);

        Path dir = tmp.resolve("torn");
        assertThrows(Killed.class, () -> cd.run(dir, dyingAfter(7), progress::add));
        Files.writeString(dir.resolve(TrialLog.LOG), "{\"trial\":3,\"point\":{\"i\"", StandardOpenOption.APPEND);
        assertThrows(Killed.class, () -> cd.run(dir, dyingAfter(5), progress::add));
        assertEquals(12, logged(dir).size());
        assertTrue(progress.stream().anyMatch(l -> l.contains("unfinished last line was cut off")));
        CoordinateDescent.Result r = cd.run(dir, CoordinateDescentTest::noisy, progress::add);
        assertEquals(whole.best(), r.best());
        assertEquals(12, r.readFromLog());
        assertEquals(Files.readString(full.resolve(TrialLog.LOG)), Files.readString(dir.resolve(TrialLog.LOG)));
        assertEquals(Files.readString(full.resolve(SearchReport.SUMMARY)), Files.readString(dir.resolve(SearchReport.SUMMARY)));

        // a finished search run again evaluates nothing
        CoordinateDescent.Result again = cd.run(dir, (p, s) -> fail("evaluated " + p), progress::add);
        assertEquals(0, again.evaluatedNow());
        assertEquals(3 * whole.trials(), again.readFromLog());
    }

    @Test
    void refusesAGarbledLineInsideTheLog() throws IOException {
        Grid g = ij();
        CoordinateDescent cd = new CoordinateDescent(g, g.startAt(0), 1);
        assertThrows(Killed.class, () -> cd.run(tmp, dyingAfter(3), progress::add));
        List<String> lines = new ArrayList<>(Files.readAllLines(tmp.resolve(TrialLog.LOG)));
        lines.set(1, lines.get(1).replace("\"j\":\"0\"", "\"j\":\"9\""));
        Files.write(tmp.resolve(TrialLog.LOG), lines);
        InputError e = assertThrows(InputError.class, () -> cd.run(tmp, dyingAfter(0), progress::add));
        assertTrue(e.getMessage().contains("trials.jsonl line 2") && e.getMessage().contains("j=9"), e.getMessage());
    }

    @Test
    void refusesAFolderOfAnotherSearch() throws IOException {
        Grid g = ij();
        new CoordinateDescent(g, g.startAt(0), 2).run(tmp, (p, s) -> separable(p), progress::add);

        Grid other = Grid.parse(List.of("i=0,1,2,3,4,5", "j=0,1,2"));
        InputError e = assertThrows(InputError.class,
                () -> new CoordinateDescent(other, other.startAt(0), 2).run(tmp, (p, s) -> 0, progress::add));
        assertTrue(e.getMessage().contains("search.json") && e.getMessage().contains("grid"), e.getMessage());

        Grid swapped = Grid.parse(List.of("j=0,1,2,3", "i=0,1,2,3,4,5"));
        e = assertThrows(InputError.class,
                () -> new CoordinateDescent(swapped, swapped.startAt(0), 2).run(tmp, (p, s) -> 0, progress::add));
        assertTrue(e.getMessage().contains("grid"), "key order is search order: " + e.getMessage());

        e = assertThrows(InputError.class, () -> new CoordinateDescent(g, g.startAt(0), 3).run(tmp, (p, s) -> 0, progress::add));
        assertTrue(e.getMessage().contains("seeds 2 there, 3 here"), e.getMessage());

        e = assertThrows(InputError.class, () -> new CoordinateDescent(g, g.startAt(1), 2).run(tmp, (p, s) -> 0, progress::add));
        assertTrue(e.getMessage().contains("start"), e.getMessage());

        e = assertThrows(InputError.class, () -> new CoordinateDescent(g, g.startAt(0), 2, Map.of("epochs", "5"))
                .run(tmp, (p, s) -> 0, progress::add));
        assertTrue(e.getMessage().contains("context"), e.getMessage());

        Path stray = tmp.resolve("stray");
        Files.createDirectories(stray);
        Files.writeString(stray.resolve(TrialLog.LOG), "{}\n");
        e = assertThrows(InputError.class, () -> new CoordinateDescent(g, g.startAt(0), 2).run(stray, (p, s) -> 0, progress::add));
        assertTrue(e.getMessage().contains("without search.json"), e.getMessage());
    }

    @Test
    void refusesASecondSearchInTheSameFolderWhileOneRuns() throws IOException {
        Grid g = Grid.parse(List.of("x=a,b"));
        CoordinateDescent cd = new CoordinateDescent(g, g.startAt(0), 1);
        cd.run(tmp, (p, s) -> {
            InputError e = assertThrows(InputError.class, () -> cd.run(tmp, (q, t) -> 0, progress::add));
            assertTrue(e.getMessage().contains("another search is running"), e.getMessage());
            return 0;
        }, progress::add);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr", "=0.1,0.2", "lr=", "lr= ", "lr=0.1,,0.2", "lr=0.1,", "lr=0.1,0.1", "lr=0.1,wd=0", "l r=1,2"})
    void refusesAMalformedSpecNamingIt(String spec) {
        InputError e = assertThrows(InputError.class, () -> Grid.parse(List.of("wd=0,1e-4", spec)));
        assertTrue(e.getMessage().startsWith("--grid \"" + spec + "\": "), e.getMessage());
    }

    @Test
    void refusesDuplicateKeysEmptyGridsAndStartsOutsideTheGrid() {
        InputError e = assertThrows(InputError.class, () -> Grid.parse(List.of("lr=1,2", "wd=0", "lr=3")));
        assertTrue(e.getMessage().contains("\"lr=3\"") && e.getMessage().contains("twice"), e.getMessage());
        assertThrows(InputError.class, () -> Grid.parse(List.of()));

        Grid g = ij();
        e = assertThrows(InputError.class, () -> g.start(Map.of("i", "9"), 0));
        assertTrue(e.getMessage().contains("i=9"), e.getMessage());
        e = assertThrows(InputError.class, () -> g.start(Map.of("k", "1"), 0));
        assertTrue(e.getMessage().contains("k=1"), e.getMessage());
        e = assertThrows(InputError.class, () -> g.startAt(4));
        assertTrue(e.getMessage().contains("'j'"), "j has only 4 values: " + e.getMessage());
        e = assertThrows(InputError.class, () -> new CoordinateDescent(g, Map.of("i", "1", "j", "7"), 1));
        assertTrue(e.getMessage().contains("j=7"), e.getMessage());

        assertEquals(Map.of("i", "4", "j", "3"), g.start(Map.of("i", "4", "j", "3"), 0));
        assertEquals(List.of("i", "j"), List.copyOf(g.start(Map.of("j", "2"), 1).keySet()));
        assertEquals(Map.of("i", "1", "j", "2"), g.start(Map.of("j", "2"), 1));
        assertEquals(List.of("0.1", "0.01"), Grid.parse(List.of(" lr = 0.1, 0.01 ")).values("lr"));
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("i", List.of("0", "1", "2", "3", "4", "5"));
        m.put("j", List.of("0", "1", "2", "3"));
        assertEquals(List.copyOf(g.asMap().entrySet()), List.copyOf(Grid.of(m).asMap().entrySet()));
        m.put("k", List.of());
        e = assertThrows(InputError.class, () -> Grid.of(m));
        assertTrue(e.getMessage().contains("no values for 'k'"), e.getMessage());
    }

    @Test
    void bestYamlRoundTripsToTheBestPoint() throws IOException {
        Grid g = Grid.parse(List.of("opt=sgd,true", "lr=0.10,1e-3", "init=null,a b", "tag=x,#y: z"));
        // the score grows with every index, so the best point is the last value of each key
        Objective f = (p, s) -> {
            int sum = 0;
            for (String k : g.keys()) {
                sum += g.values(k).indexOf(p.get(k));
            }
            return sum;
        };
        CoordinateDescent.Result r = new CoordinateDescent(g, g.startAt(0), 1).run(tmp, f, progress::add);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("opt", "true");
        expected.put("lr", "1e-3");
        expected.put("init", "a b");
        expected.put("tag", "#y: z");
        assertEquals(expected, r.best());
        Map<String, String> back = SearchReport.readBest(tmp.resolve(SearchReport.BEST));
        assertEquals(expected, back);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(back.keySet()), "grid order kept");
        // a generic YAML reader sees the same strings (no booleans, numbers or nulls)
        Map<String, Object> generic = new YAMLMapper().readValue(tmp.resolve(SearchReport.BEST).toFile(), new TypeReference<Map<String, Object>>() {});
        assertEquals(expected, generic);
        assertEquals("opt: \"true\"\nlr: \"1e-3\"\ninit: \"a b\"\ntag: \"#y: z\"\n", Files.readString(tmp.resolve(SearchReport.BEST)));

        Files.writeString(tmp.resolve("start.yaml"), "opt: sgd\nlr: \"0.10\"\ninit: \"null\"\ntag: x\n");
        Map<String, String> start = SearchReport.readBest(tmp.resolve("start.yaml"));
        assertEquals(g.startAt(0), g.start(start, 0), "a best.yaml-style file can serve as a start point");
    }
}
