package org.hebbcnn.util;

import static org.junit.jupiter.api.Assertions.*;

import org.hebbcnn.util.Statistics.Summary;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void studentTQuantilesMatchTables() {
        assertEquals(2.776445, Statistics.tQuantile975(4), 1e-6);
        assertEquals(12.7062, Statistics.tQuantile975(1), 1e-4);
        assertEquals(2.262157, Statistics.tQuantile975(9), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Statistics.tQuantile975(0));
    }

    @Test
    void fiveRunsHandComputed() {
        // mean 3; s = sqrt(10/4) = 1.5811388; ci = 2.7764451 * 1.5811388 / sqrt(5) = 2.7764451 * sqrt(0.5)
        Summary s = Statistics.summarize(new double[] {1, 2, 3, 4, 5});
        assertEquals(3.0, s.mean(), 1e-12);
        assertEquals(1.9632432, s.ci95(), 1e-6);
        assertEquals(5, s.n());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5}, s.runs());
        assertTrue(s.hasCi());
        assertEquals("3.00 ± 1.96", s.format());
    }

    @Test
    void paperLikeRunsHandComputed() {
        // 98.1, 98.2, 98.3, 98.2, 98.2: mean 98.2, deviations sum of squares 0.02, s^2 = 0.005
        // ci = 2.776445 * sqrt(0.005) / sqrt(5) = 2.776445 * sqrt(0.001) = 0.0877985
        Summary s = Statistics.summarize(new double[] {98.1, 98.2, 98.3, 98.2, 98.2});
        assertEquals(98.2, s.mean(), 1e-9);
        assertEquals(0.0877985, s.ci95(), 1e-6);
        assertEquals("98.20 ± 0.09", s.format());
    }

    @Test
    void twoRunsUseOneDegreeOfFreedom() {
        // s = 0.1414214, ci = 12.7062 * 0.1414214 / sqrt(2) = 12.7062 * 0.1 = 1.27062
        Summary s = Statistics.summarize(new double[] {98.1, 98.3});
        assertEquals(98.2, s.mean(), 1e-9);
        assertEquals(1.27062, s.ci95(), 1e-4);
    }

    @Test
    void singleRunHasNoCiAndDoesNotCrash() {
        Summary s = Statistics.summarize(new double[] {98.234});
        assertEquals(98.234, s.mean());
        assertTrue(Double.isNaN(s.ci95()));
        assertFalse(s.hasCi());
        assertEquals(1, s.n());
        assertEquals("98.23 ± n/a", s.format());
    }

    @Test
    void constantRunsHaveZeroCi() {
        Summary s = Statistics.summarize(new double[] {50, 50, 50});
        assertEquals(0.0, s.ci95());
        assertEquals("50.00 ± 0.00", s.format());
    }

    @Test
    void divergedRunIsNotHidden() {
        Summary s = Statistics.summarize(new double[] {90, Double.NaN, 91});
        assertTrue(Double.isNaN(s.mean()));
        assertEquals("n/a ± n/a", s.format());
    }

    @Test
    void emptyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Statistics.summarize(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Statistics.summarize(null));
    }

    @Test
    void summaryIsAValueWithItsOwnCopyOfTheRuns() {
        double[] runs = {1, 2, 3};
        Summary a = Statistics.summarize(runs);
        runs[0] = 100;
        assertEquals(1, a.runs()[0]);
        a.runs()[1] = 100;
        assertEquals(2, a.runs()[1]);
        Summary b = Statistics.summarize(new double[] {1, 2, 3});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Statistics.summarize(new double[] {1, 2, 4}));
        assertEquals(Statistics.summarize(new double[] {7}), Statistics.summarize(new double[] {7}), "NaN ci95 equal");
        assertThrows(IllegalArgumentException.class, () -> new Summary(1, 0, 2, new double[] {1}));
    }
}
