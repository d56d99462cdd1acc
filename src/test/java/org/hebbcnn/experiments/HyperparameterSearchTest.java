package org.hebbcnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hebbcnn.cli.CliRunner;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.data.TestFiles;
import org.hebbcnn.search.SearchReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hpsearch} end to end on tiny synthetic MNIST: trials, best point, best configuration, resuming. */
// Slow: end to end: a search trains several networks. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class HyperparameterSearchTest {
    @TempDir
    Path tmp;

    @Test
    void searchesWritesTheBestConfigurationAndResumesWithoutRetraining() throws Exception {
        Path data = tmp.resolve("mnist");
        TestFiles.writeIdxDataset(data, 80, 30, 28, 10, true);
        Path out = tmp.resolve("search");
        String[] args = {"hpsearch", "--set", "dataset=mnist", "--set", "dataDir=" + data, "--set", "seeds=1", "--set",
            "epochs=1", "--grid", "hebbian.lr=1e-3,2e-3", "--target", "hpca", "--out", out.toString()};
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.code(), r.output());
        Map<String, String> best = SearchReport.readBest(out.resolve(SearchReport.BEST));
        assertTrue(List.of("1e-3", "2e-3").contains(best.get("hebbian.lr")), best.toString());
        ExperimentConfig config = ExperimentConfig.load(out.resolve(HyperparameterSearch.BEST_CONFIG));
        assertEquals(Double.parseDouble(best.get("hebbian.lr")), config.hyperparameters().hebbianLr());
        assertEquals(1, config.settings().epochs(), "the base configuration's other settings are kept");
        assertTrue(Files.isRegularFile(out.resolve(org.hebbcnn.config.RunRecord.FILE)), "the search records its run");
        try (Stream<Path> trials = Files.list(out.resolve("trials"))) {
            assertEquals(2, trials.count(), "start at the grid's middle (1e-3), then one step up");
        }

        CliRunner.Result again = CliRunner.run(args);
        assertEquals(0, again.code(), again.output());
        assertFalse(again.output().contains("epoch 1/1"), "nothing is trained again: " + again.output());
        assertTrue(again.output().contains("resuming"), again.output());

        CliRunner.Result bad = CliRunner.run("hpsearch", "--grid", "hebbian.lr=1e-3,abc", "--out",
                tmp.resolve("bad").toString());
        assertEquals(2, bad.code(), bad.output());
        assertTrue(bad.output().contains("hebbian.lr"), bad.output());
    }
}
