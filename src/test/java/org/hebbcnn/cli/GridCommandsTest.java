package org.hebbcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hebbcnn.cli.CliRunner.Result;
import org.hebbcnn.data.TestFiles;
import org.hebbcnn.util.NodeLock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plan, train-node and slurm submit --dry-run on tiny synthetic MNIST: train-node refuses a node whose
 * dependencies are missing (exit 2, naming them), skips or fails on a node another live process
 * holds, and the nodes trained one by one, then experiment all, give the same networks, bit for bit,
 * and the same tables as one experiment all.
 */
class GridCommandsTest {
    @TempDir
    static Path tmp;
    static Path mnist;

    @BeforeAll
    static void data() throws Exception {
        mnist = tmp.resolve("mnist");
        TestFiles.writeIdxDataset(mnist, 80, 30, 28, 10, true);
        org.hebbcnn.data.PaperDatasets.trustForTests(mnist, "mnist"); // tiny synthetic files taken for MNIST's
    }

    private static String[] flags(Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("--dataset", "mnist", "--data-dir", mnist.toString(), "--methods",
                "bp", "--rules", "hpca", "--configs", "BBHHBG", "--seeds", "1", "--epochs", "1", "--probe-epochs", "1",
                "--out", out.toString()));
        a.addAll(0, List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void trainNodeRefusesMissingDependenciesAndLockedNodes() throws Exception {
        Path out = tmp.resolve("refuse");
        Result sub = CliRunner.run(flags(out, "slurm", "submit", "--dry-run"));
        assertEquals(0, sub.code(), sub.output());
        assertTrue(sub.output().contains("8 nodes, 8 unfinished, in 3 job arrays"), sub.output());
        assertTrue(sub.output().contains("--dependency=afterok:$j0"), sub.output());

        Result r = CliRunner.run("train-node", "stages/seed-0/hpca-BB_HH_B", "--out", out.toString());
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("stages/seed-0/hpca-BB_HH_B needs bases/bp/seed-0/network, "
                + "stages/seed-0/hpca-BB_H finished first"), r.output());
        assertEquals(1, r.output().strip().lines().count(), "one line: " + r.output());

        Result unknown = CliRunner.run("train-node", "bases/vae/seed-0/network", "--out", out.toString());
        assertEquals(2, unknown.code(), unknown.output());
        assertTrue(unknown.output().contains("no node 'bases/vae/seed-0/network'"), unknown.output());

        Path net = out.resolve("bases/bp/seed-0/network");
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Files.createDirectories(net);
            Files.writeString(net.resolve(NodeLock.FILE), "{\"host\":\"" + NodeLock.host() + "\",\"pid\":" + sleeper.pid()
                    + ",\"started\":\"" + Instant.now() + "\"}\n");
            Result skip = CliRunner.run("train-node", "bases/bp/seed-0/network", "--out", out.toString(), "--if-locked", "skip");
            assertEquals(0, skip.code(), skip.output());
            assertTrue(skip.output().contains("skipped bases/bp/seed-0/network (locked by another process)"), skip.output());
            Result fail = CliRunner.run("train-node", "bases/bp/seed-0/network", "--out", out.toString(), "--if-locked", "fail");
            assertEquals(2, fail.code(), fail.output());
            assertTrue(fail.output().contains("is locked by pid " + sleeper.pid()), fail.output());
            Result bad = CliRunner.run("train-node", "bases/bp/seed-0/network", "--out", out.toString(), "--stale-after", "soon");
            assertEquals(2, bad.code(), bad.output());
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor();
        }
        // the holder is gone: its lock is taken over and the network trained
        Result train = CliRunner.run("train-node", "bases/bp/seed-0/network", "--out", out.toString());
        assertEquals(0, train.code(), train.output());
        assertTrue(train.output().contains("took over the stale lock") && train.output().contains("trained bases/bp/seed-0/network"),
                train.output());
        Result again = CliRunner.run("train-node", "bases/bp/seed-0/network", "--out", out.toString());
        assertTrue(again.output().contains("bases/bp/seed-0/network was done earlier"), again.output());
        Result plan = CliRunner.run("plan", "--out", out.toString(), "--json", out.resolve("plan.json").toString());
        assertEquals(0, plan.code(), plan.output());
        assertTrue(plan.output().contains("| 0 | bases/bp/seed-0/network | network | - | done | - |"), plan.output());
        assertTrue(plan.output().contains("| 2 | stages/seed-0/hpca-BB_HH_B | stage | bases/bp/seed-0/network, "
                + "stages/seed-0/hpca-BB_H | not started |"), plan.output());
        assertTrue(Files.readString(out.resolve("plan.json")).contains("\"state\" : \"done\""));
    }

    @Test
    @Tag("slow")
    void nodesTrainedOneByOneEqualOneExperimentAll() throws Exception {
        Path single = tmp.resolve("single");
        Result all = CliRunner.run(flags(single, "experiment", "all"));
        assertEquals(0, all.code(), all.output());

        Path grid = tmp.resolve("grid");
        assertEquals(0, CliRunner.run(flags(grid, "slurm", "submit", "--dry-run")).code());
        for (int level = 0; level < 3; level++) {
            for (String node : Files.readAllLines(grid.resolve("slurm/level-" + level + ".nodes"))) {
                Result r = CliRunner.run("train-node", node, "--out", grid.toString());
                assertEquals(0, r.code(), r.output());
            }
        }
        Result status = CliRunner.run("slurm", "status", "--out", grid.toString());
        assertEquals(0, status.code(), status.output());
        assertTrue(status.output().contains(": 8 nodes, 8 done (no submission recorded"), status.output());
        Result fin = CliRunner.run(flags(grid, "experiment", "all"));
        assertEquals(0, fin.code(), fin.output());
        assertTrue(!fin.output().contains("epoch 1/1: validation"), "everything was trained already: " + fin.output());

        Map<String, String> a = models(single);
        assertEquals(8, a.keySet().stream().map(k -> k.substring(0, k.indexOf("/ckpt-"))).distinct().count(), a.keySet().toString());
        assertEquals(a, models(grid));
        for (String e : List.of("layerwise", "classifiers", "retrain", "hybrid")) {
            assertEquals(withoutTimes(single.resolve(e + "/results.json")), withoutTimes(grid.resolve(e + "/results.json")), e);
        }
    }

    /** SHA-256 of every model file and provenance in every checkpoint, by path. */
    static Map<String, String> models(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(p).toString();
                if (rel.contains("/ckpt-") && (rel.contains("/model/") || rel.endsWith("provenance.json"))) {
                    out.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                }
            }
        }
        return out;
    }

    /** A results.json without the measured wall times (which differ from run to run). */
    static String withoutTimes(Path f) throws IOException {
        return Files.readString(f).lines().filter(l -> !l.contains("Measured wall time")).reduce("", (x, y) -> x + y + "\n");
    }
}
