package org.hebbcnn.reports;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hebbcnn.util.Statistics;
import org.hebbcnn.util.Statistics.Summary;
import org.hebbcnn.reports.ResultsTable.Row;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTableTest {

    @TempDir
    Path tmp;

    static Summary s(double... runs) {
        return Statistics.summarize(runs);
    }

    /** mnist layer-wise: HPCA layer 1 mean 98.20 (paper 98.23 -> diff -0.03), HWTA layer 1 mean 98.30. */
    static ResultsTable mnistLayerwise(boolean quick) {
        return ResultsTable.builder("layerwise", "mnist")
                .quick(quick)
                .seeds(5)
                .note("epochs capped at 5 (paper: 20)")
                .layer("hpca", 1, s(98.1, 98.2, 98.3, 98.2, 98.2))
                .layer("hwta", 1, s(98.3, 98.3, 98.3, 98.3, 98.3))
                .layer("hpca", 2, s(98.5, 98.6, 98.4, 98.5, 98.5))
                .build();
    }

    static String read(Path p) throws Exception {
        return Files.readString(p);
    }

    @Test
    void builderFillsPaperValues() {
        ResultsTable t = mnistLayerwise(false);
        Row hpca1 = t.rows().get(0);
        assertEquals("top1", hpca1.metric());
        assertEquals(98.23, hpca1.paper());
        assertEquals(0.09, hpca1.paperCi95());
        assertEquals(-0.03, hpca1.diff().orElseThrow(), 1e-9);
        assertEquals(98.16, t.rows().get(1).paper());
        assertEquals(98.47, t.rows().get(2).paper());
        assertNull(hpca1.paperEpochs(), "the layer-wise table has no epochs");
    }

    @Test
    void writeThenReadBackEqual() throws Exception {
        ResultsTable t = ResultsTable.builder("layerwise", "cifar100")
                .quick(true)
                .seeds(5)
                .note("a note")
                .note("another, with a comma")
                .add(Row.forLayer("hpca", 1, "top5", s(60.1, 60.5, 61.0, 60.7, 60.2))
                        .withTop1(s(30.1, 30.2, 30.3, 30.4, 30.5)))
                .add(Row.forLayer("bp", 3, "top5", s(70.25)).withEpochs(12.4))
                .build();
        t.write(tmp);
        ResultsTable back = ResultsTable.read(tmp.resolve(ResultsTable.RESULTS_JSON));
        assertEquals(t, back);
        assertEquals(60.94, back.rows().get(0).paper());
        assertTrue(Double.isNaN(back.rows().get(1).ours().ci95()));
        assertEquals(12.4, back.rows().get(1).epochs());

        ResultsTable hybrid = ResultsTable.builder("retrain", "mnist").seeds(2)
                .add(Row.forConfig("HPCA+SHC", "BBBBHH", "top1", s(99.5, 99.6)).withEpochs(1.0))
                .config("BP", "BBBBBG", s(99.1, 99.3))
                .build();
        hybrid.write(tmp.resolve("sub"));
        assertEquals(hybrid, ResultsTable.read(tmp.resolve("sub").resolve("results.json")));
        assertEquals(15, hybrid.rows().get(1).paperEpochs());
    }

    @Test
    void jsonHasTheAgreedShape() throws Exception {
        ResultsTable t = mnistLayerwise(false);
        t.write(tmp);
        JsonNode root = new ObjectMapper().readTree(tmp.resolve("results.json").toFile());
        assertEquals("layerwise", root.get("experiment").asText());
        assertEquals("mnist", root.get("dataset").asText());
        assertFalse(root.get("quick").asBoolean());
        assertEquals(5, root.get("seeds").asInt());
        assertEquals("epochs capped at 5 (paper: 20)", root.get("notes").get(0).asText());
        JsonNode row = root.get("rows").get(0);
        assertEquals("hpca", row.get("method").asText());
        assertEquals(1, row.get("layer").asInt());
        assertFalse(row.has("config"));
        assertEquals("top1", row.get("metric").asText());
        assertEquals(98.2, row.get("mean").asDouble(), 1e-9);
        assertEquals(0.0877985, row.get("ci95").asDouble(), 1e-6);
        assertEquals(5, row.get("runs").size());
        assertEquals(98.23, row.get("paper").asDouble());
        assertEquals(0.09, row.get("paperCi95").asDouble());
        assertFalse(row.has("top1"));
        assertFalse(row.has("epochs"));
    }

    @Test
    void markdownShowsOursPaperAndDiff() throws Exception {
        mnistLayerwise(false).write(tmp);
        String md = read(tmp.resolve("table.md"));
        List<String> lines = md.lines().toList();
        assertTrue(lines.get(0).startsWith("# layerwise — mnist — top1"), lines.get(0));
        assertTrue(lines.get(0).contains("5 seeds"));
        assertFalse(md.contains("QUICK"), "not quick");
        assertTrue(md.contains("| layer | hpca ours | hpca paper | hpca diff | hwta ours | hwta paper | hwta diff |"), md);
        assertTrue(md.contains("| 1 | 98.20 ± 0.09 | 98.23 ± 0.09 | -0.03 | 98.30 ± 0.00 | 98.16 ± 0.05 | +0.14 |"), md);
        assertTrue(md.contains("| 2 | 98.50 ± 0.09 | 98.47 ± 0.09 | +0.03 |  |  |  |"), md);
        assertTrue(md.indexOf("- epochs capped at 5 (paper: 20)") > md.indexOf("| 2 |"), "notes under the table");
    }

    @Test
    void csvIsLongFormat() throws Exception {
        mnistLayerwise(false).write(tmp);
        List<String> lines = Files.readAllLines(tmp.resolve("table.csv"));
        assertTrue(lines.get(0).startsWith("experiment,dataset,method,key,metric,mean,ci95,paper,paper_ci95,diff,runs"));
        assertEquals(ResultsTable.CSV_HEADER, lines.get(0));
        assertEquals(4, lines.size());
        String hpca1 = lines.get(1);
        assertTrue(hpca1.startsWith("layerwise,mnist,hpca,1,top1,98.2,0.0878,98.23,0.09,-0.03,98.1;98.2;98.3;98.2;98.2,"),
                hpca1);
        assertTrue(hpca1.endsWith(",false"), hpca1);
        assertTrue(lines.get(2).startsWith("layerwise,mnist,hwta,1,top1,98.3,0,98.16,0.05,0.14,"), lines.get(2));
    }

    @Test
    void datasetWithoutPaperValues() throws Exception {
        ResultsTable t = ResultsTable.builder("layerwise", "fashion").seeds(3)
                .layer("hpca", 1, s(88.0, 89.0, 90.0))
                .build();
        assertNull(t.rows().get(0).paper());
        assertTrue(t.rows().get(0).diff().isEmpty());
        t.write(tmp);
        JsonNode row = new ObjectMapper().readTree(tmp.resolve("results.json").toFile()).get("rows").get(0);
        assertTrue(row.get("paper").isNull());
        assertTrue(row.get("paperCi95").isNull());
        String md = read(tmp.resolve("table.md"));
        assertTrue(md.contains("| 1 | 89.00 ± 2.48 |\n"), "ours only, no paper or diff column: " + md);
        assertFalse(md.contains("paper |") || md.contains("diff |"), md);
        assertTrue(md.contains("fashion is not one of the paper's datasets"), md);
        assertTrue(md.lines().findFirst().orElseThrow().contains("3 seeds"));
        String csv = Files.readAllLines(tmp.resolve("table.csv")).get(1);
        assertTrue(csv.startsWith("layerwise,fashion,hpca,1,top1,89,2.4841,,,,88.0;89.0;90.0,"), csv);
        assertEquals(t, ResultsTable.read(tmp.resolve("results.json")));
    }

    @Test
    void quickFlagInAllThreeOutputs() throws Exception {
        mnistLayerwise(true).write(tmp);
        String md = read(tmp.resolve("table.md"));
        assertTrue(md.lines().findFirst().orElseThrow().endsWith("QUICK PROFILE (not the paper's schedule)"), md);
        JsonNode root = new ObjectMapper().readTree(tmp.resolve("results.json").toFile());
        assertTrue(root.get("quick").asBoolean());
        List<String> csv = Files.readAllLines(tmp.resolve("table.csv"));
        assertTrue(csv.get(0).endsWith(",quick"));
        assertTrue(csv.stream().skip(1).allMatch(l -> l.endsWith(",true")), csv.toString());
    }

    @Test
    void cifar100ComparesTop5AndKeepsTop1Aside() throws Exception {
        ResultsTable t = ResultsTable.builder("layerwise", "cifar100")
                .add(Row.forLayer("hpca", 1, "top5", s(61, 61, 61, 61, 61)).withTop1(s(30, 31, 32, 31, 31)))
                .add(Row.forLayer("hwta", 1, "top1", s(30, 30, 30, 30, 30)))
                .build();
        assertEquals("top5", t.rows().get(0).metric());
        assertEquals(60.94, t.rows().get(0).paper());
        assertNull(t.rows().get(1).paper(), "a top-1 figure must not be compared with the paper's top-5");
        t.write(tmp);
        String md = read(tmp.resolve("table.md"));
        assertTrue(md.contains("hpca ours top1"), md);
        assertTrue(md.contains("| 1 | 61.00 ± 0.00 | 60.94 ± 0.09 | +0.06 | 31.00 ± 0.88 |"), md);
        List<String> csv = Files.readAllLines(tmp.resolve("table.csv"));
        assertEquals(4, csv.size());
        assertTrue(csv.get(2).startsWith("layerwise,cifar100,hpca,1,top1,31,0.8780,,,,30.0;31.0;32.0;31.0;31.0,")
                || csv.get(2).startsWith("layerwise,cifar100,hpca,1,top1,31,0.878,,,,30.0;31.0;32.0;31.0;31.0,"),
                csv.get(2));
        JsonNode row = new ObjectMapper().readTree(tmp.resolve("results.json").toFile()).get("rows").get(0);
        assertEquals(31.0, row.get("top1").get("mean").asDouble(), 1e-9);
    }

    @Test
    void hybridAndClassifierTables() throws Exception {
        ResultsTable h = ResultsTable.builder("hybrid", "mnist")
                .config("hpca", "HHHHHG", s(98.5, 98.6))
                .config("hwta", "HHHHHG", s(97.0, 97.1))
                .build();
        assertEquals(98.53, h.rows().get(0).paper());
        assertEquals(97.15, h.rows().get(1).paper());
        h.write(tmp);
        assertTrue(read(tmp.resolve("table.md")).contains("| config | hpca ours |"));

        ResultsTable c = ResultsTable.builder("classifiers", "mnist")
                .add(Row.forLayer("SHC", 1, "top1", s(89.0)).withEpochs(9.0))
                .build();
        assertEquals(89.06, c.rows().get(0).paper());
        assertEquals(10, c.rows().get(0).paperEpochs());
        c.write(tmp.resolve("c"));
        String md = read(tmp.resolve("c").resolve("table.md"));
        assertTrue(md.contains("| 1 | 89.00 ± n/a | 89.06 ± 0.04 | -0.06 | 9 / 10 |"), md);
        assertTrue(md.lines().findFirst().orElseThrow().contains("1 seed"));
    }

    @Test
    void rewritingLeavesNoTemporaryFiles() throws Exception {
        mnistLayerwise(false).write(tmp);
        mnistLayerwise(true).write(tmp);
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("results.json", "table.csv", "table.md"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(ResultsTable.read(tmp.resolve("results.json")).quick());
    }

    @Test
    void invalidTablesAreRejected() throws Exception {
        ResultsTable.Builder twice = ResultsTable.builder("layerwise", "mnist")
                .layer("hpca", 1, s(1, 2)).layer("hpca", 1, s(3, 4));
        assertThrows(IllegalArgumentException.class, twice::build);
        assertThrows(IllegalArgumentException.class, () -> ResultsTable.builder("layerwise", "mnist").seeds(0));
        assertThrows(IllegalArgumentException.class,
                () -> new ResultsTable("layerwise", "mnist", false, 0, List.of(), List.of()));
        assertEquals(3, ResultsTable.builder("layerwise", "mnist").layer("bp", 1, s(1))
                .layer("bp", 2, s(1, 2, 3)).build().seeds(), "seeds inferred from the runs");
        assertThrows(IllegalArgumentException.class,
                () -> new Row("hpca", 1, "HHHHHG", "top1", s(1), null, null, null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new Row("hpca", null, null, "top1", s(1), null, null, null, null, null));

        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"experiment\": \"layerwise\", ");
        assertThrows(InputError.class, () -> ResultsTable.read(bad));
        Files.writeString(bad, "{\"experiment\": \"layerwise\", \"dataset\": \"mnist\", \"quick\": false, \"seeds\": 5,"
                + " \"rows\": [{\"method\": \"hpca\", \"metric\": \"top1\", \"mean\": 1, \"runs\": [1]}]}");
        InputError e = assertThrows(InputError.class, () -> ResultsTable.read(bad));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    }

    @Test
    void signedDiffFormatting() {
        assertEquals("+0.14", ResultsTable.signed2(0.1400000001));
        assertEquals("-0.03", ResultsTable.signed2(98.2 - 98.23));
        assertEquals("+0.00", ResultsTable.signed2(-0.001));
        assertEquals("+1.00", ResultsTable.signed2(0.999));
    }
}
