package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the rules converge to on small seeded synthetic data, with dense layers on inputs [D, 1, 1]
 * (one patch per sample). Targets (eigenvectors, cluster centres, centroids) are computed here from
 * the generating parameters, never from the code under test.
 */
// Slow: rules trained to convergence. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class ConvergenceTest {
    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Djl.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    // ---------------------------------------------------------------- helpers

    /** A random orthogonal D x D matrix (rows orthonormal), Gram-Schmidt on Gaussian rows. */
    static double[][] randomOrthogonal(int d, SplittableRandom r) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                q[i][j] = SlowRules.gaussian(r);
            }
            for (int p = 0; p < i; p++) {
                double proj = SlowRules.dot(q[i], q[p]);
                for (int j = 0; j < d; j++) {
                    q[i][j] -= proj * q[p][j];
                }
            }
            double n = SlowRules.norm(q[i]);
            for (int j = 0; j < d; j++) {
                q[i][j] /= n;
            }
        }
        return q;
    }

    /** b samples x = sum_i sqrt(lambda_i) z_i e_i, z standard normal: zero mean, covariance sum lambda e e^T. */
    static float[] gaussianBatch(int b, double[][] eigenvectors, double[] eigenvalues, SplittableRandom r) {
        int d = eigenvalues.length;
        float[] x = new float[b * d];
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < d; i++) {
                double z = Math.sqrt(eigenvalues[i]) * SlowRules.gaussian(r);
                for (int j = 0; j < d; j++) {
                    x[s * d + j] += (float) (z * eigenvectors[i][j]);
                }
            }
        }
        return x;
    }

    static double[] row(float[] w, int i, int d) {
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            out[j] = w[i * d + j];
        }
        return out;
    }

    /** One training step of a dense layer on a batch of D-vectors; temporaries freed at once. */
    static void step(HebbianLayer layer, float[] batch, int d, NDArray teacher, float lr) {
        try (NDManager it = manager.newSubManager()) {
            NDArray x = it.create(batch, new Shape(batch.length / d, d, 1, 1));
            if (teacher != null) {
                teacher.tempAttach(it);
            }
            layer.train(x, teacher, lr);
        }
    }

    // ---------------------------------------------------------------- Sanger and Oja: PCA

    @Test
    void classicalSangerFindsTheLeadingEigenvectorsInOrder() {
        int d = 8;
        int o = 4;
        double[] lambda = {10, 6, 3, 1.5, 0.5, 0.3, 0.2, 0.1};
        SplittableRandom r = new SplittableRandom(101);
        double[][] e = randomOrthogonal(d, r);
        try (HebbianLayer layer = HebbianLayer.fullyConnected(manager, new Shape(d, 1, 1), o, new Hpca(Activation.LINEAR),
                OutputFunction.IDENTITY, 5)) {
            for (int t = 0; t < 2500; t++) {
                float lr = t < 1800 ? 0.01f : 0.002f;
                step(layer, gaussianBatch(64, e, lambda, r), d, null, lr);
            }
            assertTrue(layer.weightsFinite());
            float[] w = layer.weights().toFloatArray();
            for (int i = 0; i < o; i++) {
                double[] wi = row(w, i, d);
                double cos = Math.abs(SlowRules.cosine(wi, e[i]));
                assertTrue(cos > 0.99, "neuron " + i + ": |cos(w, e_" + i + ")| = " + cos);
                assertEquals(1.0, SlowRules.norm(wi), 0.03, "neuron " + i + " norm");
            }
        }
    }

    @Test
    void linearOjaFindsTheUnitFirstPrincipalComponent() {
        int d = 5;
        double[] lambda = {5, 2, 1, 0.5, 0.2};
        SplittableRandom r = new SplittableRandom(102);
        double[][] e = randomOrthogonal(d, r);
        try (HebbianLayer layer = HebbianLayer.fullyConnected(manager, new Shape(d, 1, 1), 1,
                new Oja(Activation.LINEAR, Aggregation.MEAN), OutputFunction.IDENTITY, 6)) {
            for (int t = 0; t < 800; t++) {
                step(layer, gaussianBatch(32, e, lambda, r), d, null, t < 600 ? 0.02f : 0.004f);
            }
            double[] w = row(layer.weights().toFloatArray(), 0, d);
            double cos = Math.abs(SlowRules.cosine(w, e[0]));
            assertTrue(cos > 0.995, "|cos(w, e_1)| = " + cos);
            assertEquals(1.0, SlowRules.norm(w), 0.02, "||w||");
        }
    }

    // ---------------------------------------------------------------- HWTA: cluster centres

    @Test
    void hwtaNeuronsGoToDistinctClusterCentres() {
        int d = 6;
        int clusters = 4;
        double noise = 0.15;
        SplittableRandom r = new SplittableRandom(103);
        double[][] centres = new double[clusters][d];
        for (int c = 0; c < clusters; c++) {
            for (int j = 0; j < d; j++) {
                centres[c][j] = (j == c ? 2.0 : 0.0) + 0.3 * SlowRules.gaussian(r);
            }
        }
        for (int a = 0; a < clusters; a++) {
            for (int b = a + 1; b < clusters; b++) {
                assertTrue(SlowRules.cosine(centres[a], centres[b]) < 0.5, "centres must be angularly separated");
            }
        }
        try (HebbianLayer layer = HebbianLayer.fullyConnected(manager, new Shape(d, 1, 1), clusters, new Hwta(), null, 7)) {
            // Standard k-means-style start: neuron j starts at one noisy sample of cluster perm[j].
            int[] perm = {2, 0, 3, 1};
            float[] init = new float[clusters * d];
            for (int j = 0; j < clusters; j++) {
                for (int k = 0; k < d; k++) {
                    init[j * d + k] = (float) (centres[perm[j]][k] + noise * SlowRules.gaussian(r));
                }
            }
            layer.setWeights(manager.create(init, new Shape(clusters, d, 1, 1)));
            for (int t = 0; t < 300; t++) {
                float[] batch = new float[64 * d];
                for (int s = 0; s < 64; s++) {
                    int c = r.nextInt(clusters);
                    for (int k = 0; k < d; k++) {
                        batch[s * d + k] = (float) (centres[c][k] + noise * SlowRules.gaussian(r));
                    }
                }
                step(layer, batch, d, null, t < 200 ? 0.2f : 0.05f);
            }
            float[] w = layer.weights().toFloatArray();
            boolean[] taken = new boolean[clusters];
            for (int j = 0; j < clusters; j++) {
                double[] wj = row(w, j, d);
                int nearest = 0;
                for (int c = 1; c < clusters; c++) {
                    if (SlowRules.distance(wj, centres[c]) < SlowRules.distance(wj, centres[nearest])) {
                        nearest = c;
                    }
                }
                double dist = SlowRules.distance(wj, centres[nearest]);
                assertTrue(dist < 0.1, "neuron " + j + " is " + dist + " from its nearest centre " + nearest);
                assertTrue(!taken[nearest], "two neurons share centre " + nearest);
                taken[nearest] = true;
                // The initial sample was ~noise*sqrt(d) = 0.37 away: the neuron really moved to the centre.
                assertEquals(perm[j], nearest, "neuron " + j + " should stay with the cluster it started in");
            }
        }
    }

    // ---------------------------------------------------------------- k-WTA: exactly k winners

    @Test
    void kWtaActivatesExactlyKNeuronsPerPosition() {
        SplittableRandom r = new SplittableRandom(104);
        int b = 3;
        int c = 2;
        int h = 7;
        int o = 5;
        for (int k = 1; k <= o; k++) {
            try (NDManager m = manager.newSubManager()) {
                float[] xd;
                float[] wd;
                SlowRules.Patches p;
                double[][] cos;
                // Redraw (deterministically) until no position has a near-tie for the k-th place,
                // where float32 rounding could legitimately pick another winner.
                do {
                    xd = SlowRules.uniform(r, b * c * h * h, -1, 1);
                    wd = SlowRules.uniform(r, o * c * 9, -0.3, 0.3);
                    p = SlowRules.patches(xd, b, c, h, h, 3, 3);
                    cos = SlowRules.cosines(p, SlowRules.weightRows(wd, o));
                } while (SlowRules.winnerMargin(cos, k) < 1e-5);
                NDArray x = m.create(xd, new Shape(b, c, h, h));
                NDArray w = m.create(wd, new Shape(o, c, 3, 3));
                NDArray mask = new Hwta(k).activity(new RuleInput(x, w, org.hebbcnn.tensors.PatchOps.conv(x, w)));
                assertEquals(new Shape(b, o, 5, 5), mask.getShape());
                float[] v = mask.toFloatArray();
                double[][] slowMask = new double[p.count()][o];
                for (int n = 0; n < p.count(); n++) {
                    boolean[] won = SlowRules.topK(cos[n], k);
                    for (int i = 0; i < o; i++) {
                        slowMask[n][i] = won[i] ? 1 : 0;
                    }
                }
                double[] expected = SlowRules.toActivityLayout(p, slowMask);
                for (int bi = 0; bi < b; bi++) {
                    for (int pos = 0; pos < 25; pos++) {
                        int ones = 0;
                        for (int i = 0; i < o; i++) {
                            float val = v[(bi * o + i) * 25 + pos];
                            assertTrue(val == 0f || val == 1f, "mask value " + val);
                            ones += val == 1f ? 1 : 0;
                        }
                        assertEquals(k, ones, "winners at image " + bi + " position " + pos);
                    }
                }
                for (int i = 0; i < v.length; i++) {
                    assertEquals(expected[i], v[i], 0.0, "k=" + k + ": the winners are the top-k cosines (element " + i + ")");
                }
            }
        }
    }

    @Test
    void kWtaOnASinglePatchChangesExactlyKRows() {
        SplittableRandom r = new SplittableRandom(105);
        int c = 3;
        int o = 6;
        int kk = c * 4;
        for (int k : new int[] {1, 2, 3}) {
            try (NDManager m = manager.newSubManager();
                    HebbianLayer layer = new HebbianLayer(m, new Shape(o, c, 2, 2), new Hwta(k), 9)) {
                float[] xd = SlowRules.uniform(r, kk, -1, 1);
                NDArray x = m.create(xd, new Shape(1, c, 2, 2));
                float[] w0 = layer.weights().toFloatArray();
                double[][] w0Rows = SlowRules.weightRows(w0, o);
                double[] cos = new double[o];
                for (int i = 0; i < o; i++) {
                    cos[i] = SlowRules.cosine(SlowRules.weightRows(xd, 1)[0], w0Rows[i]);
                }
                boolean[] expectedWinners = SlowRules.topK(cos, k);
                layer.train(x, null, 0.5f);
                float[] w1 = layer.weights().toFloatArray();
                int changed = 0;
                for (int i = 0; i < o; i++) {
                    boolean rowChanged = false;
                    for (int j = 0; j < kk; j++) {
                        rowChanged |= w1[i * kk + j] != w0[i * kk + j];
                    }
                    changed += rowChanged ? 1 : 0;
                    assertEquals(expectedWinners[i], rowChanged, "k=" + k + " row " + i + " (cos " + cos[i] + ")");
                    if (rowChanged) {
                        // lr 0.5 towards the single patch: exactly halfway.
                        for (int j = 0; j < kk; j++) {
                            assertEquals((w0[i * kk + j] + xd[j]) / 2.0, w1[i * kk + j], 1e-6);
                        }
                    }
                }
                assertEquals(k, changed, "rows changed");
            }
        }
    }

    @Test
    void kWtaRejectsMoreWinnersThanNeurons() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomUniform(-1f, 1f, new Shape(2, 2, 4, 4));
            NDArray w = m.randomUniform(-1f, 1f, new Shape(3, 2, 3, 3));
            RuleInput in = new RuleInput(x, w, org.hebbcnn.tensors.PatchOps.conv(x, w));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Hwta(4).weightChange(in));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Hwta(0));
        }
    }

    // ---------------------------------------------------------------- SHC: class centroids

    static NDArray oneHot(NDManager m, int[] labels, int classes) {
        long[] l = new long[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[i];
        }
        return m.create(l).oneHot(classes);
    }

    @Test
    void shcClassVectorsConvergeToTheClassCentroids() {
        int d = 5;
        int classes = 4; // class 3 never appears
        SplittableRandom r = new SplittableRandom(106);
        double[][] means = new double[classes][d];
        for (double[] mu : means) {
            for (int j = 0; j < d; j++) {
                mu[j] = 2 * SlowRules.gaussian(r);
            }
        }
        int n = 90;
        int[] labels = new int[n];
        float[] data = new float[n * d];
        double[][] centroid = new double[classes][d];
        int[] count = new int[classes];
        for (int s = 0; s < n; s++) {
            labels[s] = s % 3 == 0 ? 0 : r.nextInt(3); // unbalanced classes
            for (int j = 0; j < d; j++) {
                data[s * d + j] = (float) (means[labels[s]][j] + 0.7 * SlowRules.gaussian(r));
                centroid[labels[s]][j] += data[s * d + j];
            }
            count[labels[s]]++;
        }
        try (HebbianLayer layer = HebbianLayer.fullyConnected(manager, new Shape(d, 1, 1), classes, new Shc(), null, 8)) {
            float[] w0 = layer.weights().toFloatArray();
            NDArray teacher = oneHot(manager, labels, classes);
            // Full batch, lr 0.5: the distance to the centroid halves every step.
            for (int t = 0; t < 40; t++) {
                step(layer, data, d, teacher, 0.5f);
            }
            float[] w = layer.weights().toFloatArray();
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(centroid[c][j] / count[c], w[c * d + j], 1e-5, "class " + c + " dim " + j);
                }
            }
            for (int j = 0; j < d; j++) {
                assertEquals(w0[3 * d + j], w[3 * d + j], 0.0, "absent class 3 must not move");
            }
        }
        // Streaming mini-batches with lr 0.1 then 0.02: close to the generating means.
        try (HebbianLayer layer = HebbianLayer.fullyConnected(manager, new Shape(d, 1, 1), classes, new Shc(), null, 9)) {
            for (int t = 0; t < 400; t++) {
                int[] lb = new int[32];
                float[] batch = new float[32 * d];
                for (int s = 0; s < 32; s++) {
                    lb[s] = r.nextInt(3);
                    for (int j = 0; j < d; j++) {
                        batch[s * d + j] = (float) (means[lb[s]][j] + 0.5 * SlowRules.gaussian(r));
                    }
                }
                try (NDManager it = manager.newSubManager()) {
                    step(layer, batch, d, oneHot(it, lb, classes), t < 250 ? 0.1f : 0.02f);
                }
            }
            float[] w = layer.weights().toFloatArray();
            for (int c = 0; c < 3; c++) {
                double dist = SlowRules.distance(row(w, c, d), means[c]);
                assertTrue(dist < 0.1, "class " + c + " vector is " + dist + " from its mean");
            }
        }
    }

    // ---------------------------------------------------------------- SOM: a topographic map

    @Test
    void somSigmaShrinksGeometricallyWithProgress() {
        Som som = new Som(1, 5, 2.0, 0.25);
        assertEquals(2.0, som.sigma(), 1e-12, "starts at sigmaStart");
        som.setProgress(0.5);
        assertEquals(Math.sqrt(2.0 * 0.25), som.sigma(), 1e-12, "geometric midpoint");
        som.setProgress(1);
        assertEquals(0.25, som.sigma(), 1e-12, "ends at sigmaEnd");
        som.setProgress(1.7);
        assertEquals(0.25, som.sigma(), 1e-12, "progress clamped above");
        som.setProgress(-1);
        assertEquals(2.0, som.sigma(), 1e-12, "progress clamped below");
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 10; i++) {
            som.setProgress(i / 10.0);
            assertTrue(som.sigma() < previous, "sigma strictly decreasing");
            previous = som.sigma();
        }
        assertEquals(5 / 4.0, new Som(1, 5).sigma(), 1e-12, "default start width max(rows, cols) / 4");
    }

    /**
     * Inputs on a 1-D manifold (unit vectors at angles in [0, pi/2]); after training a 1 x 5 map,
     * the weight angles run monotonically along the map and spread over the data: neighbours on
     * the map have neighbouring weights. Several seeds, random initial weights.
     */
    @Test
    void somOn1dDataBecomesTopographicallyOrdered() {
        int o = 5;
        int steps = 400;
        for (long seed : new long[] {1, 2, 3}) {
            SplittableRandom r = new SplittableRandom(200 + seed);
            Som som = new Som(1, o, 2.0, 0.3);
            try (HebbianLayer layer = HebbianLayer.fullyConnected(manager, new Shape(2, 1, 1), o, som, null, seed)) {
                double lastSigma = Double.POSITIVE_INFINITY;
                for (int t = 0; t < steps; t++) {
                    som.setProgress(t / (double) (steps - 1));
                    assertTrue(som.sigma() <= lastSigma);
                    lastSigma = som.sigma();
                    float[] batch = new float[32 * 2];
                    for (int s = 0; s < 32; s++) {
                        double theta = r.nextDouble() * Math.PI / 2;
                        batch[2 * s] = (float) Math.cos(theta);
                        batch[2 * s + 1] = (float) Math.sin(theta);
                    }
                    step(layer, batch, 2, null, 0.2f);
                }
                assertEquals(0.3, som.sigma(), 1e-9);
                float[] w = layer.weights().toFloatArray();
                double[] angle = new double[o];
                for (int i = 0; i < o; i++) {
                    angle[i] = Math.atan2(w[2 * i + 1], w[2 * i]);
                }
                boolean increasing = angle[1] > angle[0];
                for (int i = 1; i < o; i++) {
                    assertTrue(increasing ? angle[i] > angle[i - 1] + 0.05 : angle[i] < angle[i - 1] - 0.05,
                            "seed " + seed + ": map not ordered, angles " + java.util.Arrays.toString(angle));
                }
                double lo = Math.min(angle[0], angle[o - 1]);
                double hi = Math.max(angle[0], angle[o - 1]);
                assertTrue(lo > -0.05 && hi < Math.PI / 2 + 0.05, "weights inside the data: " + java.util.Arrays.toString(angle));
                assertTrue(hi - lo > 0.6 * Math.PI / 2, "map spreads over the data: " + java.util.Arrays.toString(angle));
            }
        }
    }
}
