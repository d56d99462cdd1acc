package org.hebbcnn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.experiments.OutputFolder;
import org.hebbcnn.grid.JobGraph;
import org.hebbcnn.grid.Node;
import org.hebbcnn.grid.SlurmScripts;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.InputError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hebbcnn slurm submit|status}: the grid as Slurm job arrays. */
@Command(name = "slurm", mixinStandardHelpOptions = true, description = "Run the whole grid on a Slurm cluster.",
        subcommands = {SlurmCommand.Submit.class, SlurmCommand.Status.class})
public final class SlurmCommand implements Runnable {
    /** Where a submission's job ids are kept. */
    static final String JOBS = "jobs.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Write one sbatch script per level of the plan to OUT/slurm/ (a job array over the level's "
                    + "unfinished nodes, each task calling train-node, after the level below: afterok), and a last job "
                    + "that runs experiment all (scores the hybrids, writes the tables) and report; then submit them. "
                    + "Logs: OUT/slurm/logs/%A_%a.out. Submitting again after a failure submits only what is unfinished.",
                "Without --config or --dataset, the configuration recorded in --out is used."})
    static final class Submit implements Callable<Integer> {
        @Mixin
        GridOptions grid;

        @Option(names = "--partition", description = "sbatch --partition.")
        String partition;

        @Option(names = "--time", description = "sbatch --time of every job, e.g. 12:00:00.")
        String time;

        @Option(names = "--cpus-per-task", description = "sbatch --cpus-per-task; PyTorch uses that many threads.")
        Integer cpus;

        @Option(names = "--gpus-per-task", description = "sbatch --gpus-per-task; the jobs load the CUDA libtorch of "
                + "PYTORCH_LIBRARY_PATH (README, GPU; submit from the -Pgpu build).")
        Integer gpus;

        @Option(names = "--mem", description = "sbatch --mem, e.g. 20G.")
        String mem;

        @Option(names = "--extra", description = "More sbatch options for every job, e.g. \"--account=lab --qos=normal\".")
        String extra;

        @Option(names = "--dry-run", description = "Write the scripts and print the sbatch commands; submit nothing.")
        boolean dryRun;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ExperimentConfig config = grid.resolve();
            Path out = grid.profile.out.toAbsolutePath().normalize();
            JobGraph g = JobGraph.of(config, out);
            if (cpus != null && cpus < 1 || gpus != null && gpus < 0) {
                throw new InputError("--cpus-per-task must be at least 1 and --gpus-per-task at least 0");
            }
            List<String> queued = dryRun ? List.of() : stillQueued(out);
            if (!queued.isEmpty()) {
                throw new InputError("jobs " + String.join(",", queued) + " of the previous submission to " + out
                        + " are still queued or running: wait for them or scancel them, then submit again");
            }
            OutputFolder.claim(out, g.workspace().identity());
            List<List<String>> unfinished = g.unfinishedByLevel();
            int todo = unfinished.stream().mapToInt(List::size).sum();
            SlurmScripts scripts = new SlurmScripts(out, javaCommand(out.resolve(SlurmScripts.DIR)),
                    new SlurmScripts.Resources(partition, time, cpus, gpus, mem, extra));
            List<SlurmScripts.Job> jobs = scripts.write(unfinished, g.config().toYaml());
            PrintWriter w = spec.commandLine().getOut();
            w.println("grid of " + out + ": " + g.nodes().size() + " nodes, " + todo + " unfinished, in "
                    + (jobs.size() - 1) + " job array" + (jobs.size() == 2 ? "" : "s") + " and a report job; scripts in "
                    + scripts.dir());
            for (SlurmScripts.Job j : jobs) {
                w.println("  " + j.script().getFileName() + (j.report() ? ": experiment all (tables) and report"
                        : ": " + j.nodes().size() + " node" + (j.nodes().size() == 1 ? "" : "s") + " (array 0-"
                                + (j.nodes().size() - 1) + ")"));
            }
            if (dryRun) {
                w.println("dry run, nothing submitted; the commands (also " + scripts.dir().resolve(SlurmScripts.SUBMIT) + "):");
                w.print(Files.readString(scripts.dir().resolve(SlurmScripts.SUBMIT)).lines()
                        .filter(l -> !l.startsWith("#") && !l.startsWith("set ") && !l.startsWith("echo"))
                        .map(l -> "  " + l + "\n").reduce("", String::concat));
                w.flush();
                return 0;
            }
            String prev = null;
            List<Map<String, Object>> submitted = new ArrayList<>();
            for (SlurmScripts.Job j : jobs) {
                List<String> cmd = SlurmScripts.sbatch(j, prev);
                String id = runTool(cmd, null).trim();
                int semi = id.indexOf(';');
                id = semi >= 0 ? id.substring(0, semi) : id;
                if (!id.matches("\\d+")) {
                    throw new InputError("sbatch answered '" + id + "' to " + String.join(" ", cmd));
                }
                w.println(String.join(" ", cmd) + " -> job " + id);
                w.flush();
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("level", j.level());
                r.put("job", id);
                r.put("script", j.script().toString());
                r.put("nodes", j.nodes());
                submitted.add(r);
                prev = id;
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("submitted", Instant.now().toString());
            root.put("jobs", submitted);
            AtomicFiles.writeString(scripts.dir().resolve(JOBS), JSON.writeValueAsString(root) + "\n");
            w.println("submitted; follow with ./hebbcnn slurm status --out " + out);
            w.flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The grid's nodes and their state: from squeue/sacct for the jobs of the last submission where "
                    + "those exist, and from the results folder (checkpoints, results, locks).")
    static final class Status implements Callable<Integer> {
        @Mixin
        GridOptions grid;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ExperimentConfig config = grid.resolve();
            Path out = grid.profile.out.toAbsolutePath().normalize();
            JobGraph g = JobGraph.of(config, out);
            Map<String, String> taskOfNode = new HashMap<>();
            Map<String, String> slurmState = new HashMap<>();
            String reportJob = null;
            Path jobs = out.resolve(SlurmScripts.DIR).resolve(JOBS);
            List<String> ids = new ArrayList<>();
            if (Files.isRegularFile(jobs)) {
                for (JsonNode j : JSON.readTree(jobs.toFile()).path("jobs")) {
                    String id = j.path("job").asText();
                    ids.add(id);
                    if (j.path("level").asInt() < 0) {
                        reportJob = id;
                    }
                    int i = 0;
                    for (JsonNode n : j.path("nodes")) {
                        taskOfNode.put(n.asText(), id + "_" + i++);
                    }
                }
                slurmState.putAll(queueStates(ids));
            }
            PrintWriter w = spec.commandLine().getOut();
            Map<String, Integer> counts = new LinkedHashMap<>();
            StringBuilder t = new StringBuilder("| level | node | state | slurm |\n| ---: | --- | --- | --- |\n");
            for (Node n : g.nodes().stream().sorted(java.util.Comparator.comparingInt(Node::level)).toList()) {
                JobGraph.State s = g.state(n);
                String task = taskOfNode.get(n.id());
                String sl = task == null ? "-" : task + " " + slurmState.getOrDefault(task,
                        slurmState.getOrDefault(task.substring(0, task.indexOf('_')), "gone from squeue"));
                counts.merge(s.progress().label(), 1, Integer::sum);
                t.append("| ").append(n.level()).append(" | ").append(n.id()).append(" | ").append(s.describe())
                        .append(" | ").append(sl).append(" |\n");
            }
            List<String> c = new ArrayList<>();
            counts.forEach((k, v) -> c.add(v + " " + k));
            w.println(out + ": " + g.nodes().size() + " nodes, " + String.join(", ", c)
                    + (Files.isRegularFile(jobs) ? "" : " (no submission recorded in " + jobs + ")"));
            w.println();
            w.print(t);
            if (reportJob != null) {
                w.println();
                w.println("report job " + reportJob + ": " + slurmState.getOrDefault(reportJob, "gone from squeue")
                        + (Files.isRegularFile(out.resolve("hybrid").resolve("results.json")) ? "; tables written" : ""));
            }
            w.flush();
            return 0;
        }
    }

    /**
     * The command a job runs the program with: a copy, in {@code slurmDir/program/}, of the jar this
     * process runs from and its {@code lib/}, so that rebuilding while the grid runs changes nothing in
     * it (or this process's class path, when it does not run from a jar: the tests).
     */
    static String javaCommand(Path slurmDir) throws IOException {
        // env: the malloc settings the launcher gives (NativeAllocator says why)
        String javaBin = "env " + org.hebbcnn.util.NativeAllocator.shellAssignments() + " "
                + Path.of(System.getProperty("java.home"), "bin", "java");
        String opts = "${HEBBCNN_JAVA_OPTS:--Xmx16g} -Dai.djl.offline=true";
        Path src = null;
        try {
            src = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            // fall back to the class path
        }
        if (src == null || !src.toString().endsWith(".jar")) {
            return javaBin + " " + opts + " -cp " + System.getProperty("java.class.path") + " " + Main.class.getName();
        }
        Path program = slurmDir.resolve("program");
        Path jar = program.resolve(src.getFileName());
        Files.createDirectories(program.resolve("lib"));
        Files.copy(src, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Path lib = src.resolveSibling("lib");
        java.util.Set<String> names = new java.util.HashSet<>();
        if (Files.isDirectory(lib)) {
            try (var files = Files.list(lib)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = program.resolve("lib").resolve(f.getFileName());
                    names.add(f.getFileName().toString());
                    if (!Files.isRegularFile(to) || Files.size(to) != Files.size(f)
                            || !Files.getLastModifiedTime(to).equals(Files.getLastModifiedTime(f))) {
                        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        try (var old = Files.list(program.resolve("lib"))) { // a CPU build's native library must not stay for a GPU one
            for (Path f : (Iterable<Path>) old::iterator) {
                if (!names.contains(f.getFileName().toString())) {
                    Files.delete(f);
                }
            }
        }
        return javaBin + " " + opts + " -jar " + jar;
    }

    /** Job ids of {@code out}'s last submission that squeue still lists (none when squeue is absent). */
    static List<String> stillQueued(Path out) throws IOException {
        Path jobs = out.resolve(SlurmScripts.DIR).resolve(JOBS);
        if (!Files.isRegularFile(jobs)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        JSON.readTree(jobs.toFile()).path("jobs").forEach(j -> ids.add(j.path("job").asText()));
        Map<String, String> q = squeue(ids);
        return ids.stream().filter(id -> q.keySet().stream().anyMatch(k -> k.equals(id) || k.startsWith(id + "_"))).toList();
    }

    /** State by job id and array task ({@code 123_4}): squeue for queued and running jobs, then sacct where it answers. */
    static Map<String, String> queueStates(List<String> ids) {
        Map<String, String> states = new HashMap<>();
        if (ids.isEmpty()) {
            return states;
        }
        try {
            String acct = runTool(List.of("sacct", "-n", "-P", "-X", "-j", String.join(",", ids), "-o", "JobID,State"), null);
            for (String line : acct.split("\n")) {
                String[] f = line.trim().split("\\|");
                if (f.length == 2) {
                    states.put(f[0], f[1]);
                }
            }
        } catch (RuntimeException e) {
            // no accounting storage (sacct has nothing): squeue and the folder tell the rest
        }
        states.putAll(squeue(ids));
        return states;
    }

    private static Map<String, String> squeue(List<String> ids) {
        Map<String, String> states = new HashMap<>();
        try {
            String q = runTool(List.of("squeue", "-h", "-r", "-j", String.join(",", ids), "-o", "%i|%T"), null);
            for (String line : q.split("\n")) {
                String[] f = line.trim().split("\\|");
                if (f.length == 2) {
                    states.put(f[0], f[1]);
                }
            }
        } catch (RuntimeException e) {
            // squeue absent or the jobs are gone from it
        }
        return states;
    }

    /** Runs a Slurm tool; its output, or an InputError with what it printed. */
    static String runTool(List<String> cmd, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new InputError(cmd.get(0) + " did not answer within 60 s");
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new InputError(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                        + text.trim().replace('\n', ' '));
            }
            return text;
        } catch (IOException e) {
            throw new InputError(cmd.get(0) + " not found (" + e.getMessage() + "): is this a Slurm login node? "
                    + "--dry-run writes the scripts without submitting", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
