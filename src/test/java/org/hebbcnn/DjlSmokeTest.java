package org.hebbcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

class DjlSmokeTest {
    @Test
    void matmul() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            assertEquals(7f, a.matMul(a).getFloat(0, 1) - 3f, 1e-6);
            System.out.println("engine " + m.getEngine().getEngineName() + " " + m.getEngine().getVersion());
        }
    }
}
