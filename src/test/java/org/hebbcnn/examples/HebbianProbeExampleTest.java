package org.hebbcnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hebbcnn.data.TestFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example runs as written on a small synthetic dataset that any working classifier
 * learns (a bar at a class-specific place): the Hebbian features carry the class, so the linear
 * probe and the network's SHC score far above chance (10%), and the same seeds give the same results.
 */
// Slow: end to end: trains a network and a probe, twice. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class HebbianProbeExampleTest {
    @TempDir
    Path tmp;

    @Test
    void theExampleTrainsAHebbianNetworkAndProbesALayer() throws Exception {
        TestFiles.writeLearnableIdxDataset(tmp, 400, 100, 5);
        HebbianProbeExample.Outcome o = HebbianProbeExample.run("bars", "hpca", 3, 400, tmp);
        assertTrue(o.probeTest() >= 0.8, "linear probe on layer 3, chance is 0.1: " + o);
        assertTrue(o.shcTest() >= 0.5, "the network's SHC, chance is 0.1: " + o);
        assertEquals(o, HebbianProbeExample.run("bars", "hpca", 3, 400, tmp), "same seeds, same results");
    }
}
