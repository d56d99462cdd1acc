package org.hebbcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hebbcnn.data.TestFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 3: an output path that cannot be created or written is bad input (one line naming
 * the path and the reason, exit 2), never "internal error".
 *
 * <p>The tests run as root, who may write into a folder whatever its permission bits say, so a
 * chmod'ed temporary folder would not be read-only for them. Read-only here is {@code /sys}: sysfs
 * refuses new files and folders even to root ("Permission denied", "Operation not permitted").
 * Not-a-directory is a path under a regular file.
 */
class OutputPathErrorsTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path file;

    @BeforeAll
    static void setUp() throws Exception {
        data = tmp.resolve("digits");
        TestFiles.writeIdxDataset(data, 80, 30, 28, 10, true);
        file = tmp.resolve("a-file");
        Files.writeString(file, "not a folder\n");
    }

    private static CliRunner.Result layerwise(String out) {
        return CliRunner.run("experiment", "layerwise", "--data-dir", data.toString(),
                "--methods", "hpca", "--seeds", "1", "--epochs", "1", "--probe-epochs", "1", "--out", out);
    }

    private static void assertOneLineInputError(CliRunner.Result r, String... expected) {
        assertEquals(2, r.code(), r.output());
        assertFalse(r.output().contains("internal error"), r.output());
        List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r.output());
        assertTrue(lines.get(0).startsWith("hebbcnn: "), r.output());
        for (String e : expected) {
            assertTrue(lines.get(0).contains(e), "'" + e + "' in: " + r.output());
        }
    }

    @Test
    void anOutputFolderUnderARegularFileIsRefusedInOneLine() {
        assertOneLineInputError(layerwise(file.resolve("foo").toString()), "--out", file + " is not a directory");
        assertOneLineInputError(CliRunner.run("quickstart", "--out", file.resolve("q").toString()),
                file + " is not a directory");
        assertOneLineInputError(CliRunner.run("report", tmp.toString(), "--out", file.resolve("r").toString()),
                file + " is not a directory");
        assertOneLineInputError(CliRunner.run("kernels", "--weights", tmp.resolve("w.npy").toString(), "--out",
                file.resolve("k.png").toString()), file + " is not a directory");
    }

    @Test
    void aReadOnlyOutputFolderIsRefusedInOneLine() {
        assertOneLineInputError(layerwise("/sys"), "--out /sys", "cannot create or write");
        assertOneLineInputError(layerwise("/sys/hebbcnn-test-out"), "--out /sys/hebbcnn-test-out", "cannot create or write");
        assertFalse(Files.exists(Path.of("/sys/hebbcnn-test-out")));
    }

    @Test
    void aFullOrReadOnlyDiskDuringARunIsAOneLineErrorToo() {
        String err = CapturedErr.of(() -> assertEquals(2, Main.handle(new UncheckedIOException(
                new FileSystemException("/scratch/runs/x/ckpt-3/model.npz", null, "No space left on device")), false)));
        assertEquals("hebbcnn: cannot write: /scratch/runs/x/ckpt-3/model.npz: No space left on device", err.strip());
        String bug = CapturedErr.of(() -> assertEquals(1, Main.handle(new IllegalStateException("a bug"), false)));
        assertTrue(bug.contains("internal error"), "a bug is still reported as one: " + bug);
    }

    /** Standard error of a block, as a string. */
    static final class CapturedErr {
        static String of(Runnable r) {
            java.io.PrintStream err = System.err;
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(buf, true));
            try {
                r.run();
            } finally {
                System.setErr(err);
            }
            return buf.toString();
        }
    }
}
