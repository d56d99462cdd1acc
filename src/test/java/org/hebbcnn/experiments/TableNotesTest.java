package org.hebbcnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hebbcnn.config.Hyperparameters;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.training.ProbeTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 6: a table's notes state the hyperparameters the runs used, not the paper's
 * defaults. The classifiers table is built from finished runs (result files, so nothing trains).
 */
class TableNotesTest {

    private static Hyperparameters changed() {
        Hyperparameters p = Hyperparameters.paper();
        // dropout 0.25, probes' L2 1e-3, SHC probe lr 2e-3, CHL probe lr 3e-2, SGD lr 5e-3 halved after epoch 3 only
        return new Hyperparameters(5e-3, 0.5, new int[] {3}, 0.8, 0.25, p.backpropWeightDecay(), 2.5e-4,
                p.hebbianLr(), p.hwtaK(), p.zcaEpsilon(), 1e-3, 2e-3, 3e-2, p.vaeLr(), p.vaeMomentum(), p.klWeight(), org.hebbcnn.config.ProbeOptions.paper());
    }

    private static ResultsTable classifiersTable(Hyperparameters hyper, Path tmp) throws Exception {
        Workspace ws = new Workspace(LayerwiseSettings.quick("mnist", List.of("bp"), 1), hyper, null,
                tmp.resolve("bases"), tmp.resolve("stages"), line -> {});
        List<ProbeTraining.Result> probes = new ArrayList<>();
        for (String kind : ProbeTraining.KINDS) {
            for (int l = 1; l < ws.spec().depth(); l++) {
                probes.add(new ProbeTraining.Result(kind, l, 1, 0.9, 0.9, 0.99));
            }
        }
        new LayerwiseRun("bp", 0, 200, 1, 0.9, 0.9, 0.99, 1, 1, probes).write(ws.baseDir("bp", 0));
        return new ClassifiersExperiment(ws, tmp.resolve("out")).run();
    }

    @Test
    void classifierNotesPrintTheValuesSetNotThePapers(@TempDir Path tmp) throws Exception {
        String notes = String.join("\n", classifiersTable(changed(), tmp).notes());
        assertTrue(notes.contains("dropout 0.25"), notes);
        assertTrue(notes.contains("L2 1e-3"), notes);
        assertTrue(notes.contains("SHC (lr 2e-3)"), notes);
        assertTrue(notes.contains("CHL (lr 0.03)"), notes);
        assertTrue(notes.contains("lr 5e-3 x0.5 after epoch 3"), notes);
        assertTrue(notes.contains("momentum 0.8"), notes);
        assertFalse(notes.contains("dropout 0.5") || notes.contains("5e-4") || notes.contains("lr 1e-3"), notes);
    }

    @Test
    void withThePapersValuesTheNotesStateThePapersValues(@TempDir Path tmp) throws Exception {
        String notes = String.join("\n", classifiersTable(Hyperparameters.paper(), tmp).notes());
        assertTrue(notes.contains("SGD (dropout 0.5, lr 1e-3 x0.5 after epochs 10-19, momentum 0.9, L2 5e-4), "
                + "SHC (lr 1e-3) and CHL (lr 0.01)"), notes);
    }

    @Test
    void numbersAreShortAndExact() {
        assertEquals("5e-4", Hyperparameters.number(5e-4));
        assertEquals("1e-3", Hyperparameters.number(0.001));
        assertEquals("2.5e-4", Hyperparameters.number(2.5e-4));
        assertEquals("0.5", Hyperparameters.number(0.5));
        assertEquals("0.01", Hyperparameters.number(0.01));
        assertEquals("2", Hyperparameters.number(2.0));
        assertEquals("0", Hyperparameters.number(0));
    }
}
