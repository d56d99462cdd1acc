package org.hebbcnn.config;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.hebbcnn.util.AtomicFiles;

/**
 * What a results folder needs to be traced and rerun ({@code run.json}, beside the resolved
 * {@code config.yaml}): the command, the project's git commit, the seeds, library versions, the
 * machine, and the wall time. Written when a run starts and again when it ends, so a crashed run
 * still says what it was. A folder's earlier invocations (a long run resumed over several sessions)
 * are kept in {@code earlier}, oldest first, so that their commits and wall times are not lost.
 */
public record RunRecord(String command, String gitCommit, boolean gitDirty, int seeds, String java, String djl,
        String pytorch, String os, int cores, int gpus, long maxMemoryMiB, String started, String finished,
        Double wallSeconds, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RunRecord> earlier) {
    public static final String FILE = "run.json";
    public static final String CONFIG = "config.yaml";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RunRecord {
        earlier = earlier == null ? List.of() : List.copyOf(earlier); // absent from a file: none
    }

    /** The record of a run starting now. */
    public static RunRecord start(String command, int seeds) {
        String[] git = git();
        Engine engine = Engine.getInstance();
        return new RunRecord(command, git[0], Boolean.parseBoolean(git[1]), seeds, System.getProperty("java.version"),
                String.valueOf(Engine.class.getPackage().getSpecificationVersion()),
                engine.getEngineName() + " " + engine.getVersion(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), engine.getGpuCount(),
                Runtime.getRuntime().maxMemory() >> 20, Instant.now().toString(), null, null, List.of());
    }

    /**
     * This record with the invocations recorded in {@code dir}'s {@value #FILE} before it (that
     * file's own and its {@code earlier}) as its {@code earlier}; unchanged where there is no such
     * file or it cannot be read (a record is not worth failing a run for).
     */
    public RunRecord after(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return this;
        }
        try {
            RunRecord before = JSON.readValue(file.toFile(), RunRecord.class);
            List<RunRecord> all = new ArrayList<>(before.earlier());
            all.add(before.withEarlier(List.of()));
            return withEarlier(all);
        } catch (IOException | RuntimeException e) {
            return this;
        }
    }

    private RunRecord withEarlier(List<RunRecord> e) {
        return new RunRecord(command, gitCommit, gitDirty, seeds, java, djl, pytorch, os, cores, gpus, maxMemoryMiB,
                started, finished, wallSeconds, e);
    }

    /** The same record, finished now. */
    public RunRecord finish() {
        Instant end = Instant.now();
        return new RunRecord(command, gitCommit, gitDirty, seeds, java, djl, pytorch, os, cores, gpus, maxMemoryMiB,
                started, end.toString(), (end.toEpochMilli() - Instant.parse(started).toEpochMilli()) / 1000.0, earlier);
    }

    /** Writes {@code run.json} and the resolved {@code config.yaml} into {@code dir}, atomically. */
    public void write(Path dir, ExperimentConfig resolved) throws IOException {
        Files.createDirectories(dir);
        resolved.save(dir.resolve(CONFIG));
        AtomicFiles.writeString(dir.resolve(FILE), JSON.writeValueAsString(this));
    }

    private static String[] gitOnce;

    /** The git commit the program runs from (with "+dirty" when tracked files changed), or "unknown". */
    public static synchronized String currentCommit() {
        if (gitOnce == null) {
            gitOnce = git();
        }
        return gitOnce[0] + (Boolean.parseBoolean(gitOnce[1]) ? "+dirty" : "");
    }

    /**
     * {commit, dirty} of the code that runs: as the build recorded it in the jar
     * ({@value #BUILD_GIT}, written by the git-commit-id plugin), so that a jar started from any
     * folder names its commit; without that file (a build outside a checkout), the git checkout of
     * the working directory; else {"unknown", "false"}.
     */
    private static String[] git() {
        String[] built = builtFrom(RunRecord.class.getResourceAsStream("/" + BUILD_GIT));
        if (built != null) {
            return built;
        }
        String commit = run(List.of("git", "rev-parse", "HEAD"));
        if (commit == null || commit.isBlank()) {
            return new String[] {"unknown", "false"};
        }
        String status = run(List.of("git", "status", "--porcelain", "--untracked-files=no"));
        return new String[] {commit.trim(), String.valueOf(status != null && !status.isBlank())};
    }

    static final String BUILD_GIT = "hebbcnn-git.properties";

    /** {commit, dirty} from the build's properties, or null when absent or without a commit. */
    static String[] builtFrom(InputStream in) {
        if (in == null) {
            return null;
        }
        Properties p = new Properties();
        try (in) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        String commit = p.getProperty("git.commit.id", "").trim();
        return commit.isEmpty() ? null : new String[] {commit, String.valueOf(Boolean.parseBoolean(p.getProperty("git.dirty")))};
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
