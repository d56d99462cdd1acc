package org.hebbcnn.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.InputError;

/**
 * The sbatch scripts of a grid, one job array per level of the {@link JobGraph} over that level's
 * unfinished nodes, then one job that writes the tables and the report:
 *
 * <pre>
 *   DIR/slurm/config.yaml        the resolved configuration every job reads
 *   DIR/slurm/level-&lt;k&gt;.nodes    the level's node ids, one a line: array task i trains line i + 1
 *   DIR/slurm/level-&lt;k&gt;.sbatch   the job array of level k (afterok on the level below)
 *   DIR/slurm/report.sbatch      experiment all (finds every node done: scores hybrids, writes the tables), then report
 *   DIR/slurm/submit.sh          the sbatch commands, in order
 *   DIR/slurm/logs/%A_%a.out     the jobs' output
 * </pre>
 *
 * @param out      the results folder (absolute)
 * @param java     how a job starts the program: the java command and the jar, e.g. {@code java -Xmx16g
 *                 -Dai.djl.offline=true -jar /x/target/hebbcnn.jar}, written once into every script
 * @param options  the sbatch resources
 */
public record SlurmScripts(Path out, String java, Resources options) {
    public static final String DIR = "slurm";
    public static final String CONFIG = "config.yaml";
    public static final String SUBMIT = "submit.sh";
    public static final String REPORT = "report.sbatch";

    /**
     * What every job asks Slurm for; null fields are left to the cluster's defaults.
     *
     * @param extra more {@code #SBATCH} options, whitespace-separated (e.g. {@code --account=lab --qos=normal})
     */
    public record Resources(String partition, String time, Integer cpusPerTask, Integer gpusPerTask, String mem,
            String extra) {
        public boolean gpu() {
            return gpusPerTask != null && gpusPerTask > 0;
        }
    }

    /** One job of a submission: a level's array (or the report job when {@code level} is -1). */
    public record Job(int level, Path script, List<String> nodes) {
        public boolean report() {
            return level < 0;
        }
    }

    public Path dir() {
        return out.resolve(DIR);
    }

    public static String levelName(int level) {
        return "level-" + level;
    }

