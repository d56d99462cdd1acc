package org.hebbcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hebbcnn.data.TestFiles;
import org.hebbcnn.experiments.RidgeExperiment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code readout ridge}: on a folder that holds no run it refuses in one line; end to end, on the
 * protocol folder of a tiny {@code experiment beyond --protocols miconi} run (its network shrunk by
 * --set), it fits the ridge with flips and an alpha grid on two layers, prints the table, writes
 * ridge.json beside result.json and leaves no feature store behind; {@code readout linear} trains the
 * run's probes again with flips, resumes, refuses another readout's folder, and with
 * {@code --no-holdout} trains on the validation images too and reports the last epoch.
 */
class ReadoutCommandTest {
    /** Two small hwta layers (Miconi's rule, one winner per position) and the classifier; no ZCA, to stay fast. */
    static final String SMALL = "network={input: none, layers: [{type: conv, width: 8, kernel: 5, activation: triangle, "
            + "pool: {type: avg, size: 2}, rule: hwta, k: 1, lr: 0.05}, {type: conv, width: 16, kernel: 3, "
            + "norm: batch-no-affine, normPosition: before, activation: triangle, pool: {type: avg, size: 2}, rule: hwta, "
            + "k: 1, lr: 0.01, pruning: 0.5}, {type: classifier}]}";

    @TempDir
    Path tmp;

