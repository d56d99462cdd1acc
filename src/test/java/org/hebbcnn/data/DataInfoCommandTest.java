package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `hebbcnn data info --data-dir DIR` on small generated datasets. */
class DataInfoCommandTest {
    @TempDir
    Path tmp;

    private static String line(String out, String start) {
        return out.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in:\n" + out));
    }

    private static String stats(float[] values) {
        StringBuilder sb = new StringBuilder();
        for (float v : values) {
            sb.append(String.format(Locale.ROOT, "%.4f  ", v));
        }
        return sb.toString().strip();
    }

    @Test
    void infoOfAnIdxDirectory() throws IOException {
        Path dir = tmp.resolve("tinymnist");
        TestFiles.writeIdxDataset(dir, 50, 20, 28, 10, true);
        TestFiles.CliRun run = TestFiles.cli("data", "info", "--data-dir", dir.toString());
        assertEquals(0, run.exitCode(), run.toString());
        String out = run.out();
        assertTrue(line(out, "dataset").endsWith("tinymnist"), out);
        assertTrue(line(out, "format").contains("IDX"), out);
        assertTrue(line(out, "images").contains("1x28x28 as stored; network input 3x32x32 (bilinear resize 28x28 -> 32x32, "
                + "grey channel replicated to 3)"), out);
        assertTrue(line(out, "official").contains("train 50  test 20"), out);
        assertTrue(line(out, "data seed").endsWith("200"), out);
        assertTrue(line(out, "splits").contains("train 40  validation 10  test 20"), out);

        // The statistics are those of the training split (seed 200) of the network input, nothing else.
        Splits splits = Splits.create(NetworkInput.prepare(Datasets.loadDirectory(dir, "x")), 200);
        ChannelNormalization expected = ChannelNormalization.fit(splits.train());
        assertEquals("mean  " + stats(expected.mean()), line(out, "  mean").strip(), out);
        assertEquals("std   " + stats(expected.std()), line(out, "  std").strip(), out);
        ChannelNormalization official = ChannelNormalization.fit(NetworkInput.prepare(Datasets.loadDirectory(dir, "x").train()));
        assertNotEquals(stats(official.mean()), stats(expected.mean()), "the check can tell the splits apart");

        int[] counts = splits.train().classCounts();
        assertTrue(out.contains(String.format("  %5d  %8d  %10d  %8d%n", 0, counts[0], splits.validation().classCounts()[0],
                splits.test().classCounts()[0])), out);
        assertEquals("", run.err(), run.toString());
    }

    @Test
    void seedAndValidationSizeOptions() throws IOException {
        Path dir = tmp.resolve("d");
        TestFiles.writeIdxDataset(dir, 50, 20, 28, 10, false);
        TestFiles.CliRun run = TestFiles.cli("data", "info", "--data-dir", dir.toString(), "--data-seed", "7",
                "--validation-size", "15");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(line(run.out(), "splits").contains("train 35  validation 15  test 20"), run.out());
        Splits splits = Splits.create(NetworkInput.prepare(Datasets.loadDirectory(dir, "d")), 7, 15);
        assertEquals("mean  " + stats(ChannelNormalization.fit(splits.train()).mean()), line(run.out(), "  mean").strip());

        run = TestFiles.cli("data", "info", "--data-dir", dir.toString(), "--validation-size", "50");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.toString());
        assertTrue(run.errLines()[0].contains("validation size 50"), run.toString());
    }

    @Test
    void infoOfACifar100Directory() throws IOException {
        Path dir = tmp.resolve("c100");
        TestFiles.writeCifar100Dataset(dir, 25, 5);
        TestFiles.CliRun run = TestFiles.cli("data", "info", "--data-dir", dir.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(line(run.out(), "format").contains("CIFAR-100"), run.out());
        assertTrue(line(run.out(), "images").endsWith("3x32x32 as stored; network input 3x32x32"), run.out());
        assertTrue(line(run.out(), "classes").contains("100 fine labels (used); 20 coarse labels kept"), run.out());
        assertTrue(line(run.out(), "splits").contains("train 20  validation 5  test 5"), run.out());
    }
}
