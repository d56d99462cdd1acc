package org.hebbcnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The paper's rows of the beyond table: its HPCA and its backprop network, each at its best probed layer. */
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
}
