package org.hebbcnn.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hebbcnn.training.LearningRateSchedule;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;

/** Protocols as data, and the probe options they set (absent: the paper's, and the same folder identity). */
class ProtocolTest {
    /** The protocol's configuration resolved for CIFAR-10. */
    private static ExperimentConfig onCifar10(Protocol p) {
        ExperimentConfig c = p.configuration();
        c.dataset = "cifar10";
        return c.resolved();
    }

    @Test
    void softHebbsProtocolIsItsAuthorsSchedule() {
        Protocol p = Protocol.named("SoftHebb");
        assertEquals(80.31, p.publishedOn("cifar10").orElseThrow());
        assertEquals(99.35, p.publishedOn("mnist").orElseThrow());
        ExperimentConfig c = onCifar10(p);
        assertEquals("softhebb", c.networkSpec().name());
        assertEquals(List.of("softhebb"), c.methods);
        assertEquals(1, c.settings().epochs());
        assertEquals(Boolean.TRUE, c.hebbian.greedy, "the paper's successive (greedy) training");
        assertEquals(10, c.settings().batchSize());
        assertEquals(50, c.settings().probeEpochs());
        assertEquals(5000, c.validationSize);
        Hyperparameters h = c.hyperparameters();
        ProbeOptions o = h.probeOptions();
        assertEquals(ProbeOptions.ADAM, o.optimizer());
        assertEquals(64, o.batch());
        assertArrayEquals(new int[] {3}, o.layers());
        LearningRateSchedule s = h.probeSchedule();
        assertEquals(1e-3f, s.at(10));
        assertEquals(5e-4f, s.at(11), "halved after epoch 10, as the authors' CustomStepLR");
        assertEquals(1e-3f / 128, s.at(46), 1e-12);
        assertEquals(h.scheduleNote(), Hyperparameters.paper().scheduleNote(), "the backprop schedule is not touched");
        assertTrue(h.probesNote().startsWith("Adam (dropout 0.5, lr 1e-3 x0.5 after epochs 10, 17, 25, 30, 35, 40, 45, L2 0, batch 64)"),
                h.probesNote());
        assertThrows(InputError.class, () -> Protocol.named("nope"));
    }

    @Test
    void aDatasetsOwnKeysApplyOnThatDatasetOnly() {
        Protocol p = Protocol.named("softhebb");
        ExperimentConfig mnist = p.configuration("MNIST");
        mnist.dataset = "mnist";
        mnist = mnist.resolved();
        assertEquals(100, mnist.settings().probeEpochs(), "the authors' MNIST readout length");
        LearningRateSchedule s = mnist.hyperparameters().probeSchedule();
        assertEquals(1e-3f, s.at(20));
        assertEquals(5e-4f, s.at(21), "halved after epoch 20: the same fractions of a 100-epoch run");
        assertEquals(1e-3f / 128, s.at(91), 1e-12);
        // the merge keeps the protocol's other probe keys
        assertEquals(ProbeOptions.ADAM, mnist.hyperparameters().probeOptions().optimizer());
        assertEquals(64, mnist.hyperparameters().probeOptions().batch());
        assertEquals(onCifar10(p).identity(), withDataset(p.configuration("cifar10"), "cifar10").resolved().identity(),
                "no keys of its own: the protocol's configuration");
        assertEquals(50, withDataset(p.configuration(null), "cifar10").resolved().settings().probeEpochs());
    }

    @Test
    void miconisProtocolIsHisPresetAtTheFullScheduleWithThePapersProbes() {
        Protocol p = Protocol.named("miconi");
        assertEquals(64.65, p.publishedOn("cifar10").orElseThrow());
        assertTrue(p.publishedOn("mnist").isEmpty());
        ExperimentConfig c = onCifar10(p);
        assertEquals("miconi", c.networkSpec().name());
        assertEquals(List.of("hwta"), c.methods);
        assertEquals(20, c.settings().epochs());
        assertEquals(20, c.settings().probeEpochs());
        assertTrue(c.hyperparameters().probeOptions().isPaper(), "the paper's SGD probes");
    }

    @Test
    void beyondRunsByDefaultTheProtocolsPublishedOnTheDataset() {
        assertEquals(List.of("softhebb", "miconi"), Protocol.defaultsFor("cifar10"));
        assertEquals(List.of("softhebb"), Protocol.defaultsFor("mnist"));
        assertEquals(Protocol.NAMES, Protocol.defaultsFor("my-own-images"), "none published there: all of them");
    }

    @Test
    void withoutProbeKeysTheProbesAndTheIdentityAreThePapers() {
        ExperimentConfig c = new ExperimentConfig();
        assertTrue(c.hyperparameters().probeOptions().isPaper());
        assertEquals(Hyperparameters.paper().schedule().toString(), c.hyperparameters().probeSchedule().toString());
        // Folders made before the probe keys and validationSize existed must keep their identity (resume).
        assertEquals("e416d30761ebf2e6", withDataset(new ExperimentConfig(), "cifar10")
                .with(List.of("methods=[bp,hpca,hwta]", "seeds=1")).resolved().identity());
        assertTrue(!c.toYaml().contains("optimizer") && !c.toYaml().contains("validationSize"), c.toYaml());
    }

    @Test
    void badProbeSettingsAreRefusedNamingTheKey() {
        String[][] cases = {{"probes.optimizer=rmsprop", "probes.optimizer"}, {"probes.lr=-1", "probes.lr"},
            {"probes.lrMilestones=[0]", "probes.lrMilestones"}, {"probes.batch=-3", "probes.batch"},
            {"probes.layers=[0]", "probes.layers"}};
        for (String[] c : cases) {
            InputError e = assertThrows(InputError.class, () -> new ExperimentConfig().with(c[0]).hyperparameters());
            assertTrue(e.getMessage().contains(c[1]) && !e.getMessage().contains("unknown key"), e.getMessage());
        }
        InputError unknown = assertThrows(InputError.class, () -> new ExperimentConfig().with("probes.foo=1"));
        assertTrue(unknown.getMessage().contains("unknown key 'probes.foo'"), unknown.getMessage());
        ProbeOptions top = new ExperimentConfig().with("probes.layers=[7]").hyperparameters().probeOptions();
        InputError e = assertThrows(InputError.class, () -> top.check(5));
        assertTrue(e.getMessage().contains("probes.layers: layer 7"), e.getMessage());
    }

    private static ExperimentConfig withDataset(ExperimentConfig c, String dataset) {
        c.dataset = dataset;
        return c;
    }
}
