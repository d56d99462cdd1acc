package org.hebbcnn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 1: no PyTorch deprecation warning on standard error. DJL's {@code NDArray.set(Buffer)}
 * opens the deprecated {@code AutoNonVariableTypeMode} guard natively; the modules now copy with
 * {@link Djl#assign}. The warning is printed once per process, so the check runs in a fresh JVM.
 */
// Slow: starts a fresh JVM with the native library. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class NativeWarningTest {

    @Test
    void initialisingSavingAndLoadingEveryModulePrintsNoNativeWarning(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                NativeWarningProbe.class.getName());
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
        String stdout = read(out);
        String stderr = read(err);
        assertEquals(0, p.exitValue(), stdout + stderr);
        assertTrue(stdout.contains("probe done"), stdout + stderr);
        assertFalse(stderr.contains("AutoNonVariableTypeMode"), stderr);
        assertFalse(stderr.contains("Warning:"), stderr);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
