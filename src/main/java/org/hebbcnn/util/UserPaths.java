package org.hebbcnn.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Paths the user names for output ({@code --out}, {@code --json}). A folder that cannot be created
 * or written (a file in the way, a read-only file system, no permission, no space left) is bad input,
 * not a bug: it becomes an {@link InputError} naming the option, the path and the reason, so the CLI
 * prints one line and exits with code 2. Checked before any work starts, so a long run is not lost
 * to a typo in {@code --out}.
 */
public final class UserPaths {
    private UserPaths() {}

    /** Creates {@code dir} (and its parents) and checks that a file can be written in it. */
    public static Path outputFolder(Path dir, String option) {
        return outputFolder(dir, option, dir);
    }

    private static Path outputFolder(Path dir, String option, Path named) {
        try {
            Files.createDirectories(dir);
            Path probe = dir.resolve(".hebbcnn-write-test-" + ProcessHandle.current().pid());
            Files.deleteIfExists(probe);
            Files.write(probe, new byte[] {1});
            Files.delete(probe);
        } catch (IOException e) {
            throw cannotWrite(option, named, e);
        }
        return dir;
    }

    /** Checks that {@code file}'s folder can be created and written ({@link #outputFolder}). */
    public static Path outputFile(Path file, String option) {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new InputError(option + " " + file + ": is a folder, a file name is needed");
        }
        if (parent != null) {
            outputFolder(parent, option, file);
        }
        return file;
    }

    /** "--out /etc/passwd/foo: cannot create or write there: /etc/passwd is not a directory". */
    public static InputError cannotWrite(String option, Path path, IOException e) {
        return new InputError((option == null ? "" : option + " ") + path + ": cannot create or write there: "
                + reason(e), e);
    }

    /** The reason of a file-system failure in words, naming the file it is about. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            String file = f.getFile();
            if (e instanceof NotDirectoryException) {
                return file + " is not a directory";
            }
            if (e instanceof FileAlreadyExistsException) {
                return file + " is not a directory";
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied on " + file + " (read-only?)";
            }
            if (e instanceof NoSuchFileException) {
                return file + " cannot be created (no such file or directory)";
            }
            String why = f.getReason();
            if (why != null && why.contains("Not a directory")) {
                // Files.createDirectories reports a regular file on the way as FileSystemException("Not a directory").
                return firstFileOnTheWay(file) + " is not a directory";
            }
            return (file == null ? "" : file + ": ") + (why == null ? e.getClass().getSimpleName() : why);
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The nearest existing ancestor of {@code path} that is not a directory (or {@code path} itself). */
    private static String firstFileOnTheWay(String path) {
        if (path == null) {
            return "a path component";
        }
        for (Path p = Path.of(path); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                return p.toString();
            }
        }
        return path;
    }
}
