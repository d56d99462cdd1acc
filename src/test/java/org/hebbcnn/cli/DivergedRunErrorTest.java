package org.hebbcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.hebbcnn.training.CheckpointedTraining;
import org.junit.jupiter.api.Test;

/** A run that diverges (a rate too high) ends with one line naming the layer, not an "internal error". */
class DivergedRunErrorTest {
    @Test
    void aDivergedTrainingIsOneLineAndExitCode3() {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        int code;
        try {
            code = Main.handle(new RuntimeException(new CheckpointedTraining.DivergedException(
                    "training diverged in epoch 2: the SGD probe on layer 2 is no longer finite; lower the learning rate")), false);
        } finally {
            System.setErr(err);
        }
        assertEquals(3, code);
        String out = buf.toString().trim();
        assertEquals("hebbcnn: training diverged in epoch 2: the SGD probe on layer 2 is no longer finite; lower the learning rate", out);
        assertFalse(out.contains("internal error"));
    }
}
