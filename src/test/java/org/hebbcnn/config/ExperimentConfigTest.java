package org.hebbcnn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExperimentConfigTest {
    @TempDir
    Path tmp;

    private Path write(String yaml) throws Exception {
        Path f = tmp.resolve("c" + System.nanoTime() + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void theDefaultsAreThePapers() {
        ExperimentConfig c = new ExperimentConfig();
        assertEquals(LayerwiseSettings.paper("mnist", List.of("bp", "hpca", "hwta"), 5), c.settings());
        assertEquals(Hyperparameters.paper(), c.hyperparameters());
        assertEquals("", c.hyperparameters().identitySuffix());
        assertEquals(5e-2f, c.hyperparameters().weightDecay("mnist"));
        assertEquals(1e-2f, c.hyperparameters().weightDecay("cifar100"));
    }

    @Test
    void saveThenLoadThenSaveIsIdentical() throws Exception {
        ExperimentConfig c = new ExperimentConfig().with(List.of("dataset=cifar100", "backprop.lr=1e-4",
                "backprop.weightDecay=0.02", "hebbian.lr=5e-4", "methods=[hpca, vae]", "configs=[BBBB|BG, HHHHHG]",
                "quick=true")).resolved();
        Path f = tmp.resolve("config.yaml");
        c.save(f);
        ExperimentConfig back = ExperimentConfig.load(f);
        assertEquals(c, back);
        Path g = tmp.resolve("again.yaml");
        back.save(g);
        assertEquals(Files.readString(f), Files.readString(g));
        assertEquals(c.settings(), back.settings());
        assertEquals(c.hyperparameters(), back.hyperparameters());
        assertEquals(1e-4, back.hyperparameters().backpropLr());
        assertEquals(0.02f, back.hyperparameters().weightDecay("cifar100"));
    }

    @Test
    void keysLeftOutKeepTheirDefaultsAndTheQuickProfileFillsTheEpochs() throws Exception {
        ExperimentConfig c = ExperimentConfig.load(write("dataset: cifar10\nquick: true\nprobeEpochs: 5\nhebbian:\n  lr: 2e-3\n"));
        LayerwiseSettings s = c.settings();
        assertEquals(LayerwiseSettings.QUICK_EPOCHS, s.epochs());
        assertEquals(5, s.probeEpochs());
        assertEquals(LayerwiseSettings.QUICK_TRAIN_IMAGES, s.trainImages());
        assertEquals(2e-3, c.hyperparameters().hebbianLr());
        assertEquals(Hyperparameters.paper().zcaEpsilon(), c.hyperparameters().zcaEpsilon());
        ExperimentConfig r = c.resolved();
        assertEquals(LayerwiseSettings.QUICK_EPOCHS, r.epochs);
        assertNull(new ExperimentConfig().epochs, "unresolved: the profile decides");
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("epoch: 3\n", "unknown key 'epoch'"),
                Arguments.of("backprop:\n  lrr: 0.1\n", "unknown key 'backprop.lrr'"),
                Arguments.of("epochs: abc\n", "'epochs' must be an integer"),
                Arguments.of("epochs: 2.5\n", "'epochs'"),
                Arguments.of("quick: maybe\n", "'quick' must be true or false"),
                Arguments.of("backprop:\n  lr: fast\n", "'backprop.lr' must be a number"),
                Arguments.of("backprop: 3\n", "'backprop'"),
                Arguments.of("methods: {a: 1}\n", "'methods' must be a list"),
                Arguments.of("seeds: 0\n", "--seeds must be >= 1"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void badKeysAndTypesAreRefusedNamingTheKey(String yaml, String message) throws Exception {
        Path f = write(yaml);
        InputError e = assertThrows(InputError.class, () -> ExperimentConfig.load(f).settings());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void setOverridesOneKeyAndRefusesUnknownKeysAndWrongTypes() {
        ExperimentConfig c = new ExperimentConfig().with("backprop.weightDecay=1e-3").with("epochs=7");
        assertEquals(1e-3f, c.hyperparameters().weightDecay("mnist"));
        assertEquals(7, c.settings().epochs());
        assertEquals(5e-2f, c.with("backprop.weightDecay=null").hyperparameters().weightDecay("mnist"));
        InputError unknown = assertThrows(InputError.class, () -> c.with("backprop.nesterov=false"));
        assertTrue(unknown.getMessage().contains("unknown key 'backprop.nesterov'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("lr"), "lists the known keys: " + unknown.getMessage());
        InputError type = assertThrows(InputError.class, () -> c.with("seeds=many"));
        assertTrue(type.getMessage().contains("'seeds' must be an integer"), type.getMessage());
        assertThrows(InputError.class, () -> c.with("noequals"));
        assertThrows(InputError.class, () -> c.with("backprop=1"), "a section is not a value");
        InputError range = assertThrows(InputError.class, () -> c.with("hebbian.lr=-1").hyperparameters());
        assertTrue(range.getMessage().contains("hebbian.lr"), range.getMessage());
    }

    @Test
    void everyKeyReachesItsHyperparameter() {
        Hyperparameters h = new ExperimentConfig().with(List.of("backprop.lr=2e-3", "backprop.lrGamma=0.1",
                "backprop.lrMilestones=[5]", "backprop.momentum=0.8", "backprop.dropout=0.25", "backprop.weightDecay=0.03",
                "backprop.topWeightDecay=0.001", "hebbian.lr=3e-3", "hebbian.hwtaK=2", "hebbian.zcaEpsilon=0.1",
                "probes.weightDecay=0.002", "probes.shcLr=4e-3", "probes.chlLr=6e-3", "vae.lr=5e-3", "vae.momentum=0.7", "vae.klWeight=1.5"))
                .hyperparameters();
        assertEquals(new Hyperparameters(2e-3, 0.1, new int[] {5}, 0.8, 0.25, 0.03, 0.001, 3e-3, 2, 0.1, 0.002, 4e-3,
                6e-3, 5e-3, 0.7, 1.5, ProbeOptions.paper()), h);
        assertEquals(2e-3f, h.schedule().at(5));
        assertEquals((float) (2e-3 * 0.1), h.schedule().at(6), 1e-9f);
        assertTrue(h.identitySuffix().contains("hwtaK=2"), h.identitySuffix());
    }

    @Test
    void aMissingOrBrokenFileIsAClearError() throws Exception {
        InputError missing = assertThrows(InputError.class, () -> ExperimentConfig.load(tmp.resolve("none.yaml")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        InputError broken = assertThrows(InputError.class, () -> ExperimentConfig.load(write("a: [1, 2\n")));
        assertTrue(broken.getMessage().contains("not valid YAML"), broken.getMessage());
    }
}
