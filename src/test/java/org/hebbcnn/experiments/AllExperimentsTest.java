package org.hebbcnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hebbcnn.data.PaperDatasets;
import org.hebbcnn.data.TestFiles;
import org.hebbcnn.experiments.LayerwiseExperimentTest.Result;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.training.CheckpointedTraining;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment all} end to end on tiny synthetic MNIST and CIFAR-100 files: the four tables with
 * their documented keys, base networks trained once and shared, hybrid stages shared between configs,
 * epochs to convergence taken from the top stage's best validation epoch, resuming, and clear refusals.
 */
// Slow: end to end: trains networks and probes through the CLI. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class AllExperimentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path mnist;
    static Path cifar100;

    @BeforeAll
    static void writeData() throws Exception {
        mnist = tmp.resolve("mnist");
        TestFiles.writeIdxDataset(mnist, 80, 30, 28, 10, true);
        cifar100 = tmp.resolve("cifar100");
        TestFiles.writeCifar100Dataset(cifar100, 80, 30);
        // Tiny synthetic files in the paper datasets' formats, taken for them so that the paper comparison
        // runs end to end (real files are recognised by their counts and label statistics: PaperDatasetsTest).
        PaperDatasets.trustForTests(mnist, "mnist");
        PaperDatasets.trustForTests(cifar100, "cifar100");
    }

    private static String[] all(String dataset, Path data, Path out, String configs) {
        return new String[] {"experiment", "all", "--dataset", dataset, "--data-dir", data.toString(), "--methods",
            "bp,hpca", "--rules", "hpca", "--configs", configs, "--seeds", "1", "--epochs", "1", "--probe-epochs", "1",
            "--out", out.toString()};
    }

    private static List<String> dirs(Path p) throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(p)) {
            s.forEach(x -> names.add(x.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    @Test
    void mnistWritesTheFourTablesSharingBasesAndStages() throws Exception {
        Path out = tmp.resolve("all-mnist");
        Result r = LayerwiseExperimentTest.cli(all("mnist", mnist, out, "BBBBBG,BHHBBG,BHHHBG,HHHHHG"));
        assertEquals(0, r.code(), r.output());
        for (String e : AllExperiments.EXPERIMENTS) {
            JsonNode root = JSON.readTree(out.resolve(e).resolve(ResultsTable.RESULTS_JSON).toFile());
            assertEquals(e, root.get("experiment").asText());
            assertTrue(Files.isRegularFile(out.resolve(e).resolve(ResultsTable.TABLE_MD)));
            assertTrue(root.get("rows").size() > 0, e);
        }
        // bases: trained once, in one place, and only for the methods asked
        assertEquals(List.of("bp", "hpca"), dirs(out.resolve("bases")));

        JsonNode hybrid = JSON.readTree(out.resolve("hybrid").resolve(ResultsTable.RESULTS_JSON).toFile());
        List<String> configs = new ArrayList<>();
        for (JsonNode row : hybrid.get("rows")) {
            configs.add(row.get("config").asText());
            assertEquals("hpca", row.get("method").asText());
            assertTrue(row.get("paper").isNumber(), "paper figure beside ours: " + row);
            assertTrue(row.get("mean").isNumber());
        }
        assertEquals(List.of("BBBBBG", "BHHBBG", "BHHHBG", "HHHHHG"), configs);
        // BHHBBG and BHHHBG share the fresh Hebbian network from layer 2 ("B_H"), trained once
        // (stages above a Hebbian layer depend on the rule; retrain adds BBBBB_H, BBBB_B and both rules' BBBB_H)
        assertEquals(List.of("BBBBB_H", "BBBB_B", "hpca-BBBB_H", "hpca-B_H", "hpca-B_HHH_B", "hpca-B_HH_B",
                "hpca-HHHHH_G", "hwta-BBBB_H"),
                sortedStageDirs(out));
        // every network trained exactly once: 2 bases, their 2 probe sets, 8 stages
        assertEquals(2 + 2 + 8, count(r.output(), "epoch 1/1: validation"), r.output());
        // ... and each of them is in the cost table once, with the time its epoch took
        JsonNode cost = JSON.readTree(out.resolve(TrainingCost.COST_JSON).toFile());
        assertEquals(2 + 2 + 8, cost.get("networks").size(), cost.toString());
        for (JsonNode n : cost.get("networks")) {
            assertEquals(1, n.get("epochs").asInt(), n.toString());
            assertTrue(n.get("seconds").asDouble() > 0, n.toString());
        }
        assertEquals(List.of("bases", "stages"), iterableToList(cost.get("byFolder").fieldNames()));
        assertTrue(r.output().contains("training cost: "), r.output());

        // epochs to convergence: the top stage's best validation epoch
        JsonNode run = JSON.readTree(out.resolve("hybrid/runs/hpca/BHHBBG/seed-0/result.json").toFile());
        int best = CheckpointedTraining.readState(out.resolve("stages/seed-0/hpca-B_HH_B")).bestEpoch();
        assertEquals(best, run.get("bestEpoch").asInt());
        assertEquals(3, run.get("stages").size());

        JsonNode retrain = JSON.readTree(out.resolve("retrain").resolve(ResultsTable.RESULTS_JSON).toFile());
        List<String> methods = new ArrayList<>();
        for (JsonNode row : retrain.get("rows")) {
            methods.add(row.get("method").asText());
            assertTrue(row.get("epochs").isNumber(), row.toString());
            assertTrue(row.get("paperEpochs").isNumber(), row.toString());
        }
        assertEquals(List.of("BP", "SHC", "HPCA+SHC", "HWTA+SHC"), methods);

        JsonNode classifiers = JSON.readTree(out.resolve("classifiers").resolve(ResultsTable.RESULTS_JSON).toFile());
        assertEquals(15, classifiers.get("rows").size());
        JsonNode first = classifiers.get("rows").get(0);
        assertEquals("SGD", first.get("method").asText());
        assertEquals(1, first.get("layer").asInt());
        assertTrue(first.get("paperEpochs").isNumber());
        List<String> classifierRows = new ArrayList<>();
        for (JsonNode row : classifiers.get("rows")) {
            classifierRows.add(row.get("method").asText() + row.get("layer").asInt());
            // CHL is not in the paper: its rows have our figures and epochs, no paper's
            boolean chl = row.get("method").asText().equals("CHL");
            assertEquals(!chl, row.get("paper").isNumber(), row.toString());
            assertTrue(row.get("mean").isNumber() && row.get("epochs").isNumber(), row.toString());
        }
        assertEquals(List.of("SGD1", "SGD2", "SGD3", "SGD4", "SGD5", "SHC1", "SHC2", "SHC3", "SHC4", "SHC5", "CHL1", "CHL2",
                "CHL3", "CHL4", "CHL5"), classifierRows);

        // a second run finds everything done
        Result again = LayerwiseExperimentTest.cli(all("mnist", mnist, out, "BBBBBG,BHHBBG,BHHHBG,HHHHHG"));
        assertEquals(0, again.code(), again.output());
        assertFalse(again.output().contains("epoch 1/1"), again.output());
        assertEquals(hybrid.get("rows"), JSON.readTree(out.resolve("hybrid").resolve(ResultsTable.RESULTS_JSON).toFile())
                .get("rows"));
    }

    private static List<String> iterableToList(java.util.Iterator<String> it) {
        List<String> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    private static List<String> sortedStageDirs(Path out) throws Exception {
        return dirs(out.resolve("stages").resolve("seed-0"));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void cifar100RunsAllFourExperimentsInTopFiveWithTopOneBeside() throws Exception {
        Path out = tmp.resolve("all-c100");
        Result r = LayerwiseExperimentTest.cli(all("cifar100", cifar100, out, "BBBHHG"));
        assertEquals(0, r.code(), r.output());
        for (String e : AllExperiments.EXPERIMENTS) {
            JsonNode rows = JSON.readTree(out.resolve(e).resolve(ResultsTable.RESULTS_JSON).toFile()).get("rows");
            assertTrue(rows.size() > 0, e);
            for (JsonNode row : rows) {
                assertEquals("top5", row.get("metric").asText(), e + ": " + row);
                assertTrue(row.get("top1").get("mean").isNumber(), e + ": " + row);
                if (!(e.equals("layerwise") && row.get("method").asText().matches(".*-(shc|chl)"))
                        && !(e.equals("layerwise") && row.get("layer").asInt() == 6)
                        && !(e.equals("classifiers") && row.get("method").asText().equals("CHL"))) {
                    assertTrue(row.get("paper").isNumber(), "paper figure beside ours in " + e + ": " + row);
                }
            }
        }
    }

    @Test
    void malformedConfigsAndRulesAreRefusedBeforeAnyTraining() {
        Path out = tmp.resolve("bad");
        Result r = LayerwiseExperimentTest.cli("experiment", "hybrid", "--dataset", "mnist", "--data-dir",
                mnist.toString(), "--configs", "BBXBBG", "--out", out.toString());
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("layer 3 is 'X'"), r.output());
        Result rules = LayerwiseExperimentTest.cli("experiment", "hybrid", "--dataset", "mnist", "--data-dir",
                mnist.toString(), "--rules", "hpca,ojja", "--out", out.toString());
        assertEquals(2, rules.code(), rules.output());
        assertTrue(rules.output().contains("unknown Hebbian rule 'ojja'"), rules.output());
        Result classifierRule = LayerwiseExperimentTest.cli("experiment", "hybrid", "--dataset", "mnist", "--data-dir",
                mnist.toString(), "--rules", "shc", "--out", out.toString());
        assertEquals(2, classifierRule.code(), classifierRule.output());
        assertTrue(classifierRule.output().contains("unknown Hebbian rule 'shc'"), classifierRule.output());
        assertFalse(Files.exists(out.resolve("bases")));
    }
}
