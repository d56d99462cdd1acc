package org.hebbcnn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.hebbcnn.cli.CliRunner;
import org.hebbcnn.data.TestFiles;
import org.hebbcnn.reports.ResultsTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results folder records its resolved configuration and how it was made; running again from that
 * configuration gives the same numbers, and other hyperparameters cannot be mixed into the folder.
 */
// Slow: end to end: trains networks and probes through the CLI, twice. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class RerunFromConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String cli(int expected, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(expected, r.code(), r.output());
        return r.output();
    }

    @Test
    void aRunRepeatedFromItsSavedConfigurationGivesTheSameNumbers() throws Exception {
        Path data = tmp.resolve("digits"); // not MNIST: run and saved as "digits"
        TestFiles.writeIdxDataset(data, 80, 30, 28, 10, true);
        Path a = tmp.resolve("a");
        cli(0, "experiment", "layerwise", "--dataset", "mnist", "--data-dir", data.toString(), "--methods", "hpca",
                "--seeds", "1", "--epochs", "1", "--probe-epochs", "1", "--set", "hebbian.lr=2e-3", "--set",
                "probes.shcLr=5e-3", "--out", a.toString());

        ExperimentConfig saved = ExperimentConfig.load(a.resolve(RunRecord.CONFIG));
        assertEquals(2e-3, saved.hyperparameters().hebbianLr());
        assertEquals(5e-3, saved.hyperparameters().shcProbeLr());
        assertEquals(1, saved.epochs);
        assertEquals(data.toString(), saved.dataDir);
        JsonNode record = JSON.readTree(a.resolve(RunRecord.FILE).toFile());
        assertFalse(record.get("gitCommit").asText().isEmpty());
        assertTrue(record.get("cores").asInt() >= 1);
        assertTrue(record.get("wallSeconds").isNumber(), "wall time recorded at the end: " + record);
        assertEquals(1, record.get("seeds").asInt());
        assertTrue(record.get("pytorch").asText().contains("PyTorch"), record.toString());

        Path b = tmp.resolve("b");
        cli(0, "experiment", "layerwise", "--config", a.resolve(RunRecord.CONFIG).toString(), "--out", b.toString());
        JsonNode rowsA = JSON.readTree(a.resolve(ResultsTable.RESULTS_JSON).toFile()).get("rows");
        JsonNode rowsB = JSON.readTree(b.resolve(ResultsTable.RESULTS_JSON).toFile()).get("rows");
        assertEquals(rowsA, rowsB, "same configuration, same machine: same numbers");

        String refused = cli(2, "experiment", "layerwise", "--config", a.resolve(RunRecord.CONFIG).toString(), "--set",
                "hebbian.lr=3e-3", "--out", a.toString());
        assertTrue(refused.contains("other settings"), refused);
        String unknown = cli(2, "experiment", "layerwise", "--dataset", "mnist", "--set", "hebian.lr=1", "--out",
                tmp.resolve("c").toString());
        assertTrue(unknown.contains("unknown key 'hebian.lr'"), unknown);
        String noDataset = cli(2, "experiment", "retrain", "--out", tmp.resolve("d").toString());
        assertTrue(noDataset.contains("--dataset is required"), noDataset);
    }
}
