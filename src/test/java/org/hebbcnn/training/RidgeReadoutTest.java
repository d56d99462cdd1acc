package org.hebbcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.features.FeatureBatch;
import org.hebbcnn.features.FeatureSource;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;

/**
 * The ridge readout on tiny synthetic features: its W and b are the centred normal equations' solution
 * (checked against Gaussian elimination in plain loops), the same however the images are batched,
 * the validation set chooses alpha, flips double the training sums, an oversized layer is refused,
 * and a separable task is read out almost perfectly.
 */
class RidgeReadoutTest {
    /** Features of an image 1 x 1 x F: its pixels in [0,1] times 4, plus 10 + j on feature j (an intercept that matters). */
    private static final Function<NDArray, NDList> SHIFTED = images -> {
        long b = images.getShape().get(0);
        NDArray x = images.reshape(b, -1);
        NDArray shift = x.getManager().arange(0f, (float) x.getShape().get(1)).add(10f);
        return new NDList(x.mul(4f).add(shift));
    };

    private static FeatureSource source(Function<NDArray, NDList> network) {
        return FeatureSource.live(Normalization.none(), network);
    }

    /** The same source cut into batches of {@code size} whatever batches are asked for. */
    private static FeatureSource batchesOf(int size, FeatureSource source) {
        return (set, options, epoch, manager) -> source.batches(set, BatchOptions.evaluation(size), epoch, manager);
    }

