package org.hebbcnn.util;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean and 95% confidence half-width over independent runs (seeds), as the paper reports them:
 * {@code ci95 = t_{0.975, n-1} * s / sqrt(n)} with {@code s} the sample standard deviation
 * (divisor {@code n - 1}) and {@code t} the Student's t quantile from commons-math3. With five seeds
 * that is {@code 2.776445 * s / sqrt(5)}.
 *
 * <p>A single run has no spread to estimate: its ci95 is {@code NaN}, which {@link #format} shows as
 * {@code "n/a"} and {@code results.json} stores as {@code null}. A non-finite run (a diverged seed)
 * is kept, so the mean and ci95 come out {@code NaN} rather than silently leaving the seed out.
 */
public final class Statistics {
    private Statistics() {}

    /**
     * Summary of a set of runs.
     *
     * @param mean arithmetic mean of the runs
     * @param ci95 95% confidence half-width (Student's t, n - 1 degrees of freedom); NaN when n = 1
     * @param n number of runs
     * @param runs the runs themselves, in seed order (a copy); its length must be n
     */
    public record Summary(double mean, double ci95, int n, double[] runs) {
        public Summary {
            runs = runs == null ? new double[0] : runs.clone();
            if (n != runs.length) {
                throw new IllegalArgumentException("n = " + n + " but " + runs.length + " runs given");
            }
        }

        /** Runs, a copy. */
        @Override
        public double[] runs() {
            return runs.clone();
        }

        /** Whether a confidence half-width is known (n >= 2 and finite). */
        public boolean hasCi() {
            return Double.isFinite(ci95);
        }

        /** "98.23 ± 0.09", or "98.23 ± n/a" for a single run. */
        public String format() {
            return Statistics.format(mean, ci95);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Summary s
                    && Double.compare(mean, s.mean) == 0
                    && Double.compare(ci95, s.ci95) == 0
                    && n == s.n
                    && Arrays.equals(runs, s.runs);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * Double.hashCode(mean) + Double.hashCode(ci95)) + n) + Arrays.hashCode(runs);
        }

        @Override
        public String toString() {
            return "Summary[mean=" + mean + ", ci95=" + ci95 + ", n=" + n + ", runs=" + Arrays.toString(runs) + "]";
        }
    }

    /**
     * Mean and 95% confidence half-width of the runs.
     *
     * @throws IllegalArgumentException when {@code runs} is null or empty
     */
    public static Summary summarize(double[] runs) {
        if (runs == null || runs.length == 0) {
            throw new IllegalArgumentException("no runs to summarize");
        }
        int n = runs.length;
        double sum = 0;
        for (double r : runs) {
            sum += r;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Summary(mean, Double.NaN, 1, runs);
        }
        double ss = 0;
        for (double r : runs) {
            double d = r - mean;
            ss += d * d;
        }
        double s = Math.sqrt(ss / (n - 1));
        double ci = tQuantile975(n - 1) * s / Math.sqrt(n);
        return new Summary(mean, ci, n, runs);
    }

    /** Student's t quantile t_{0.975, df}: the two-sided 95% critical value. */
    public static double tQuantile975(int degreesOfFreedom) {
        if (degreesOfFreedom < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + degreesOfFreedom);
        }
        return new TDistribution(null, degreesOfFreedom).inverseCumulativeProbability(0.975);
    }

    /** "mean ± ci" with two decimals; "n/a" for a non-finite ci, "n/a" for a non-finite mean too. */
    public static String format(double mean, double ci95) {
        return fmt2(mean) + " ± " + fmt2(ci95);
    }

    /** Two decimals (Locale.ROOT), or "n/a" when not finite. */
    public static String fmt2(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.2f", x) : "n/a";
    }
}
