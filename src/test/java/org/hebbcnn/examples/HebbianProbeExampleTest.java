package org.hebbcnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hebbcnn.data.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example runs as written on a small synthetic dataset (whose labels carry no
 * signal, so only reproducibility is checked): the same seeds give the same accuracies.
 */
class HebbianProbeExampleTest {
    @TempDir
    Path tmp;

    @Test
    void theExampleTrainsAHebbianNetworkAndProbesALayer() throws Exception {
        TestFiles.writeIdxDataset(tmp, 120, 40, 28, 10, true);
        HebbianProbeExample.Outcome o = HebbianProbeExample.run("mnist", "hpca", 3, 120, tmp);
        assertTrue(o.probeTest() >= 0 && o.probeTest() <= 1, o.toString());
        assertTrue(o.shcTest() >= 0 && o.shcTest() <= 1, o.toString());
        assertEquals(o, HebbianProbeExample.run("mnist", "hpca", 3, 120, tmp), "same seeds, same results");
    }
}
