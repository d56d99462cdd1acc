package org.hebbcnn.reports;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;
import java.util.Set;
import org.hebbcnn.reports.PaperTables.Timed;
import org.hebbcnn.reports.PaperTables.Value;
import org.junit.jupiter.api.Test;

class PaperTablesTest {

    static void assertValue(double mean, double ci, Optional<Value> v) {
        assertTrue(v.isPresent(), "expected a paper value");
        assertEquals(mean, v.get().mean(), 1e-9);
        assertEquals(ci, v.get().ci95(), 1e-9);
    }

    @Test
    void datasetsAndMetrics() {
        assertEquals(Set.of("mnist", "cifar10", "cifar100"), PaperTables.datasets());
        assertEquals(Optional.of("top1"), PaperTables.metric("mnist"));
        assertEquals(Optional.of("top1"), PaperTables.metric("cifar10"));
        assertEquals(Optional.of("top5"), PaperTables.metric("cifar100"));
        assertEquals(Optional.of("top5"), PaperTables.metric("CIFAR-100"));
        assertTrue(PaperTables.source().contains("Lagani"));
        assertSame(PaperTables.get(), PaperTables.get());
    }

    @Test
    void layerwiseLookups() {
        assertValue(98.23, 0.09, PaperTables.layerwise("mnist", "hpca", 1));
        assertValue(98.23, 0.09, PaperTables.layerwise("MNIST", "HPCA", 1));
        assertValue(98.16, 0.05, PaperTables.layerwise("mnist", "hwta", 1));
        assertValue(95.8, 0.02, PaperTables.layerwise("mnist", "bp", 1));
        assertValue(98.9, 0.03, PaperTables.layerwise("mnist", "vae", 2));
        assertValue(61.59, 0.08, PaperTables.layerwise("cifar-10", "bp", 1));
        assertValue(60.94, 0.09, PaperTables.layerwise("cifar100", "hpca", 1));
        assertArrayEquals(new double[] {98.23, 0.09}, PaperTables.layerwise("mnist", "hpca", 1).get().toArray());
        for (String ds : PaperTables.datasets()) {
            for (String m : new String[] {"bp", "vae", "hpca", "hwta"}) {
                for (int layer = 1; layer <= 5; layer++) {
                    assertTrue(PaperTables.layerwise(ds, m, layer).isPresent(), ds + " " + m + " " + layer);
                }
            }
        }
    }

    @Test
    void unknownNamesGiveEmptyNeverThrow() {
        assertTrue(PaperTables.metric("fashion").isEmpty());
        assertTrue(PaperTables.layerwise("fashion", "hpca", 1).isEmpty());
        assertTrue(PaperTables.hybrid("fashion", "HHHHHG", "hpca").isEmpty());
        assertTrue(PaperTables.retrainTop("fashion", "BBBBBG", "BP").isEmpty());
        assertTrue(PaperTables.shcVsSgd("fashion", 1, "SHC").isEmpty());
        assertTrue(PaperTables.layerwise(null, "hpca", 1).isEmpty());
        assertTrue(PaperTables.layerwise("mnist", "sgd", 1).isEmpty());
        assertTrue(PaperTables.layerwise("mnist", null, 1).isEmpty());
        assertTrue(PaperTables.layerwise("mnist", "hpca", 6).isEmpty());
        assertTrue(PaperTables.layerwise("mnist", "hpca", 0).isEmpty());
        assertTrue(PaperTables.hybrid("mnist", "HHHHHH", "hpca").isEmpty());
        assertTrue(PaperTables.hybrid("mnist", "HHHHHG", "bp").isEmpty());
        assertTrue(PaperTables.hybrid("mnist", null, "hpca").isEmpty());
        assertTrue(PaperTables.retrainTop("mnist", "BBBBHH", "SHC").isEmpty());
        assertTrue(PaperTables.shcVsSgd("mnist", 1, "HPCA").isEmpty());
        assertTrue(PaperTables.shcVsSgd("mnist", 9, "SHC").isEmpty());
        assertTrue(PaperTables.lookup("quickstart", "mnist", "hpca", "1").isEmpty());
        assertTrue(PaperTables.lookup("layerwise", "mnist", "hpca", "one").isEmpty());
    }

    @Test
    void hybridLookups() {
        assertValue(98.53, 0.08, PaperTables.hybrid("mnist", "HHHHHG", "hpca"));
        assertValue(97.15, 0.01, PaperTables.hybrid("mnist", "hhhhhg", "HWTA"));
        assertValue(99.61, 0.02, PaperTables.hybrid("mnist", "HBBBBG", "hpca"));
        assertValue(46.88, 0.23, PaperTables.hybrid("cifar10", "HHHHHG", "hwta"));
        for (String ds : PaperTables.datasets()) {
            assertValue(PaperTables.hybrid(ds, "BBBBBG", "hpca").get().mean(),
                    PaperTables.hybrid(ds, "BBBBBG", "hpca").get().ci95(), PaperTables.hybrid(ds, "BBBBBG", "hwta"));
        }
    }

    @Test
    void retrainTopMatchesConfigAndMethod() {
        Timed hwta = PaperTables.retrainTop("cifar100", "BBBBHH", "HWTA+SHC").orElseThrow();
        assertEquals(new Timed(new Value(63.62, 0.27), 1), hwta);
        Timed hpca = PaperTables.retrainTop("cifar100", "BBBBHH", "hpca+shc").orElseThrow();
        assertEquals(new Timed(new Value(77.66, 0.09), 1), hpca);
        assertEquals(new Timed(new Value(99.59, 0.02), 15), PaperTables.retrainTop("mnist", "BBBBBG", "BP").orElseThrow());
        assertEquals(7, PaperTables.retrainTop("cifar100", "BBBBBG", "BP").orElseThrow().epochs());
    }

    @Test
    void shcVsSgdLookups() {
        assertEquals(new Timed(new Value(89.06, 0.04), 10), PaperTables.shcVsSgd("mnist", 1, "SHC").orElseThrow());
        assertEquals(new Timed(new Value(95.8, 0.02), 14), PaperTables.shcVsSgd("mnist", 1, "sgd").orElseThrow());
        assertEquals(new Timed(new Value(58.87, 0.08), 1), PaperTables.shcVsSgd("cifar10", 2, "SHC").orElseThrow());
    }

    @Test
    void lookupByExperimentName() {
        assertEquals(PaperTables.layerwise("mnist", "hpca", 1), PaperTables.lookup("layerwise", "mnist", "hpca", "1"));
        assertEquals(PaperTables.hybrid("cifar10", "HHBBBG", "hwta"),
                PaperTables.lookup("hybrid", "cifar10", "hwta", "HHBBBG"));
        assertValue(63.62, 0.27, PaperTables.lookup("retrain", "cifar100", "HWTA+SHC", "BBBBHH"));
        assertValue(89.06, 0.04, PaperTables.lookup("classifiers", "mnist", "SHC", "1"));
        assertEquals(Optional.of(10), PaperTables.lookupEpochs("classifiers", "mnist", "SHC", "1"));
        assertEquals(Optional.of(15), PaperTables.lookupEpochs("retrain", "mnist", "BP", "BBBBBG"));
        assertTrue(PaperTables.lookupEpochs("layerwise", "mnist", "hpca", "1").isEmpty());
    }
}
