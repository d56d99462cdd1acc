package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow twins of the plasticity rules: plain Java loops over explicit patches, double accumulation,
 * written straight from the textbook definitions (one patch at a time, one neuron at a time). They
 * share no code with the tensor implementations and are meant to be obviously right, not fast.
 *
 * <p>Conventions: input x [B, C, H, W], weights W [O, C, kh, kw], stride 1, no padding. Patch n is
 * (b, p, q) with n = (b * H' + p) * W' + q; patch and weight vectors are flattened in the order
 * (c, i, j), the row-major order of a kernel slice W[o], so w_o . x_n is the convolution.
 */
final class SlowRules {
    private SlowRules() {}

    /** Every receptive field of an input, plus the geometry needed to map results back to tensors. */
    record Patches(double[][] rows, int batch, int outH, int outW) {
        int count() {
            return rows.length;
        }

        int positionsPerImage() {
            return outH * outW;
        }

        /** The image a patch belongs to. */
        int image(int n) {
            return n / positionsPerImage();
        }
    }

    // ---------------------------------------------------------------- patches and plain algebra

    /** All N = B * H' * W' patches of x (flat [B, C, H, W]) for a kh x kw kernel. */
    static Patches patches(float[] x, int b, int c, int h, int w, int kh, int kw) {
        assertEquals((long) b * c * h * w, x.length, "input length");
        int oh = h - kh + 1;
        int ow = w - kw + 1;
        double[][] rows = new double[b * oh * ow][c * kh * kw];
        for (int bi = 0; bi < b; bi++) {
            for (int p = 0; p < oh; p++) {
                for (int q = 0; q < ow; q++) {
                    double[] row = rows[(bi * oh + p) * ow + q];
                    int col = 0;
                    for (int ci = 0; ci < c; ci++) {
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                row[col++] = x[((bi * c + ci) * h + p + i) * w + q + j];
                            }
                        }
                    }
                }
            }
        }
        return new Patches(rows, b, oh, ow);
    }

    /** W [O, C, kh, kw] (flat) as O rows of length C * kh * kw. */
    static double[][] weightRows(float[] w, int o) {
        int k = w.length / o;
        double[][] rows = new double[o][k];
        for (int i = 0; i < o; i++) {
            for (int j = 0; j < k; j++) {
                rows[i][j] = w[i * k + j];
            }
        }
        return rows;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** cos(a, b); 0 when either is zero (an all-zero patch scores 0 against every neuron, so they all tie). */
    static double cosine(double[] a, double[] b) {
        double norms = norm(a) * norm(b);
        return norms == 0 ? 0 : dot(a, b) / norms;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** s[n][i] = w_i . x_n, the pre-activation of every neuron on every patch. */
    static double[][] preActivation(Patches p, double[][] w) {
        double[][] s = new double[p.count()][w.length];
        for (int n = 0; n < p.count(); n++) {
            for (int i = 0; i < w.length; i++) {
                s[n][i] = dot(w[i], p.rows()[n]);
            }
        }
        return s;
    }

    /** y = f(w . x): ReLU or linear. */
    static double[][] activity(Patches p, double[][] w, boolean relu) {
        double[][] y = preActivation(p, w);
        if (relu) {
            for (double[] row : y) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = Math.max(0, row[i]);
                }
            }
        }
        return y;
    }

    /** cos[n][i] = cos(x_n, w_i). */
    static double[][] cosines(Patches p, double[][] w) {
        double[][] cos = new double[p.count()][w.length];
        for (int n = 0; n < p.count(); n++) {
            for (int i = 0; i < w.length; i++) {
                cos[n][i] = cosine(p.rows()[n], w[i]);
            }
        }
        return cos;
    }

    /**
     * The k largest values of a row, found by repeated selection, and every value equal to the k-th
     * of them (the reference lets all tied maxima win).
     */
    static boolean[] topK(double[] values, int k) {
        boolean[] chosen = new boolean[values.length];
        double kth = Double.NaN;
        for (int round = 0; round < k; round++) {
            int best = -1;
            for (int i = 0; i < values.length; i++) {
                if (!chosen[i] && (best < 0 || values[i] > values[best])) {
                    best = i;
                }
            }
            chosen[best] = true;
            kth = values[best];
        }
        for (int i = 0; i < values.length; i++) {
            chosen[i] |= values[i] == kth;
        }
        return chosen;
    }

    /**
     * The smallest gap, over all patches, between the k-th and (k+1)-th largest cosine: if it is
     * tiny, float32 rounding may legitimately pick another winner, and a comparison would be unfair.
     */
    static double winnerMargin(double[][] cos, int k) {
        double margin = Double.POSITIVE_INFINITY;
        for (double[] row : cos) {
            if (k >= row.length) {
                continue;
            }
            double[] sorted = row.clone();
            java.util.Arrays.sort(sorted);
            margin = Math.min(margin, sorted[sorted.length - k] - sorted[sorted.length - k - 1]);
        }
        return margin;
    }

    // ---------------------------------------------------------------- rules, from their definitions

    /** Sanger: dw_i = (1/N) sum_n y_ni (x_n - sum_{j<=i} y_nj w_j). */
    static double[][] sanger(Patches p, double[][] w, boolean relu) {
        double[][] y = activity(p, w, relu);
        int o = w.length;
        int k = w[0].length;
        double[][] dw = new double[o][k];
        for (int n = 0; n < p.count(); n++) {
            double[] x = p.rows()[n];
            // residual = x_n - sum_{j<=i} y_nj w_j, built up one neuron at a time.
            double[] residual = x.clone();
            for (int i = 0; i < o; i++) {
                for (int d = 0; d < k; d++) {
                    residual[d] -= y[n][i] * w[i][d];
                }
                for (int d = 0; d < k; d++) {
                    dw[i][d] += y[n][i] * residual[d];
                }
            }
        }
        return scale(dw, 1.0 / p.count());
    }

    /** The three Miconi forms for activity y. */
    enum Form {
        HEBB,
        INSTAR,
        OJA
    }

    /**
     * Hebb (1/N) sum y x; instar (1/N) sum y (x - w); Oja (1/N) sum y (x - y w), with y = ReLU(w.x)
     * or w.x. activityWeighted: divide by sum_n y_ni instead of N (zero if that sum is 0).
     */
    static double[][] miconi(Form form, Patches p, double[][] w, boolean relu, boolean activityWeighted) {
        double[][] y = activity(p, w, relu);
        int o = w.length;
        int k = w[0].length;
        double[][] dw = new double[o][k];
        double[] total = new double[o];
        for (int n = 0; n < p.count(); n++) {
            double[] x = p.rows()[n];
            for (int i = 0; i < o; i++) {
                double yi = y[n][i];
                total[i] += yi;
                for (int d = 0; d < k; d++) {
                    double term;
                    switch (form) {
                        case HEBB:
                            term = yi * x[d];
                            break;
                        case INSTAR:
                            term = yi * (x[d] - w[i][d]);
                            break;
                        default:
                            term = yi * (x[d] - yi * w[i][d]);
                    }
                    dw[i][d] += term;
                }
            }
        }
        for (int i = 0; i < o; i++) {
            double divisor = activityWeighted ? total[i] : p.count();
            for (int d = 0; d < k; d++) {
                dw[i][d] = divisor == 0 ? 0 : dw[i][d] / divisor;
            }
        }
        return dw;
    }

    /**
     * k-WTA: at each patch the k neurons with the largest cos(x_n, w_i) win; a winner's patch
     * weight a is 1, or ((cos + 1) / 2)^2 when scoreWeighted; dw_i = sum a (x - w_i) / sum a
     * (zero if i never won), or / N when meanAggregation.
     */
    static double[][] kWta(Patches p, double[][] w, int k, boolean scoreWeighted, boolean meanAggregation) {
        double[][] cos = cosines(p, w);
        int o = w.length;
        int dim = w[0].length;
        double[][] dw = new double[o][dim];
        double[] total = new double[o];
        for (int n = 0; n < p.count(); n++) {
            boolean[] won = topK(cos[n], k);
            for (int i = 0; i < o; i++) {
                if (!won[i]) {
                    continue;
                }
                double a = scoreWeighted ? Math.pow((cos[n][i] + 1) / 2, 2) : 1;
                total[i] += a;
                for (int d = 0; d < dim; d++) {
                    dw[i][d] += a * (p.rows()[n][d] - w[i][d]);
                }
            }
        }
        for (int i = 0; i < o; i++) {
            double divisor = meanAggregation ? p.count() : total[i];
            for (int d = 0; d < dim; d++) {
                dw[i][d] = divisor == 0 ? 0 : dw[i][d] / divisor;
            }
        }
        return dw;
    }

    /** The 1-WTA winner (largest cosine) of every patch. */
    static int[] winners(Patches p, double[][] w) {
        double[][] cos = cosines(p, w);
        int[] c = new int[p.count()];
        for (int n = 0; n < c.length; n++) {
            for (int i = 1; i < w.length; i++) {
                if (cos[n][i] > cos[n][c[n]]) {
                    c[n] = i;
                }
            }
        }
        return c;
    }

    /**
     * SOM on a rows x cols map: winner c per patch by cosine; g = exp(-d(c, i)^2 / (2 sigma^2)),
     * d the Euclidean distance between map cells (c / cols, c % cols) and (i / cols, i % cols);
     * dw_i = sum_n g_ni (x_n - w_i) / sum_n g_ni.
     */
    static double[][] som(Patches p, double[][] w, int rows, int cols, double sigma) {
        assertEquals(rows * cols, w.length, "map size");
        int[] winner = winners(p, w);
        int o = w.length;
        int dim = w[0].length;
        double[][] dw = new double[o][dim];
        double[] total = new double[o];
        for (int n = 0; n < p.count(); n++) {
            int c = winner[n];
            for (int i = 0; i < o; i++) {
                double dr = (c / cols) - (i / cols);
                double dc = (c % cols) - (i % cols);
                double g = Math.exp(-(dr * dr + dc * dc) / (2 * sigma * sigma));
                total[i] += g;
                for (int d = 0; d < dim; d++) {
                    dw[i][d] += g * (p.rows()[n][d] - w[i][d]);
                }
            }
        }
        for (int i = 0; i < o; i++) {
            for (int d = 0; d < dim; d++) {
                dw[i][d] /= total[i];
            }
        }
        return dw;
    }

    /** SHC: dw_c = mean over images labelled c and all their positions of x_n, minus w_c; 0 if absent. */
    static double[][] shc(Patches p, double[][] w, int[] labels) {
        int o = w.length;
        int dim = w[0].length;
        double[][] mean = new double[o][dim];
        int[] count = new int[o];
        for (int n = 0; n < p.count(); n++) {
            int c = labels[p.image(n)];
            count[c]++;
            for (int d = 0; d < dim; d++) {
                mean[c][d] += p.rows()[n][d];
            }
        }
        double[][] dw = new double[o][dim];
        for (int c = 0; c < o; c++) {
            if (count[c] == 0) {
                continue;
            }
            for (int d = 0; d < dim; d++) {
                dw[c][d] = mean[c][d] / count[c] - w[c][d];
            }
        }
        return dw;
    }

    static double[][] scale(double[][] a, double f) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
            for (int d = 0; d < out[i].length; d++) {
                out[i][d] *= f;
            }
        }
        return out;
    }

    /** Rows [N][O] (patch-major) as the flat [B, O, H', W'] layout of an activity tensor. */
    static double[] toActivityLayout(Patches p, double[][] rows) {
        int o = rows[0].length;
        int hw = p.positionsPerImage();
        double[] out = new double[p.count() * o];
        for (int n = 0; n < p.count(); n++) {
            int b = n / hw;
            int pos = n % hw;
            for (int i = 0; i < o; i++) {
                out[(b * o + i) * hw + pos] = rows[n][i];
            }
        }
        return out;
    }

    static double[] flatten(double[][] a) {
        int k = a[0].length;
        double[] out = new double[a.length * k];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * k, k);
        }
        return out;
    }

    // ---------------------------------------------------------------- random data and comparisons

    static float[] uniform(SplittableRandom r, int size, double lo, double hi) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    static double gaussian(SplittableRandom r) {
        // Box-Muller, so the stream depends on nothing but the seed.
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** ||fast - slow|| / ||slow||. */
    static double relativeError(float[] fast, double[] slow) {
        assertEquals(slow.length, fast.length, "element count");
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < slow.length; i++) {
            diff += (fast[i] - slow[i]) * (fast[i] - slow[i]);
            ref += slow[i] * slow[i];
        }
        return Math.sqrt(diff / ref);
    }

    /**
     * fast matches slow: relative Frobenius error below tol, and every element within tol of the
     * largest |slow| (so a single wrong element cannot hide in a large norm). Exact zeros of slow
     * (neurons a rule leaves unchanged) must be exact zeros of fast... up to the same floor.
     */
    static void assertMatches(String what, NDArray fast, double[] slow, double tol) {
        float[] f = fast.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        assertEquals(slow.length, f.length, what + ": element count");
        double max = 0;
        for (double v : slow) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0, what + ": the reference is all zeros, the test would prove nothing");
        double rel = relativeError(f, slow);
        assertTrue(rel < tol, what + ": relative error " + rel + " >= " + tol);
        for (int i = 0; i < slow.length; i++) {
            double err = Math.abs(f[i] - slow[i]);
            if (err > tol * max) {
                throw new AssertionError(what + ": element " + i + " fast " + f[i] + " slow " + slow[i]
                        + " (error " + err + ", floor " + tol * max + ")");
            }
        }
    }

    static void assertMatches(String what, NDArray fast, double[][] slow, double tol) {
        assertMatches(what, fast, flatten(slow), tol);
    }
}