    /**
     * Writes the scripts for the unfinished nodes of each level (levels with none get no job) and the
     * report job; returns the jobs in submission order (the report last). Files of an earlier
     * submission are replaced.
     */
    public List<Job> write(List<List<String>> unfinishedByLevel, String configYaml) throws IOException {
        Path d = dir();
        Files.createDirectories(d.resolve("logs"));
        try (var old = Files.list(d)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith("level-") && (n.endsWith(".nodes") || n.endsWith(".sbatch"))) {
                    Files.delete(p);
                }
            }
        }
        AtomicFiles.writeString(d.resolve(CONFIG), configYaml);
        List<Job> jobs = new ArrayList<>();
        for (int level = 0; level < unfinishedByLevel.size(); level++) {
            List<String> nodes = unfinishedByLevel.get(level);
            if (nodes.isEmpty()) {
                continue;
            }
            Path list = d.resolve(levelName(level) + ".nodes");
            AtomicFiles.writeString(list, String.join("\n", nodes) + "\n");
            Path script = d.resolve(levelName(level) + ".sbatch");
            AtomicFiles.writeString(script, levelScript(level, nodes.size(), list));
            script.toFile().setExecutable(true);
            jobs.add(new Job(level, script, nodes));
        }
        Path report = d.resolve(REPORT);
        AtomicFiles.writeString(report, reportScript());
        report.toFile().setExecutable(true);
        jobs.add(new Job(-1, report, List.of()));
        AtomicFiles.writeString(d.resolve(SUBMIT), submitScript(jobs));
        d.resolve(SUBMIT).toFile().setExecutable(true);
        return jobs;
    }

    /** The sbatch command of {@code job}, after the job {@code after} (null for none). */
    public static List<String> sbatch(Job job, String after) {
        List<String> c = new ArrayList<>(List.of("sbatch", "--parsable"));
        if (after != null) {
            c.add("--dependency=afterok:" + after);
        }
        c.add(job.script().toString());
        return c;
    }

    String submitScript(List<Job> jobs) {
        StringBuilder b = new StringBuilder("#!/bin/bash\n# Written by ./hebbcnn slurm submit: each level's job array starts when the "
                + "level below has finished (afterok),\n# the report job after the last. Job ids are printed in order.\nset -euo pipefail\n");
        String prev = null;
        for (Job j : jobs) {
            String var = j.report() ? "report" : "j" + j.level();
            List<String> cmd = sbatch(j, prev == null ? null : "$" + prev);
            b.append(var).append("=$(").append(String.join(" ", cmd.stream().map(SlurmScripts::shellWord).toList()))
                    .append(" | cut -d';' -f1)\necho \"$").append(var).append("\"\n");
            prev = var;
        }
        return b.toString();
    }

    private String header(String name, Integer arraySize, String log) {
        StringBuilder b = new StringBuilder("#!/bin/bash\n");
        b.append("#SBATCH --job-name=").append(name).append('\n');
        if (arraySize != null) {
            b.append("#SBATCH --array=0-").append(arraySize - 1).append('\n');
        }
        b.append("#SBATCH --output=").append(dir().resolve("logs").resolve(log)).append('\n');
        Resources r = options;
        if (r.partition() != null) {
            b.append("#SBATCH --partition=").append(r.partition()).append('\n');
        }
        if (r.time() != null) {
            b.append("#SBATCH --time=").append(r.time()).append('\n');
        }
        if (r.cpusPerTask() != null) {
            b.append("#SBATCH --cpus-per-task=").append(r.cpusPerTask()).append('\n');
        }
        if (r.gpu()) {
            b.append("#SBATCH --gpus-per-task=").append(r.gpusPerTask()).append('\n');
        }
        if (r.mem() != null) {
            b.append("#SBATCH --mem=").append(r.mem()).append('\n');
        }
        if (r.extra() != null && !r.extra().isBlank()) {
            for (String x : r.extra().trim().split("\\s+")) {
                if (!x.startsWith("-")) {
                    throw new InputError("--extra: expected sbatch options such as --account=lab, got '" + x + "'");
                }
                b.append("#SBATCH ").append(x).append('\n');
            }
        }
        b.append("set -euo pipefail\n");
        String data = environment.apply("HEBBCNN_DATA");
        if (data != null && !data.isBlank()) { // the datasets the submission saw, whatever the job's environment
            b.append("export HEBBCNN_DATA=").append(shellWord(data)).append('\n');
        }
        // PyTorch's thread pool to the CPUs Slurm gave the task (it would take the whole node)
        b.append("export OMP_NUM_THREADS=\"${OMP_NUM_THREADS:-${SLURM_CPUS_PER_TASK:-1}}\"\n");
        if (r.gpu()) {
            b.append("# GPU build (README, GPU): DJL loads the CUDA libtorch named at submission\n");
            b.append("export PYTORCH_LIBRARY_PATH=").append(shellWord(env("PYTORCH_LIBRARY_PATH"))).append('\n');
            b.append("export PYTORCH_VERSION=2.7.1\n");
            b.append("export PYTORCH_FLAVOR=").append(shellWord(envOr("PYTORCH_FLAVOR", "cu128"))).append('\n');
        }
        return b.toString();
    }

    String levelScript(int level, int size, Path list) {
        return header("hebbcnn-" + levelName(level), size, "%A_%a.out")
                + "node=\"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" " + shellWord(list.toString()) + ")\"\n"
                + "[ -n \"$node\" ] || { echo \"hebbcnn: no node for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 2; }\n"
                + "echo \"hebbcnn: node $node on $(hostname -s), job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n"
                + "exec " + java + " train-node \"$node\" --config " + shellWord(dir().resolve(CONFIG).toString())
                + " --out " + shellWord(out.toString()) + " --if-locked wait\n";
    }

    String reportScript() {
        return header("hebbcnn-report", null, "report_%j.out")
                + java + " experiment all --config " + shellWord(dir().resolve(CONFIG).toString()) + " --out "
                + shellWord(out.toString()) + "\n"
                + "exec " + java + " report " + shellWord(out.toString()) + " --out " + shellWord(out.resolve("report").toString())
                + "\n";
    }

    /** {@code s} as one shell word: bare when safe, else single-quoted. */
    static String shellWord(String s) {
        if (s.matches("[A-Za-z0-9_@%+=:,./$-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Tests replace the environment the GPU lines read. */
    static java.util.function.Function<String, String> environment = System::getenv;

    private static String env(String name) {
        String v = environment.apply(name);
        if (v == null || v.isBlank()) {
            throw new InputError("--gpus-per-task: set " + name + " to the lib/ folder of a CUDA build of libtorch 2.7.1 "
                    + "before submitting (README, GPU)");
        }
        return v;
    }

    private static String envOr(String name, String fallback) {
        String v = environment.apply(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
