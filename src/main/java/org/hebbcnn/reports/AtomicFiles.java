package org.hebbcnn.reports;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old content or the whole new content, never half of
 * it: the text goes to a temporary file in the same directory (same file system), is flushed to disk,
 * and is then renamed over the target with {@code ATOMIC_MOVE}. A crash leaves at worst a stray
 * {@code .<name>.*.tmp} file beside an intact target.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes {@code text} (UTF-8) to {@code target} atomically, creating the parent directory. */
    public static void writeString(Path target, String text) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    Writer w = java.nio.channels.Channels.newWriter(ch, StandardCharsets.UTF_8)) {
                w.write(text);
                w.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Some file systems (rare for a same-directory rename) cannot; a plain replace is the best left.
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