    /** n random images 1 x 1 x f with random labels 0..classes-1. */
    private static ImageSet randomSet(String name, int n, int f, int classes, long seed) {
        Random r = new Random(seed);
        byte[] pixels = new byte[n * f];
        r.nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
        }
        return new ImageSet(name, 1, 1, f, pixels, labels, classes);
    }

    /**
     * n images 1 x 1 x f of a separable task: feature c high for class c, the others low, plus noise;
     * {@code classZeroShare} of the images are of class 0, the rest shared evenly by the others.
     */
    private static ImageSet separable(String name, int n, int f, int classes, double classZeroShare, long seed) {
        Random r = new Random(seed);
        byte[] pixels = new byte[n * f];
        int[] labels = new int[n];
        int zeros = (int) Math.round(n * classZeroShare);
        for (int i = 0; i < n; i++) {
            int c = i < zeros ? 0 : 1 + (i - zeros) % (classes - 1);
            labels[i] = c;
            for (int j = 0; j < f; j++) {
                double v = (j % classes == c ? 170 : 80) + 25 * r.nextGaussian();
                pixels[i * f + j] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return new ImageSet(name, 1, 1, f, pixels, labels, classes);
    }

    /** Every image's features as doubles, in the set's order. */
    private static double[][] features(FeatureSource source, ImageSet set, NDManager m) {
        double[][] out = new double[set.size()][];
        for (FeatureBatch b : source.batches(set, BatchOptions.evaluation(Evaluation.BATCH), 0, m)) {
            try (b) {
                NDArray x = b.features().get(0);
                int f = (int) (x.size() / b.size());
                double[] values = x.toType(DataType.FLOAT64, false).toDoubleArray();
                int[] rows = b.indices();
                for (int i = 0; i < rows.length; i++) {
                    out[rows[i]] = java.util.Arrays.copyOfRange(values, i * f, (i + 1) * f);
                }
            }
        }
        return out;
    }

    /** sklearn's Ridge by the book: centred normal equations plus alpha I, solved by Gaussian elimination. */
    private static double[][] referenceFit(double[][] x, int[] labels, int classes, double alpha) {
        int n = x.length;
        int f = x[0].length;
        double[] xMean = new double[f];
        double[] yMean = new double[classes];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                xMean[j] += x[i][j] / n;
            }
            yMean[labels[i]] += 1.0 / n;
        }
        double[][] a = new double[f][f + classes]; // [Xc^T Xc + alpha I | Xc^T Yc]
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double xj = x[i][j] - xMean[j];
                for (int k = 0; k < f; k++) {
                    a[j][k] += xj * (x[i][k] - xMean[k]);
                }
                for (int c = 0; c < classes; c++) {
                    a[j][f + c] += xj * ((labels[i] == c ? 1 : 0) - yMean[c]);
                }
            }
        }
        for (int j = 0; j < f; j++) {
            a[j][j] += alpha;
        }
        for (int p = 0; p < f; p++) { // elimination with partial pivoting
            int max = p;
            for (int r = p + 1; r < f; r++) {
                if (Math.abs(a[r][p]) > Math.abs(a[max][p])) {
                    max = r;
                }
            }
            double[] t = a[p];
            a[p] = a[max];
            a[max] = t;
            for (int r = p + 1; r < f; r++) {
                double factor = a[r][p] / a[p][p];
                for (int k = p; k < f + classes; k++) {
                    a[r][k] -= factor * a[p][k];
                }
            }
        }
        double[][] w = new double[f + 1][classes]; // rows 0..f-1: W; row f: b
        for (int c = 0; c < classes; c++) {
            for (int j = f - 1; j >= 0; j--) {
                double s = a[j][f + c];
                for (int k = j + 1; k < f; k++) {
                    s -= a[j][k] * w[k][c];
                }
                w[j][c] = s / a[j][j];
            }
            double b = yMean[c];
            for (int j = 0; j < f; j++) {
                b -= xMean[j] * w[j][c];
            }
            w[f][c] = b;
        }
        return w;
    }

    private static double[][] fitted(RidgeSums.Solution s) {
        int f = (int) s.weight().getShape().get(0);
        int classes = (int) s.weight().getShape().get(1);
        double[] w = s.weight().toDoubleArray();
        double[] b = s.bias().toDoubleArray();
        double[][] out = new double[f + 1][classes];
        for (int j = 0; j < f; j++) {
            System.arraycopy(w, j * classes, out[j], 0, classes);
        }
        out[f] = b;
        return out;
    }

    private static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            for (double v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    private static void assertClose(double[][] expected, double[][] actual, double relative, String what) {
        double tolerance = relative * maxAbs(expected);
        for (int i = 0; i < expected.length; i++) {
            for (int c = 0; c < expected[i].length; c++) {
                assertEquals(expected[i][c], actual[i][c], tolerance, what + " [" + i + "][" + c + "]");
            }
        }
    }

    private static RidgeSums.Solution solveOne(RidgeReadout ridge, FeatureSource source, ImageSet train, double alpha,
            NDManager m) {
        List<RidgeSums> sums = ridge.accumulate(source, List.of(train));
        try {
            assertEquals(1, sums.size());
            return sums.get(0).solve(new double[] {alpha}, m).get(0);
        } finally {
            sums.forEach(RidgeSums::close);
        }
    }

    @Test
    void weightAndInterceptAreTheCentredNormalEquationsSolution() {
        ImageSet train = randomSet("train", 90, 7, 3, 1);
        try (NDManager m = Djl.newManager()) {
            FeatureSource source = source(SHIFTED);
            double[][] expected = referenceFit(features(source, train, m), train.labels(), 3, 0.5);
            double[][] actual = fitted(solveOne(new RidgeReadout(m, 3), source, train, 0.5, m));
            assertClose(expected, actual, 1e-6, "W (rows 0-6) and b (row 7)");
            double[] yMean = new double[3];
            for (int label : train.labels()) {
                yMean[label] += 1.0 / train.size();
            }
            double shift = 0;
            for (int c = 0; c < 3; c++) {
                shift = Math.max(shift, Math.abs(expected[7][c] - yMean[c]));
            }
            assertTrue(shift > 0.05, "the shifted features move the intercept away from mean(y): " + shift);
        }
    }

    @Test
    void batchByBatchGivesTheSameFitAsOneBatch() {
        ImageSet train = randomSet("train", 100, 9, 4, 2);
        try (NDManager m = Djl.newManager()) {
            FeatureSource source = source(SHIFTED);
            double[][] one = fitted(solveOne(new RidgeReadout(m, 4), batchesOf(1000, source), train, 0.5, m));
            double[][] many = fitted(solveOne(new RidgeReadout(m, 4), batchesOf(7, source), train, 0.5, m));
            assertClose(one, many, 1e-9, "batches of 7 against one batch");
        }
    }

    @Test
    void validationChoosesTheAlphaAndTiesGoToTheEarliest() {
        // Training: 70% class 0. A huge alpha shrinks W to ~0, leaving the intercept, which always says
        // class 0: chance on the balanced validation and test sets. A small alpha reads the task.
        ImageSet train = separable("train", 120, 6, 3, 0.7, 3);
        ImageSet validation = separable("validation", 60, 6, 3, 1 / 3.0, 4);
        ImageSet test = separable("test", 60, 6, 3, 1 / 3.0, 5);
        try (NDManager m = Djl.newManager()) {
            FeatureSource source = source(images -> new NDList(images.reshape(images.getShape().get(0), -1)));
            RidgeReadout.Result r = new RidgeReadout(m, 3).alphas(1e9, 1e-2, 1e7)
                    .fit(source, List.of(train), validation, test).get(0);
            assertEquals(1e-2, r.alpha());
            assertTrue(r.alphas().get(0).validationTop1() < 0.5, "the huge alpha is near chance: " + r.alphas());
            assertTrue(r.validationTop1() > 0.9 && r.testTop1() > 0.9, r.toString());
            assertEquals(r.alphas().get(1).validationTop1(), r.validationTop1());
            assertTrue(Double.isNaN(r.testTop5()), "top-5 of 3 classes");

            RidgeReadout.Result tie = new RidgeReadout(m, 3).alphas(1e-3, 1e-2).fit(source, List.of(train), validation, test)
                    .get(0);
            assertEquals(tie.alphas().get(0).validationTop1(), tie.alphas().get(1).validationTop1(), "both read the task");
            assertEquals(1e-3, tie.alpha(), "a tie goes to the earliest alpha");
        }
    }

    @Test
    void flipsAddAMirroredCopyOfEveryTrainingImageToTheSums() {
        ImageSet train = randomSet("train", 40, 5, 3, 6);
        List<ImageSet> sets = RidgeReadout.trainingSets(train, true);
        assertEquals(2, sets.size());
        assertSame(train, sets.get(0));
        ImageSet flipped = sets.get(1);
        for (int i = 0; i < train.size(); i++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(train.pixel(i, 0, 0, 4 - x), flipped.pixel(i, 0, 0, x));
            }
        }
        assertEquals(List.of(train), RidgeReadout.trainingSets(train, false));
        try (NDManager m = Djl.newManager()) {
            List<RidgeSums> sums = new RidgeReadout(m, 3).accumulate(source(SHIFTED), sets);
            try {
                assertEquals(2L * train.size(), sums.get(0).images());
            } finally {
                sums.forEach(RidgeSums::close);
            }
            RidgeReadout.Result r = new RidgeReadout(m, 3).fit(source(SHIFTED), sets, train, train).get(0);
            assertEquals(2L * train.size(), r.trainImages());
        }
    }

    @Test
    void aLayerOverTheMemoryLimitIsRefusedByName() {
        ImageSet train = randomSet("train", 10, 20, 3, 8);
        FeatureSource twoLayers = source(images -> {
            NDArray x = images.reshape(images.getShape().get(0), -1);
            return new NDList(x.get(":, 0:10"), x);
        });
        try (NDManager m = Djl.newManager()) {
            RidgeReadout ridge = new RidgeReadout(m, 3).numberLayers(2, 3).memoryLimitBytes(20 * 20 * 8 - 1);
            InputError e = assertThrows(InputError.class, () -> ridge.accumulate(twoLayers, List.of(train)));
            assertTrue(e.getMessage().contains("layer 3 has 20 features") && e.getMessage().contains("20 x 20"),
                    e.getMessage());
            List<RidgeSums> fits = new RidgeReadout(m, 3).numberLayers(2, 3).memoryLimitBytes(20 * 20 * 8)
                    .accumulate(twoLayers, List.of(train));
            try {
                assertEquals(List.of(10L, 20L), fits.stream().map(RidgeSums::features).toList(), "at the limit: accepted");
            } finally {
                fits.forEach(RidgeSums::close);
            }
        }
    }

    /** The set's images as 1 x 4 x 4 maps. */
    private static ImageSet maps(ImageSet set) {
        return set.withPixels(1, 4, 4, set.pixels());
    }

    @Test
    void aSeparableTaskIsReadOutAlmostPerfectly() {
        ImageSet train = maps(separable("train", 200, 16, 4, 0.25, 9));
        ImageSet validation = maps(separable("validation", 80, 16, 4, 0.25, 10));
        ImageSet test = maps(separable("test", 100, 16, 4, 0.25, 11));
        try (NDManager m = Djl.newManager()) {
            // two "layers": the images as maps [B, 1, 4, 4] and a shifted, scaled copy
            FeatureSource source = source(images -> new NDList(images, images.mul(3f).add(5f)));
            List<RidgeReadout.Result> results = new RidgeReadout(m, 4).numberLayers(1, 2)
                    .fit(source, RidgeReadout.trainingSets(train, false), validation, test);
            assertEquals(List.of(1, 2), results.stream().map(RidgeReadout.Result::layer).toList());
            for (RidgeReadout.Result r : results) {
                assertEquals(16, r.features());
                assertEquals(200, r.trainImages());
                assertEquals(RidgeReadout.DEFAULT_ALPHA, r.alpha());
                assertTrue(r.testTop1() > 0.95, "test top-1 of layer " + r.layer() + ": " + r.testTop1());
            }
        }
    }
}
