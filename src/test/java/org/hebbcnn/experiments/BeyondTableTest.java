package org.hebbcnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hebbcnn.training.ProbeTraining;
import org.junit.jupiter.api.Test;

/**
 * The paper's rows of the beyond table (its HPCA and its backprop network, each at its best probed
 * layer), and the rows of readouts trained again on a protocol's networks.
 */
class BeyondTableTest {
    @Test
    void bothOfThePapersNetworksHaveARowAtTheirBestLayer() {
        List<BeyondTable.Row> cifar = BeyondTable.paperRows("cifar10", Optional.empty());
        assertEquals(List.of("paper-hpca", "paper-bp"), cifar.stream().map(BeyondTable.Row::name).toList());
        assertEquals(65.92, cifar.get(0).published(), 1e-9);
        assertTrue(cifar.get(0).what().endsWith("layer 2"), cifar.get(0).what());
        assertEquals(84.95, cifar.get(1).published(), 1e-9, "the paper's backprop network, layer 5");
        assertTrue(cifar.get(1).what().endsWith("layer 5"), cifar.get(1).what());
        assertNull(cifar.get(1).ours(), "no layer-wise folder given: no figure of ours");
        assertEquals(2, BeyondTable.paperRows("mnist", Optional.empty()).size());
        assertTrue(BeyondTable.paperRows("my-own-images", Optional.empty()).isEmpty(), "no paper figures there");
    }

    /** A readout trained again on a protocol's networks is a row of its own: its top layer's linear readout over its seeds. */
    @Test
    void aReadoutTrainedAgainIsARowWithItsOwnTimes() {
        BeyondTable.Row protocol = new BeyondTable.Row("softhebb", "SoftHebb", null, 80.31, "Journe et al.", 1000, 400, 500);
        List<LinearReadoutExperiment.Report> reports = List.of(report(0, 0.8038, 430, 12), report(1, 0.8053, 436, 11));
        List<BeyondTable.Row> rows = BeyondTable.readoutRows(protocol,
                Map.of("readout-linear-noholdout", reports, "readout-linear-flips", List.of()));
        assertEquals(1, rows.size(), "a folder without reports has no row");
        BeyondTable.Row r = rows.get(0);
        assertEquals("softhebb readout-linear-noholdout", r.name());
        assertEquals(80.455, r.ours().mean(), 1e-9, "the SGD readout's test top-1 on layer 3, not layer 2's or CHL's");
        assertEquals(2, r.ours().n());
        assertEquals(80.31, r.published(), 1e-9);
        assertEquals(1000, r.unsupervised(), 1e-9, "the protocol's own networks");
        assertEquals(433, r.features(), 1e-9);
        assertEquals((12 * 50 + 11 * 50) / 2.0, r.readout(), 1e-9);
        assertTrue(r.what().contains("validation images too") && r.what().contains("2 seed(s)"), r.what());
    }

    /** A protocol run on another network than its own says which, so that its figure is not read as the protocol's. */
    @Test
    void aProtocolOnAnotherNetworkNamesItInItsRow() {
        org.hebbcnn.config.Protocol softhebb = org.hebbcnn.config.Protocol.named("softhebb");
        BeyondTable.Row own = BeyondTable.protocolRow(softhebb, null, "cifar10", List.of(), m -> 1, 50, List.of());
        assertEquals(softhebb.title(), own.what());
        assertEquals(80.31, own.published(), 1e-9);
        BeyondTable.Row wide = BeyondTable.protocolRow(softhebb, "softhebb-wide", "cifar10", List.of(), m -> 1, 50, List.of());
        assertEquals(softhebb.title() + ", network softhebb-wide instead of the protocol's", wide.what());
    }

    private static LinearReadoutExperiment.Report report(int seed, double top1, double featureSeconds, double epochSeconds) {
        List<ProbeTraining.Result> results = List.of(new ProbeTraining.Result("sgd", 2, 50, Double.NaN, 0.5, 0.9),
                new ProbeTraining.Result("sgd", 3, 50, Double.NaN, top1, 0.98),
                new ProbeTraining.Result("chl", 3, 50, Double.NaN, 0.9, 0.98));
        return new LinearReadoutExperiment.Report("softhebb", seed, 200 + seed, 3, "selected", false, true, 50, 50000, 50000,
                featureSeconds, epochSeconds, results);
    }
}
