package org.hebbcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hebbcnn.data.TestFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment beyond} end to end on tiny synthetic images: the SoftHebb protocol (its network
 * shrunk by --set to stay fast) trains on learnable synthetic bars, reads out the one probed layer with Adam from its feature
 * store, and the beyond table shows its figure and the three phases' times.
 */
@Tag("slow")
class BeyondCommandTest {
    static final String SMALL = "network={input: none, layers: [{type: conv, width: 8, kernel: 5, padding: 2, "
            + "paddingMode: reflect, norm: batch-no-affine, normPosition: before, activation: triangle, power: 0.7, "
            + "pool: {type: max, size: 4, stride: 2, padding: 1}, rule: softhebb, t: 1, lr: 0.08}, "
            + "{type: conv, width: 16, kernel: 3, padding: 1, norm: batch-no-affine, normPosition: before, "
            + "activation: triangle, power: 1, pool: {type: avg, size: 2, stride: 2}, rule: softhebb, t: 0.65, lr: 0.005}, "
            + "{type: classifier, dropout: 0.5}]}";

    @TempDir
    Path tmp;

    @Test
    void runsTheProtocolAndWritesTheBeyondTable() throws Exception {
        Path data = tmp.resolve("tiny");
        TestFiles.writeLearnableIdxDataset(data, 300, 60, 5);
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("experiment", "beyond", "--protocols", "softhebb", "--data-dir", data.toString(), "--seeds", "1",
                "--probe-epochs", "3", "--progress", "none", "--set", SMALL, "--set", "validationSize=40",
                "--set", "probes.layers=[2]", "--out", out.toString());
        assertEquals(0, r.code(), r.output());
        String table = Files.readString(out.resolve("beyond.md"));
        assertTrue(table.contains("| softhebb | SoftHebb (Journe et al. 2023), network custom instead of the protocol's |"),
                "the small network given by --set is named in the row: " + table);
        assertFalse(table.contains("paper-hpca"), "no paper figures for a dataset that is not the paper's: " + table);
        JsonNode beyond = new ObjectMapper().readTree(out.resolve("beyond.json").toFile());
        JsonNode row = beyond.get("rows").get(0);
        double ours = row.get("ours").get("mean").asDouble();
        assertTrue(ours > 50, "far above chance (10%) on the learnable bars: " + ours);
        for (String phase : new String[] {"unsupervised", "features", "readout"}) {
            assertTrue(row.get(phase).asDouble() > 0, phase + " time recorded: " + row);
        }
        JsonNode run = new ObjectMapper().readTree(out.resolve("softhebb/runs/softhebb/seed-0/result.json").toFile());
        for (JsonNode p : run.get("probes")) {
            assertEquals(2, p.get("layer").asInt(), "only the protocol's layer is probed: " + p);
        }
        String layerwise = Files.readString(out.resolve("softhebb/table.md"));
        assertTrue(layerwise.contains("Adam (dropout 0.5"), layerwise);
        assertTrue(Files.isRegularFile(out.resolve("softhebb/config.yaml")));

        CliRunner.Result both = CliRunner.run("experiment", "layerwise", "--data-dir", data.toString(), "--protocol",
                "softhebb", "--config", out.resolve("softhebb/config.yaml").toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, both.code(), both.output());
        assertTrue(both.output().contains("give one"), both.output());
    }
}
