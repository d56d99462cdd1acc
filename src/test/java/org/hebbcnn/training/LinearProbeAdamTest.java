package org.hebbcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The linear probe trained by Adam (SoftHebb's readout): it learns, and a saved probe resumes bit for bit. */
class LinearProbeAdamTest {
    @TempDir
    Path tmp;

    @Test
    void learnsSeparableDataAndResumesBitIdentically() {
        try (NDManager m = Djl.newManager()) {
            NDArray labels = m.arange(0, 64).toType(ai.djl.ndarray.types.DataType.INT32, false).mod(4);
            NDArray x = labels.oneHot(4).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(3f)
                    .add(m.randomNormal(new ai.djl.ndarray.types.Shape(64, 4)).mul(0.1f));
            try (LinearProbe straight = probe(m); LinearProbe resumed = probe(m)) {
                for (int s = 0; s < 6; s++) {
                    straight.trainStep(x, labels);
                }
                for (int s = 0; s < 3; s++) {
                    resumed.trainStep(x, labels);
                }
                resumed.save(tmp.resolve("p.npz"));
                try (LinearProbe loaded = probe(m)) {
                    loaded.load(tmp.resolve("p.npz"));
                    for (int s = 0; s < 3; s++) {
                        loaded.trainStep(x, labels);
                    }
                    assertArrayEquals(straight.weight().toFloatArray(), loaded.weight().toFloatArray());
                    assertArrayEquals(straight.bias().toFloatArray(), loaded.bias().toFloatArray());
                }
                for (int s = 0; s < 60; s++) {
                    straight.trainStep(x, labels);
                }
                double acc = org.hebbcnn.nn.Accuracy.correct(straight.scores(x), labels, 1) / 64.0;
                assertTrue(acc > 0.95, "accuracy " + acc);
                // an SGD probe cannot read an Adam probe's file
                try (LinearProbe sgd = new LinearProbe(m, 4, 4, 7)) {
                    assertThrows(InputError.class, () -> sgd.load(tmp.resolve("p.npz")));
                }
            }
        }
    }

    private static LinearProbe probe(NDManager m) {
        LinearProbe p = new LinearProbe(m, 4, 4, 7);
        p.useAdam(0f);
        p.setLearningRate(0.05f);
        return p;
    }
}
