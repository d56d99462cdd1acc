package org.hebbcnn.util;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old content or the whole new content, never half of
 * it: the content goes to a temporary file in the same directory (same file system) and is then
 * renamed over the target with {@code ATOMIC_MOVE}. A crash leaves at worst a stray
 * {@code .<name>.*.tmp} file beside an intact target.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Fills the temporary file, which does not exist yet (create it with CREATE_NEW). */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    /** Writes {@code target} atomically through {@code content}, creating the parent directory. */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // not Files.createTempFile: that makes the file owner-only (0600) on POSIX
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        boolean moved = false;
        try {
            content.writeTo(tmp);
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

    /** Writes {@code text} (UTF-8) to {@code target} atomically, flushed to disk before the rename. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                    Writer w = Channels.newWriter(ch, StandardCharsets.UTF_8)) {
                w.write(text);
                w.flush();
                ch.force(true);
            }
        });
    }
}
