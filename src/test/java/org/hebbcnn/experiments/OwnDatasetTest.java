package org.hebbcnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hebbcnn.cli.CliRunner;
import org.hebbcnn.data.TestFiles;
import org.hebbcnn.reports.ResultsTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 9, end to end: {@code --data-dir D} is enough by itself, the run is named after the
 * folder and no paper column is shown; {@code --dataset mnist} on files that are not MNIST says so in
 * one line and labels the table with the folder's name.
 */
@Tag("slow")
class OwnDatasetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRunner.Result layerwise(Path data, Path out, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("experiment", "layerwise"));
        args.addAll(java.util.List.of(extra));
        args.addAll(java.util.List.of("--data-dir", data.toString(), "--methods", "hpca", "--seeds", "1", "--epochs",
                "1", "--probe-epochs", "1", "--out", out.toString()));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static void assertNoPaper(Path out, String name) throws Exception {
        JsonNode root = JSON.readTree(out.resolve(ResultsTable.RESULTS_JSON).toFile());
        assertEquals(name, root.get("dataset").asText());
        assertTrue(root.get("rows").size() > 0);
        for (JsonNode row : root.get("rows")) {
            assertTrue(row.get("paper").isNull(), "no paper figure: " + row);
        }
        String md = Files.readString(out.resolve(ResultsTable.TABLE_MD));
        assertTrue(md.startsWith("# layerwise — " + name + " — top1"), md);
        assertFalse(md.contains(" paper |") || md.contains(" diff |"), "no paper columns:\n" + md);
    }

    @Test
    void aDataDirAloneRunsNamedAfterTheFolderWithoutThePapersColumns() throws Exception {
        Path data = tmp.resolve("fashion");
        TestFiles.writeIdxDataset(data, 80, 30, 28, 10, true);
        CliRunner.Result r = layerwise(data, tmp.resolve("out"));
        assertEquals(0, r.code(), r.output());
        assertFalse(r.output().contains("warning"), r.output());
        assertNoPaper(tmp.resolve("out"), "fashion");
    }

    @Test
    void aPaperDatasetNamedForOtherFilesIsSaidInOneLineAndNotUsed() throws Exception {
        Path data = tmp.resolve("fashion");
        TestFiles.writeIdxDataset(data, 80, 30, 28, 10, true);
        CliRunner.Result r = layerwise(data, tmp.resolve("out"), "--dataset", "mnist");
        assertEquals(0, r.code(), r.output());
        assertEquals(1, r.output().lines().filter(l -> l.contains("these files are not mnist")).count(), r.output());
        assertNoPaper(tmp.resolve("out"), "fashion");
    }
}