    @Test
    void aFolderWithoutARunOrABadAlphaIsRefusedInOneLine() {
        CliRunner.Result r = CliRunner.run("readout", "ridge", "--out", tmp.toString(), "--method", "hwta");
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("not the folder of a finished experiment"), r.output());
        CliRunner.Result alpha = CliRunner.run("readout", "ridge", "--out", tmp.toString(), "--alpha", "1,0");
        assertEquals(2, alpha.code(), alpha.output());
        assertTrue(alpha.output().contains("alpha must be a finite number > 0, got 0.0"), alpha.output());
    }

    // Slow: end to end: trains a network through the CLI. Skipped by `mvn -B test -Dgroups=fast`.
    @Tag("slow")
    @Test
    void fitsTheRidgeAndTheLinearReadoutOnAProtocolRun() throws Exception {
        Path data = tmp.resolve("bars");
        TestFiles.writeLearnableIdxDataset(data, 300, 60, 5);
        Path out = tmp.resolve("out");
        CliRunner.Result trained = CliRunner.run("experiment", "beyond", "--protocols", "miconi", "--data-dir",
                data.toString(), "--seeds", "1", "--epochs", "1", "--probe-epochs", "1", "--progress", "none", "--set",
                SMALL, "--set", "validationSize=40", "--out", out.toString());
        assertEquals(0, trained.code(), trained.output());

        CliRunner.Result top = CliRunner.run("readout", "ridge", "--out", out.toString(), "--progress", "none");
        assertEquals(2, top.code(), top.output());
        assertTrue(top.output().contains(out.resolve("miconi").toString()), "names the protocol's folder: " + top.output());

        Path protocol = out.resolve("miconi");
        CliRunner.Result tooBig = CliRunner.run("readout", "ridge", "--out", protocol.toString(), "--layers", "1",
                "--memory-limit", "0.001", "--progress", "none");
        assertEquals(2, tooBig.code(), tooBig.output());
        assertTrue(tooBig.output().contains("layer 1 has 1568 features"), tooBig.output());

        CliRunner.Result r = CliRunner.run("readout", "ridge", "--out", protocol.toString(), "--layers", "1,2", "--alpha",
                "0.1,1,10", "--flips", "--progress", "none");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("| layer | alpha | validation top-1 | test top-1 | test top-5 | seconds |"), r.output());
        Path run = protocol.resolve("runs/hwta/seed-0");
        assertTrue(Files.isRegularFile(run.resolve("result.json")));
        assertFalse(Files.exists(run.resolve(RidgeExperiment.FEATURES)), "the feature store is deleted");
        JsonNode json = new ObjectMapper().readTree(run.resolve(RidgeExperiment.FILE).toFile());
        assertEquals("last", json.get("epochChoice").asText());
        assertEquals(1, json.get("networkEpoch").asInt());
        assertEquals(260, json.get("trainImages").asInt());
        assertEquals(2, json.get("layers").size());
        for (JsonNode layer : json.get("layers")) {
            assertEquals(520, layer.get("trainImages").asInt(), "the training images and their flips: " + layer);
            assertEquals(3, layer.get("alphas").size());
            assertTrue(layer.get("testTop1").asDouble() > 0.5, "far above chance (10%) on the learnable bars: " + layer);
        }
        assertEquals(1568, json.get("layers").get(0).get("features").asInt());

        CliRunner.Result selected = CliRunner.run("readout", "ridge", "--out", protocol.toString(), "--epoch", "selected",
                "--progress", "none");
        assertEquals(0, selected.code(), selected.output());
        JsonNode top2 = new ObjectMapper().readTree(run.resolve(RidgeExperiment.FILE).toFile());
        assertEquals("selected", top2.get("epochChoice").asText());
        assertEquals(2, top2.get("layers").get(0).get("layer").asInt(), "by default the top probed layer");
        assertEquals(260, top2.get("layers").get(0).get("trainImages").asInt(), "no flips unless asked");

        // readout linear: the run's probes again, on the training images and their flips
        CliRunner.Result lin = CliRunner.run("readout", "linear", "--out", protocol.toString(), "--flips", "--epochs", "2",
                "--progress", "none");
        assertEquals(0, lin.code(), lin.output());
        assertTrue(lin.output().contains("| readout | layer | best epoch | validation top-1 | test top-1 | test top-5 |"),
                lin.output());
        assertTrue(lin.output().contains("epoch 2/2: validation ") && !lin.output().contains("images it trains on"),
                lin.output());
        JsonNode flips = new ObjectMapper().readTree(run.resolve("readout-linear-flips.json").toFile());
        assertEquals(260, flips.get("trainImages").asInt());
        assertEquals(520, flips.get("readoutImages").asInt(), "the training images and their mirror images");
        assertEquals(2, flips.get("epochs").asInt());
        assertEquals(3, flips.get("results").size(), "sgd, shc and chl on the top layer");
        for (JsonNode probe : flips.get("results")) {
            assertEquals(2, probe.get("layer").asInt());
        }
        assertTrue(flips.get("results").get(0).get("testTop1").asDouble() > 0.5, "far above chance: " + flips);
        assertFalse(Files.exists(run.resolve("readout-linear-flips/features")), "the feature store is deleted");
        assertTrue(Files.isDirectory(run.resolve("readout-linear-flips/ckpt-2")), "checkpointed per epoch");

        CliRunner.Result again = CliRunner.run("readout", "linear", "--out", protocol.toString(), "--flips", "--epochs", "2",
                "--progress", "none");
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("done earlier"), again.output());

        CliRunner.Result other = CliRunner.run("readout", "linear", "--out", protocol.toString(), "--flips", "--layers",
                "1", "--epochs", "2", "--progress", "none");
        assertEquals(2, other.code(), other.output());
        assertTrue(other.output().contains("holds a readout of other settings"), other.output());

        // --no-holdout: the validation images join the training set and the last epoch is reported
        CliRunner.Result all = CliRunner.run("readout", "linear", "--out", protocol.toString(), "--no-holdout", "--epochs",
                "3", "--progress", "none");
        assertEquals(0, all.code(), all.output());
        assertTrue(all.output().contains("| readout | layer | last epoch | validation top-1 |"), all.output());
        assertTrue(all.output().contains("epoch 3/3: validation ") && all.output().contains("(images it trains on, not "
                + "selected on)"), "the log says the validation figure is on images it trains on: " + all.output());
        JsonNode noHoldout = new ObjectMapper().readTree(run.resolve("readout-linear-noholdout.json").toFile());
        assertTrue(noHoldout.get("noHoldout").asBoolean());
        assertEquals(300, noHoldout.get("trainImages").asInt(), "260 training and 40 validation images");
        assertEquals(300, noHoldout.get("readoutImages").asInt());
        for (JsonNode probe : noHoldout.get("results")) {
            assertEquals(3, probe.get("bestEpoch").asInt(), "the last epoch, whatever validation says: " + probe);
            assertTrue(Double.isNaN(probe.get("validation").asDouble(0)), "no validation score: " + probe);
        }
        assertFalse(flips.get("noHoldout").asBoolean(), "the flips readout held its validation images out");

        // the beyond table, written again, has a row for each readout trained on the protocol's networks
        CliRunner.Result table = CliRunner.run("experiment", "beyond", "--protocols", "miconi", "--data-dir",
                data.toString(), "--seeds", "1", "--epochs", "1", "--probe-epochs", "1", "--progress", "none", "--set",
                SMALL, "--set", "validationSize=40", "--out", out.toString());
        assertEquals(0, table.code(), table.output());
        JsonNode beyond = new ObjectMapper().readTree(out.resolve("beyond.json").toFile());
        java.util.List<String> names = new java.util.ArrayList<>();
        beyond.get("rows").forEach(row -> names.add(row.get("name").asText()));
        assertTrue(names.containsAll(java.util.List.of("miconi", "miconi readout-linear-flips",
                "miconi readout-linear-noholdout")), names.toString());
    }
}
