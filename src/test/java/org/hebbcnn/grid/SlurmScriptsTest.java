package org.hebbcnn.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sbatch scripts of a small grid (2 seeds, bp and hpca, the hybrid BBHHBG with two stages),
 * checked against the golden files in {@code src/test/resources/grid/golden/} with the results folder
 * written as {@code /OUT}: array ranges, dependencies, node lists and commands. Regenerate them with
 * {@code mvn test -Dtest=SlurmScriptsTest -Dgolden.update=true} after a deliberate change.
 */
class SlurmScriptsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/grid/golden");
    private static final String JAVA = "java ${HEBBCNN_JAVA_OPTS:--Xmx16g} -Dai.djl.offline=true -jar /opt/hebbcnn/target/hebbcnn.jar";

    @TempDir
    Path tmp;

    @AfterEach
    void environment() {
        SlurmScripts.environment = System::getenv;
    }

    private static ExperimentConfig small() {
        ExperimentConfig c = new ExperimentConfig();
        c.seeds = 2;
        c.epochs = 1;
        c.probeEpochs = 1;
        c.trainImages = 200;
        c.validationImages = 100;
        c.methods = new ArrayList<>(List.of("bp", "hpca"));
        c.rules = new ArrayList<>(List.of("hpca"));
        c.configs = new ArrayList<>(List.of("BBHHBG"));
        return c.resolved();
    }

    private void check(Path dir, String file, String golden) throws IOException {
        String got = Files.readString(dir.resolve(file)).replace(tmp.toString(), "/OUT");
        Path g = GOLDEN.resolve(golden);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(g, got);
        }
        assertEquals(Files.readString(g), got, file);
    }

    @Test
    void oneJobArrayPerLevelThenTheReportMatchTheGoldenFiles() throws Exception {
        SlurmScripts.environment = Map.of("HEBBCNN_DATA", "/data/sets")::get;
        JobGraph g = JobGraph.of(small(), tmp);
        SlurmScripts s = new SlurmScripts(tmp, JAVA,
                new SlurmScripts.Resources("cpu", "02:00:00", 2, null, "8G", "--account=lab --qos=normal"));
        List<SlurmScripts.Job> jobs = s.write(g.unfinishedByLevel(), g.config().toYaml());
        assertEquals(List.of(0, 1, 2, -1), jobs.stream().map(SlurmScripts.Job::level).toList());
        assertEquals(List.of(4, 14, 2, 0), jobs.stream().map(j -> j.nodes().size()).toList());
        Path d = tmp.resolve("slurm");
        for (String f : List.of("level-0.sbatch", "level-1.sbatch", "level-2.sbatch", "report.sbatch", "submit.sh",
                "level-0.nodes", "level-1.nodes", "level-2.nodes")) {
            check(d, f, f);
        }
        assertEquals(g.config(), ExperimentConfig.load(d.resolve("config.yaml")));
        assertTrue(Files.isDirectory(d.resolve("logs")));
        assertEquals(List.of("sbatch", "--parsable", "--dependency=afterok:17", d.resolve("level-1.sbatch").toString()),
                SlurmScripts.sbatch(jobs.get(1), "17"));
    }

    @Test
    void aResubmissionSendsOnlyWhatIsUnfinished() throws Exception {
        SlurmScripts.environment = Map.<String, String>of()::get;
        JobGraph g = JobGraph.of(small(), tmp);
        // level 0 done, and one probe set: as after a failure in level 1
        for (Node n : g.level(0)) {
            fakeCheckpoint(g.dir(n));
        }
        Path probes = g.dir(g.node("bases/bp/seed-0/probes"));
        fakeCheckpoint(probes);
        Files.writeString(probes.getParent().resolve("result.json"), "{\"method\":\"bp\",\"seed\":0,\"dataSeed\":200,"
                + "\"networkBestEpoch\":1,\"networkValidation\":0.5,\"networkTestTop1\":0.5,\"networkTestTop5\":0.9,"
                + "\"networkSecondsPerEpoch\":1,\"probeSecondsPerEpoch\":1,\"probes\":[]}");
        assertEquals(JobGraph.Progress.DONE, g.state(g.node("bases/bp/seed-0/probes")).progress());
        SlurmScripts s = new SlurmScripts(tmp, JAVA, new SlurmScripts.Resources(null, null, null, null, null, null));
        List<SlurmScripts.Job> jobs = s.write(g.unfinishedByLevel(), g.config().toYaml());
        assertEquals(List.of(1, 2, -1), jobs.stream().map(SlurmScripts.Job::level).toList());
        assertEquals(13, jobs.get(0).nodes().size());
        check(tmp.resolve("slurm"), "submit.sh", "submit-resubmitted.sh");
        check(tmp.resolve("slurm"), "level-1.sbatch", "level-1-resubmitted.sbatch");
        assertTrue(!Files.exists(tmp.resolve("slurm/level-0.sbatch")), "the earlier level-0 script is gone");
    }

    @Test
    void gpuJobsLoadTheCudaLibtorchNamedAtSubmission() throws Exception {
        JobGraph g = JobGraph.of(small(), tmp);
        SlurmScripts s = new SlurmScripts(tmp, JAVA, new SlurmScripts.Resources(null, null, 4, 1, null, null));
        SlurmScripts.environment = Map.<String, String>of()::get;
        InputError e = assertThrows(InputError.class, () -> s.write(g.unfinishedByLevel(), g.config().toYaml()));
        assertTrue(e.getMessage().contains("PYTORCH_LIBRARY_PATH"), e.getMessage());
        SlurmScripts.environment = Map.of("PYTORCH_LIBRARY_PATH", "/sw/torch/lib")::get;
        s.write(g.unfinishedByLevel(), g.config().toYaml());
        check(tmp.resolve("slurm"), "level-0.sbatch", "level-0-gpu.sbatch");
        SlurmScripts bad = new SlurmScripts(tmp, JAVA, new SlurmScripts.Resources(null, null, null, null, null, "qos=x"));
        assertThrows(InputError.class, () -> bad.write(g.unfinishedByLevel(), g.config().toYaml()));
    }

    private static void fakeCheckpoint(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("ckpt-1/model"));
        Files.writeString(dir.resolve("ckpt-1/state.json"), "{\"epochsDone\":1,\"bestEpoch\":1,\"bestValidation\":0.5,"
                + "\"history\":[{\"epoch\":1,\"validationAccuracy\":0.5,\"seconds\":2.0}]}");
    }
}
