package org.hebbcnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hebbcnn.config.Hyperparameters;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.data.TestFiles;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes' feature store in a workspace: on files (here: a memory budget of 0), deleted once the
 * probes finish unless asked to keep it, deleted too when the probes fail, and its extraction time
 * recorded for cost.md apart from the probe epochs.
 */
class ProbeFeatureStoreTest {
    @TempDir
    static Path tmp;
    static Path mnist;
    static Path trainedNetwork;

    static final LayerwiseSettings SETTINGS = new LayerwiseSettings("mnist", List.of("hpca"), 1, false, 1, 1, 0, 0, 64);

    @BeforeAll
    static void writeDataAndTrainOnce() throws Exception {
        Djl.init();
        mnist = tmp.resolve("mnist");
        TestFiles.writeIdxDataset(mnist, 200, 30, 28, 10, true); // 160 training images: 3 batches
        Path first = tmp.resolve("first");
        List<String> log = new ArrayList<>();
        workspace(first, Hyperparameters.paper(), log).probeRun("hpca", 0);
        Path seed = first.resolve("bases/hpca/seed-0");
        assertFalse(Files.exists(seed.resolve(Workspace.FEATURES)), "deleted after the probes finished");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("feature store " + seed.resolve(Workspace.FEATURES))),
                "the store was on files: " + log);
        double seconds = new ObjectMapper().readTree(seed.resolve("probes").resolve(Workspace.FEATURE_EXTRACTION_JSON)
                .toFile()).get("seconds").asDouble();
        assertTrue(seconds > 0);
        TrainingCost cost = TrainingCost.scan(first);
        TrainingCost.Entry probes = cost.entries().stream().filter(e -> e.path().endsWith("probes")).findFirst().orElseThrow();
        assertEquals(seconds, probes.featureSeconds(), 1e-9);
        assertTrue(cost.toMarkdown().contains("feature extraction seconds"), cost.toMarkdown());
        trainedNetwork = seed.resolve("network");
    }

    static Workspace workspace(Path out, Hyperparameters hyper, List<String> log) {
        return new Workspace(SETTINGS, hyper, mnist, out.resolve(Workspace.BASES), out.resolve(Workspace.STAGES), log::add)
                .featureMemoryBytes(0);
    }

    /** A results folder whose hpca network is trained already (the first one's), so only probes run. */
    static Path withTrainedNetwork(String name) throws Exception {
        Path out = tmp.resolve(name);
        Path target = out.resolve("bases/hpca/seed-0/network");
        try (Stream<Path> s = Files.walk(trainedNetwork)) {
            for (Path p : s.toList()) {
                Path q = target.resolve(trainedNetwork.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return out;
    }

    @Test
    void keptWhenAsked() throws Exception {
        Path out = withTrainedNetwork("kept");
        workspace(out, Hyperparameters.paper(), new ArrayList<>()).keepFeatures(true).probeRun("hpca", 0);
        Path features = out.resolve("bases/hpca/seed-0").resolve(Workspace.FEATURES);
        for (String set : List.of("train", "validation", "test")) {
            assertTrue(new ObjectMapper().readTree(features.resolve(set + ".json").toFile()).get("complete").asBoolean());
            for (int l = 1; l <= 5; l++) {
                assertTrue(Files.size(features.resolve(set + "-layer" + l + ".f32")) > 0);
            }
        }
    }

    @Test
    void aStoreToKeepGoesToFilesEvenWhenItWouldFitInMemory() throws Exception {
        Path out = withTrainedNetwork("kept-small");
        workspace(out, Hyperparameters.paper(), new ArrayList<>()).featureMemoryBytes(Long.MAX_VALUE).keepFeatures(true)
                .probeRun("hpca", 0);
        Path features = out.resolve("bases/hpca/seed-0").resolve(Workspace.FEATURES);
        assertTrue(new ObjectMapper().readTree(features.resolve("test.json").toFile()).get("complete").asBoolean());
        assertTrue(Files.size(features.resolve("test-layer1.f32")) > 0);
    }

    @Test
    void aRunThatFailsLeavesNoFeatureFile() throws Exception {
        Path out = withTrainedNetwork("failed");
        Hyperparameters p = Hyperparameters.paper();
        Hyperparameters diverging = new Hyperparameters(1e38, p.lrGamma(), p.lrMilestones(), p.momentum(), p.dropout(),
                p.backpropWeightDecay(), p.topWeightDecay(), p.hebbianLr(), p.hwtaK(), p.zcaEpsilon(),
                p.probeWeightDecay(), p.shcProbeLr(), p.chlProbeLr(), p.vaeLr(), p.vaeMomentum(), p.klWeight(), org.hebbcnn.config.ProbeOptions.paper());
        List<String> log = new ArrayList<>();
        assertThrows(CheckpointedTraining.DivergedException.class,
                () -> workspace(out, diverging, log).keepFeatures(true).probeRun("hpca", 0));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("feature store ")), "the store was built: " + log);
        assertFalse(Files.exists(out.resolve("bases/hpca/seed-0").resolve(Workspace.FEATURES)));
    }
}
