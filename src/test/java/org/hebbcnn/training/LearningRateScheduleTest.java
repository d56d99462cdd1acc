package org.hebbcnn.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LearningRateScheduleTest {
    /** MultiStepLR(milestones=range(10, 20), gamma=0.5), stepped after every epoch, epochs from 1. */
    @Test
    void baselineSequenceForTwentyEpochs() {
        LearningRateSchedule s = LearningRateSchedule.baseline();
        double[] expected = new double[21];
        for (int e = 1; e <= 10; e++) {
            expected[e] = 1e-3;
        }
        double lr = 1e-3;
        for (int e = 11; e <= 20; e++) {
            lr *= 0.5;
            expected[e] = lr;
        }
        for (int e = 1; e <= 20; e++) {
            assertEquals((float) expected[e], s.at(e), 0f, "epoch " + e);
        }
        assertEquals(1e-3f, s.at(10), 0f);
        assertEquals(5e-4f, s.at(11), 0f);
        assertEquals(2.5e-4f, s.at(12), 0f);
        assertEquals((float) (1e-3 / 1024), s.at(20), 0f);
        assertEquals(s.at(20), s.at(25), 0f, "no milestone after 19");
    }

    @Test
    void otherBasesAndConstant() {
        assertEquals(0.05f, LearningRateSchedule.baseline(0.1).at(11), 0f);
        assertEquals(0.1f, LearningRateSchedule.baseline(0.1).at(10), 0f);
        assertEquals(0.3f, LearningRateSchedule.constant(0.3).at(100), 0f);
        assertEquals(0.25f, new LearningRateSchedule(1, 0.5, 3, 1).at(4), 0f, "milestones are sorted");
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.baseline().at(0));
    }
}
