package org.hebbcnn.rules;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class LayerWeightsFileTest {
    @Test
    void weightsRoundTripThroughNpyAndShapeIsChecked(@TempDir Path dir) {
        try (NDManager m = Djl.newManager();
                HebbianLayer a = new HebbianLayer(m, new Shape(4, 3, 5, 5), new Hpca(), 1);
                HebbianLayer b = new HebbianLayer(m, new Shape(4, 3, 5, 5), new Hpca(), 2);
                HebbianLayer c = new HebbianLayer(m, new Shape(5, 3, 5, 5), new Hpca(), 2)) {
            Path file = dir.resolve("w.npy");
            a.saveWeights(file);
            assertNotEquals(a.weights(), b.weights());
            b.loadWeights(file);
            assertEquals(a.weights(), b.weights());
            InputError e = assertThrows(InputError.class, () -> c.loadWeights(file));
            assertTrue(e.getMessage().contains("w.npy"), e.getMessage());
        }
    }
}
