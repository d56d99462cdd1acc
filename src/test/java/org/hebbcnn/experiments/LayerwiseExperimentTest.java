package org.hebbcnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.hebbcnn.cli.CliRunner;
import org.hebbcnn.data.PaperDatasets;
import org.hebbcnn.data.TestFiles;
import org.hebbcnn.reports.ResultsTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer-wise command end to end on tiny synthetic datasets in the official file formats
 * (CIFAR-100 cannot be fetched here, so its format is only ever tested this way): every method
 * runs, results.json has the documented shape, a re-run resumes instead of recomputing, and bad
 * input is refused with a clear message.
 */
// Slow: end to end: trains networks and probes through the CLI. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class LayerwiseExperimentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path cifar100;
    static Path mnist;

    @BeforeAll
    static void writeData() throws Exception {
        cifar100 = tmp.resolve("cifar100");
        TestFiles.writeCifar100Dataset(cifar100, 80, 30);
        mnist = tmp.resolve("mnist");
        TestFiles.writeIdxDataset(mnist, 80, 30, 28, 10, true);
        // Tiny synthetic files in the paper datasets' formats, taken for them so that the paper comparison
        // runs end to end (real files are recognised by their counts and label statistics: PaperDatasetsTest).
        PaperDatasets.trustForTests(mnist, "mnist");
        PaperDatasets.trustForTests(cifar100, "cifar100");
    }

    /** Runs the CLI, returning exit code and captured stdout + stderr. */
    static Result cli(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        return new Result(r.code(), r.output());
    }

    record Result(int code, String output) {}

    private static String[] layerwise(String dataset, Path dataDir, String methods, int seeds, Path out, String... extra) {
        String[] base = {"experiment", "layerwise", "--dataset", dataset, "--data-dir", dataDir.toString(), "--methods",
            methods, "--seeds", Integer.toString(seeds), "--epochs", "1", "--probe-epochs", "1", "--out", out.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    /** A custom three-layer network given as YAML: probe rows for every layer under its classifier, no paper column. */
    @Test
    void aCustomThreeLayerSpecGivesProbeRowsForEveryLayer() throws Exception {
        Path out = tmp.resolve("custom3");
        Path config = tmp.resolve("custom3.yaml");
        Files.writeString(config, String.join("\n",
                "network:",
                "  name: small3",
                "  layers:",
                "    - {type: conv, width: 32, kernel: 5, padding: 2, paddingMode: reflect, pool: {type: max, size: 4, stride: 2, padding: 1}, norm: batch}",
                "    - {type: conv, width: 64, kernel: 3, activation: triangle, power: 1.5, norm: batch-no-affine, normPosition: before, pool: {type: avg, size: 2}}",
                "    - {type: classifier}",
                ""));
        Result r = cli(layerwise("mnist", mnist, "bp,hpca", 1, out, "--config", config.toString()));
        assertEquals(0, r.code(), r.output());
        JsonNode root = JSON.readTree(out.resolve(ResultsTable.RESULTS_JSON).toFile());
        Set<String> keys = new HashSet<>();
        for (JsonNode row : root.get("rows")) {
            keys.add(row.get("method").asText() + "/" + row.get("layer").asInt());
            assertTrue(row.get("paper").isNull(), "another network's rows have no paper figure: " + row);
        }
        assertEquals(Set.of("bp/1", "bp/2", "bp/3", "bp-shc/1", "bp-shc/2", "bp-chl/1", "bp-chl/2", "hpca/1", "hpca/2",
                "hpca/3", "hpca-shc/1", "hpca-shc/2", "hpca-chl/1", "hpca-chl/2"), keys);
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("small3"), "config.yaml records the spec");
        String notes = root.get("notes").toString();
        assertFalse(notes.contains("(paper: 20)") || notes.contains("deviates from the paper's schedule"),
                "the paper's schedule is no yardstick for another network: " + notes);
    }

    /** {@code rule: chl} on a spec's classifier: the Hebbian network's own classifier learns by CHL, end to end. */
    @Test
    void aSpecWithAChlClassifierTrainsEndToEnd() throws Exception {
        Path bars = tmp.resolve("bars");
        TestFiles.writeLearnableIdxDataset(bars, 400, 100, 5);
        Path config = tmp.resolve("chl.yaml");
        Files.writeString(config, String.join("\n",
                "network:",
                "  name: chl2",
                "  layers:",
                "    - {type: conv, width: 16, kernel: 5, pool: {type: max, size: 4, stride: 4}, norm: batch}",
                "    - {type: classifier, rule: chl, lr: 0.01}",
                ""));
        Path out = tmp.resolve("chl2");
        Result r = cli("experiment", "layerwise", "--data-dir", bars.toString(), "--methods", "hpca", "--seeds", "1",
                "--epochs", "2", "--probe-epochs", "1", "--config", config.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.output());
        JsonNode rows = JSON.readTree(out.resolve(ResultsTable.RESULTS_JSON).toFile()).get("rows");
        JsonNode top = null;
        for (JsonNode row : rows) {
            if (row.get("method").asText().equals("hpca") && row.get("layer").asInt() == 2) {
                top = row;
            }
        }
        assertNotNull(top, rows.toString());
        assertTrue(top.get("mean").asDouble() > 50, "the CHL classifier's test top-1 (chance 10%): " + top);
        String provenance = Files.readString(out.resolve("runs/hpca/seed-0/network/provenance.json"));
        assertTrue(provenance.contains("chl"), provenance);
    }

    @Test
    void cifar100RunsEveryMethodAndWritesTheDocumentedTable() throws Exception {
        Path out = tmp.resolve("c100");
        Result r = cli(layerwise("cifar100", cifar100, "bp,hpca", 2, out));
        assertEquals(0, r.code(), r.output());
        JsonNode root = JSON.readTree(out.resolve(ResultsTable.RESULTS_JSON).toFile());
        assertEquals("layerwise", root.get("experiment").asText());
        assertEquals("cifar100", root.get("dataset").asText());
        assertFalse(root.get("quick").asBoolean());
        assertEquals(2, root.get("seeds").asInt());
        Set<String> keys = new HashSet<>();
        for (JsonNode row : root.get("rows")) {
            assertEquals("top5", row.get("metric").asText(), "CIFAR-100 is reported as top-5");
            assertEquals(2, row.get("runs").size(), "one figure per seed");
            // The table is the runs' results, in percent: every seed's figure is its run's test top-5 of
            // that probe (or of the network's classifier at layer 6), and the mean is their mean.
            String method = row.get("method").asText();
            String base = method.replace("-shc", "").replace("-chl", "");
            int layer = row.get("layer").asInt();
            double sum = 0;
            for (int seed = 0; seed < 2; seed++) {
                LayerwiseRun run = LayerwiseRun.read(out.resolve("runs").resolve(base).resolve("seed-" + seed)).orElseThrow();
                double expected = 100 * (layer == 6 ? run.networkTestTop5()
                        : run.probe(method.endsWith("-shc") ? "shc" : method.endsWith("-chl") ? "chl" : "sgd", layer).testTop5());
                assertEquals(expected, row.get("runs").get(seed).asDouble(), 1e-9, method + " layer " + layer + " seed " + seed);
                sum += expected;
            }
            assertEquals(sum / 2, row.get("mean").asDouble(), 1e-9, "the mean over the seeds: " + row);
            keys.add(row.get("method").asText() + "/" + row.get("layer").asInt());
            if (row.get("method").asText().equals("hpca") && row.get("layer").asInt() <= 5) {
                assertFalse(row.get("paper").isNull(), "the paper's CIFAR-100 figure is printed beside ours");
            }
            if (row.get("method").asText().endsWith("-shc") || row.get("method").asText().endsWith("-chl")
                    || row.get("layer").asInt() == 6) {
                assertTrue(row.get("paper").isNull(), "no paper figure for " + row);
            }
        }
        for (String m : new String[] {"bp", "hpca"}) {
            for (int l = 1; l <= 6; l++) {
                assertTrue(keys.contains(m + "/" + l), m + " layer " + l + " missing: " + keys);
            }
            for (int l = 1; l <= 5; l++) {
                assertTrue(keys.contains(m + "-shc/" + l), m + "-shc layer " + l + " missing");
                assertTrue(keys.contains(m + "-chl/" + l), m + "-chl layer " + l + " missing");
            }
            for (int seed = 0; seed < 2; seed++) {
                Path run = out.resolve("runs").resolve(m).resolve("seed-" + seed);
                LayerwiseRun result = LayerwiseRun.read(run).orElseThrow();
                assertEquals(200 + seed, result.dataSeed());
                assertEquals(seed, result.seed());
                assertEquals(15, result.probes().size(), "SGD, SHC and CHL on layers 1-5");
            }
        }
        String md = Files.readString(out.resolve(ResultsTable.TABLE_MD));
        assertTrue(md.contains("top5"), md);
        assertTrue(md.contains("paper"), md);
        assertTrue(Files.readString(out.resolve(ResultsTable.TABLE_CSV)).lines().count() > 20);
    }

    @Test
    void reRunningSkipsFinishedRunsAndAResumedRunEndsWhereTheUninterruptedOneDid() throws Exception {
        Path out = tmp.resolve("resume");
        assertEquals(0, cli(layerwise("cifar100", cifar100, "hpca", 1, out)).code());
        Path run = out.resolve("runs/hpca/seed-0");
        String first = Files.readString(run.resolve(LayerwiseRun.FILE));

        Result again = cli(layerwise("cifar100", cifar100, "hpca", 1, out));
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("done earlier"), again.output());

        // A run killed after its network was trained: only the network checkpoint survives.
        Files.delete(run.resolve(LayerwiseRun.FILE));
        deleteTree(run.resolve("probes"));
        Result resumed = cli(layerwise("cifar100", cifar100, "hpca", 1, out));
        assertEquals(0, resumed.code(), resumed.output());
        assertTrue(resumed.output().contains("trained earlier"), resumed.output());
        LayerwiseRun a = JSON.readValue(first, LayerwiseRun.class);
        LayerwiseRun b = LayerwiseRun.read(run).orElseThrow();
        assertEquals(a.probes(), b.probes(), "probes retrained on the resumed network give the same results");
        assertEquals(a.networkTestTop1(), b.networkTestTop1());
    }

    @Test
    void aTruncatedCheckpointIsOneLineNamingTheFileWithNoStackTrace() throws Exception {
        Path out = tmp.resolve("damaged");
        assertEquals(0, cli(layerwise("mnist", mnist, "hpca", 1, out)).code());
        Path run = out.resolve("runs/hpca/seed-0");
        Files.delete(run.resolve(LayerwiseRun.FILE));
        deleteTree(run.resolve("probes"));
        Path weights;
        try (var files = Files.list(run.resolve("network/ckpt-1/model"))) {
            weights = files.filter(f -> f.toString().endsWith(".npy")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100)); // cut short by a full disk
        Result r = cli(layerwise("mnist", mnist, "hpca", 1, out));
        assertEquals(2, r.code(), r.output());
        String error = r.output().lines().filter(l -> l.startsWith("hebbcnn: ")).findFirst().orElseThrow();
        assertTrue(error.contains(weights.toString()), error);
        assertTrue(error.contains("delete " + run.resolve("network")), "no earlier epoch to go back to: " + error);
        assertFalse(r.output().contains("\tat "), "no stack trace: " + r.output());
        assertFalse(r.output().contains("internal error"), r.output());
    }

    @Test
    void quickMnistWithHwtaIsLabelledQuick() throws Exception {
        Path out = tmp.resolve("quick");
        Result r = cli(layerwise("mnist", mnist, "hwta", 1, out, "--quick"));
        assertEquals(0, r.code(), r.output());
        JsonNode root = JSON.readTree(out.resolve(ResultsTable.RESULTS_JSON).toFile());
        assertTrue(root.get("quick").asBoolean());
        assertTrue(Files.readString(out.resolve(ResultsTable.TABLE_MD)).contains(ResultsTable.QUICK_BANNER));
        String notes = root.get("notes").toString();
        assertTrue(notes.contains("(paper: 20)") && notes.contains("deviates from the paper's schedule"),
                "the paper's network is held to the paper's schedule: " + notes);
        for (JsonNode row : root.get("rows")) {
            assertEquals("top1", row.get("metric").asText());
        }
        assertNotNull(LayerwiseRun.read(out.resolve("runs/hwta/seed-0")).orElse(null));
    }

    @Test
    void theVaeIsProbedOnItsEncoderLayersAndItsReconstructionsAreDrawn() throws Exception {
        Path out = tmp.resolve("vae");
        Result r = cli(layerwise("mnist", mnist, "vae", 1, out));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("validation loss"), r.output());
        JsonNode rows = JSON.readTree(out.resolve(ResultsTable.RESULTS_JSON).toFile()).get("rows");
        Set<Integer> layers = new HashSet<>();
        for (JsonNode row : rows) {
            if (row.get("method").asText().equals("vae")) {
                layers.add(row.get("layer").asInt());
                assertTrue(row.get("paper").isNumber(), "the paper's VAE column: " + row);
                assertTrue(row.get("mean").isNumber(), row.toString());
            }
        }
        assertEquals(Set.of(1, 2, 3, 4, 5), layers, "encoder layers only: the VAE has no classifier");
        assertTrue(Files.size(out.resolve("runs/vae/seed-0/reconstructions.png")) > 0);
    }

    @Test
    void anOutputFolderOfOtherSettingsIsRefused() throws Exception {
        Path out = tmp.resolve("mismatch");
        Files.createDirectories(out);
        Files.writeString(out.resolve("settings.txt"), "dataset=mnist quick=true epochs=7\n");
        Result r = cli(layerwise("cifar100", cifar100, "hpca", 1, out));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("other settings"), r.output());
    }

    @Test
    void badFlagsAreRefusedWithTheirName() {
        Result method = cli(layerwise("cifar100", cifar100, "hpca,sgd", 1, tmp.resolve("bad1")));
        assertEquals(2, method.code());
        assertTrue(method.output().contains("unknown method 'sgd'"), method.output());
        Result seeds = cli(layerwise("cifar100", cifar100, "hpca", 0, tmp.resolve("bad2")));
        assertEquals(2, seeds.code());
        assertTrue(seeds.output().contains("--seeds"), seeds.output());
        Result dataset = cli(layerwise("imagenet", cifar100, "hpca", 1, tmp.resolve("bad3")));
        assertEquals(2, dataset.code(), dataset.output());
        assertTrue(dataset.output().contains("unknown dataset 'imagenet'"), dataset.output());
    }

    private static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
