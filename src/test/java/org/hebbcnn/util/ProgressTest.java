package org.hebbcnn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.cli.CliRunner;
import org.hebbcnn.data.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17, item 2: plain, bounded progress lines for logs; bars only where asked for (or on a terminal). */
class ProgressTest {

    @AfterEach
    void reset() {
        Progress.setMode(null);
        Progress.setOutput(null);
    }

    @Test
    void linesModePrintsAtMostOneLinePerTenthWithRateAndEtaAndNoCarriageReturn() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(buf, true, StandardCharsets.UTF_8);
        // No minimum interval and a 2 ms refresh: only the tenths limit the lines here.
        try (ProgressBar bar = Progress.lines("hpca epoch 1/1", 200, stream, Duration.ZERO, 2)) {
            for (int i = 0; i < 200; i++) {
                bar.step();
                bar.setExtraMessage(" train acc 50.0%");
                Thread.sleep(1);
            }
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), text);
        List<String> lines = text.lines().toList();
        assertTrue(lines.size() >= 3 && lines.size() <= 11, "one line per tenth at most, and the last:\n" + text);
        assertTrue(lines.get(0).startsWith("hpca epoch 1/1: "), text);
        assertTrue(lines.stream().anyMatch(l -> l.contains("ETA ") && l.contains(" it/s")), text);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains("100% 200/200") && last.contains("done") && last.contains("train acc 50.0%"), last);
    }

    @Test
    void linesModeWaitsThirtySecondsBetweenLines() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (ProgressBar bar = Progress.lines("probes", 100, stream, Progress.MIN_INTERVAL, 2)) {
            for (int i = 0; i < 100; i++) {
                bar.step();
                Thread.sleep(1);
            }
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), "a stage shorter than 30 s prints its last line only: " + lines);
    }

    @Test
    void barModeKeepsTheRedrawnBarAndNonePrintsNothing() {
        for (Progress.Mode mode : new Progress.Mode[] {Progress.Mode.BAR, Progress.Mode.NONE}) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            Progress.setOutput(new PrintStream(buf, true, StandardCharsets.UTF_8));
            Progress.setMode(mode);
            try (ProgressBar bar = Progress.bar("task", 10)) {
                bar.stepBy(10);
            }
            String text = buf.toString(StandardCharsets.UTF_8);
            if (mode == Progress.Mode.BAR) {
                assertTrue(text.contains("\r") && text.contains("task 100%"), text);
            } else {
                assertEquals("", text);
            }
        }
    }

    @Test
    void aBadModeIsAnInputError() {
        assertThrows(InputError.class, () -> Progress.Mode.parse("fancy", Progress.ENV));
        assertEquals(Progress.Mode.LINES, Progress.Mode.parse("Lines", Progress.ENV));
        CliRunner.Result r = CliRunner.run("--progress", "fancy", "data", "info", "mnist");
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("--progress"), r.output());
    }

    /** A whole (tiny) layer-wise run with --progress lines after the subcommand: a log with no redraws. */
    @Test
    @Tag("slow")
    void aTrainingRunInLinesModeWritesAShortPlainLog(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("digits");
        TestFiles.writeIdxDataset(data, 80, 30, 28, 10, true);
        CliRunner.Result r = CliRunner.run("experiment", "layerwise", "--progress", "lines", "--dataset", "mnist",
                "--data-dir", data.toString(), "--methods", "hpca", "--seeds", "1", "--epochs", "1",
                "--probe-epochs", "1", "--out", tmp.resolve("out").toString());
        assertEquals(0, r.code(), r.output());
        assertFalse(r.output().contains("\r"), r.output());
        long progressLines = r.output().lines().filter(l -> l.contains(" it/s, elapsed ")).count();
        assertTrue(progressLines >= 2 && progressLines <= 2 * 11, "network and probe stages:\n" + r.output());
        assertTrue(r.output().lines().count() < 60, r.output());
    }
}
