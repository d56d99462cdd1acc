package org.hebbcnn.util;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplaces() throws Exception {
        Path f = tmp.resolve("deep/er/table.md");
        AtomicFiles.writeString(f, "first ± é");
        assertEquals("first ± é", Files.readString(f));
        AtomicFiles.writeString(f, "second");
        assertEquals("second", Files.readString(f));
        assertEquals(List.of("table.md"), names(f.getParent()));
    }

    @Test
    void failedMoveLeavesTargetIntactAndNoTemporary() throws Exception {
        // The target is a non-empty directory: the final rename fails after the temporary was written.
        Path target = tmp.resolve("results.json");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep"), "old");
        assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "new"));
        assertEquals("old", Files.readString(target.resolve("keep")));
        assertEquals(List.of("results.json"), names(tmp), "temporary file removed");
    }
}
