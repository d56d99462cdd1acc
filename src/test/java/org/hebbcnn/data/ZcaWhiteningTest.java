package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZCA whitening on small synthetic data: 8-dimensional correlated Gaussians quantised to bytes
 * (images of 2x2x2), more than one covariance chunk of them.
 */
class ZcaWhiteningTest {
    private static final int N = 5000; // > the 4096 rows of one covariance chunk
    private static final int D = 8;
    static NDManager manager;
    static ImageSet data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        manager = Djl.newManager();
        data = correlatedSet(N, 17);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** x = 128 + A z, z standard normal, A a fixed mixing matrix with column scales from 50 down to 3 (in byte units). */
    static ImageSet correlatedSet(int n, long seed) {
        Random r = new Random(seed);
        double[][] a = new double[D][D];
        Random fixed = new Random(99);
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                a[i][j] = fixed.nextGaussian() * 50.0 / Math.pow(1.5, j);
            }
        }
        byte[] pixels = new byte[n * D];
        for (int s = 0; s < n; s++) {
            double[] z = new double[D];
            for (int j = 0; j < D; j++) {
                z[j] = r.nextGaussian();
            }
            for (int i = 0; i < D; i++) {
                double v = 128;
                for (int j = 0; j < D; j++) {
                    v += a[i][j] * z[j];
                }
                pixels[s * D + i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return new ImageSet("zca/train", 2, 2, 2, pixels, new int[n], 2);
    }

    /** Covariance (divided by n - 1) of the rows of x (n x d, row-major). */
    static double[] covariance(double[] x, int n, int d) {
        double[] mean = new double[d];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) {
                mean[i] += x[s * d + i] / n;
            }
        }
        double[] cov = new double[d * d];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) {
                double xi = x[s * d + i] - mean[i];
                for (int j = 0; j < d; j++) {
                    cov[i * d + j] += xi * (x[s * d + j] - mean[j]) / (n - 1);
                }
            }
        }
        return cov;
    }

    static double[] scaled(ImageSet set) {
        double[] x = new double[set.pixels().length];
        for (int k = 0; k < x.length; k++) {
            x[k] = (set.pixels()[k] & 0xff) / 255.0;
        }
        return x;
    }

    /** U diag(f(S)) U^T for the eigendecomposition of the symmetric c. */
    static double[] spectralMap(double[] c, int d, java.util.function.DoubleUnaryOperator f) {
        JacobiInverseSqrt.Eigen eigen = JacobiInverseSqrt.decompose(c, d);
        double[] out = new double[d * d];
        for (int k = 0; k < d; k++) {
            double w = f.applyAsDouble(eigen.values()[k]);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += eigen.vectors()[i * d + k] * w * eigen.vectors()[j * d + k];
                }
            }
        }
        return out;
    }

    /** The whitened data, through {@link ZcaWhitening#apply} on batches of the set. */
    static double[] whiten(ZcaWhitening zca, ImageSet set) {
        double[] out = new double[set.size() * set.imageSize()];
        int n = 0;
        for (Batch batch : BatchIterator.of(set, zca, BatchOptions.evaluation(1024), 0, manager)) {
            try (batch) {
                assertEquals(new Shape(batch.size(), 2, 2, 2), batch.images().getShape());
                float[] values = batch.images().toFloatArray();
                for (float v : values) {
                    out[n++] = v;
                }
            }
        }
        assertEquals(out.length, n);
        return out;
    }

    private static void assertMatrixEquals(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int k = 0; k < expected.length; k++) {
            worst = Math.max(worst, Math.abs(expected[k] - actual[k]));
        }
        assertTrue(worst <= tolerance, what + ": largest difference " + worst + " > " + tolerance);
    }

    @Test
    void whitenedCovarianceIsUSOverSPlusEpsUT() {
        double eps = 1e-2; // comparable to the small eigenvalues here: their directions are only partly whitened
        ZcaWhitening zca = ZcaWhitening.fit(data, eps);
        try (zca) {
            assertEquals(D, zca.dims());
            double[] cov = covariance(scaled(data), N, D);
            double[] expected = spectralMap(cov, D, s -> s / (s + eps));
            double[] white = whiten(zca, data);
            assertMatrixEquals(expected, covariance(white, N, D), 1e-4, "whitened covariance");
            // The mean is removed.
            for (int i = 0; i < D; i++) {
                double m = 0;
                for (int s = 0; s < N; s++) {
                    m += white[s * D + i] / N;
                }
                assertEquals(0, m, 1e-4, "mean of feature " + i);
            }
            JacobiInverseSqrt.Eigen eigen = JacobiInverseSqrt.decompose(cov, D);
            double largest = java.util.Arrays.stream(eigen.values()).max().orElseThrow();
            double smallest = java.util.Arrays.stream(eigen.values()).min().orElseThrow();
            assertTrue(largest > 10 * eps && smallest < eps, "the test covers both regimes: " + largest + " " + smallest);
        }
    }

    @Test
    void smallEpsilonWhitensToTheIdentity() {
        try (ZcaWhitening zca = ZcaWhitening.fit(data, 1e-6)) {
            double[] white = covariance(whiten(zca, data), N, D);
            double[] identity = new double[D * D];
            for (int i = 0; i < D; i++) {
                identity[i * D + i] = 1;
            }
            // The smallest variance is above 1e-4, so S / (S + eps) > 0.99 in every direction.
            assertMatrixEquals(identity, white, 0.02, "whitened covariance");
        }
    }

    @Test
    void matrixIsTheInverseSquareRootOfTheCovariancePlusEps() {
        double eps = 1e-2;
        try (ZcaWhitening zca = ZcaWhitening.fit(data, eps)) {
            double[] cov = covariance(scaled(data), N, D);
            double[] expected = spectralMap(cov, D, s -> 1 / Math.sqrt(s + eps));
            float[] matrix = zca.matrix();
            double[] actual = new double[matrix.length];
            for (int k = 0; k < matrix.length; k++) {
                actual[k] = matrix[k];
            }
            assertMatrixEquals(expected, actual, 1e-4 * 10, "W");
            float[] mean = zca.mean();
            double[] x = scaled(data);
            for (int i = 0; i < D; i++) {
                double m = 0;
                for (int s = 0; s < N; s++) {
                    m += x[s * D + i] / N;
                }
                assertEquals(m, mean[i], 1e-6, "mean of feature " + i);
            }
        }
    }

    /** A symmetric positive semi-definite d x d matrix with eigenvalues spread over several decades. */
    static double[] spdMatrix(int d, long seed) {
        Random r = new Random(seed);
        double[] g = new double[d * d];
        for (int k = 0; k < g.length; k++) {
            g[k] = r.nextGaussian();
        }
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int k = 0; k < d; k++) {
                    sum += g[i * d + k] * g[j * d + k] * Math.pow(10, -4.0 * k / d);
                }
                c[i * d + j] = sum;
            }
        }
        return c;
    }

    @Test
    void jacobiAndDenmanBeaversAgree() {
        for (int d : new int[] {8, 40}) {
            double[] c = spdMatrix(d, d);
            for (double eps : new double[] {1e-2, 1e-5}) {
                try (NDManager m = manager.newSubManager()) {
                    NDArray cov = m.create(c, new Shape(d, d));
                    double[] jacobi = new JacobiInverseSqrt().inverseSqrt(cov, eps).toDoubleArray();
                    double[] db = new DenmanBeaversInverseSqrt().inverseSqrt(cov, eps).toDoubleArray();
                    double scale = 1 / Math.sqrt(eps); // the largest entry size possible
                    assertMatrixEquals(jacobi, db, 1e-8 * scale, "d " + d + " eps " + eps);
                    // And each is what it claims: W (C + eps I) W = I.
                    double[] ce = c.clone();
                    for (int i = 0; i < d; i++) {
                        ce[i * d + i] += eps;
                    }
                    double[] product = multiply(multiply(db, ce, d), db, d);
                    double[] identity = new double[d * d];
                    for (int i = 0; i < d; i++) {
                        identity[i * d + i] = 1;
                    }
                    assertMatrixEquals(identity, product, 1e-7, "W (C + eps I) W, d " + d + " eps " + eps);
                }
            }
        }
    }

    static double[] multiply(double[] a, double[] b, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double aik = a[i * d + k];
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += aik * b[k * d + j];
                }
            }
        }
        return out;
    }

    @Test
    void fitWithEitherSolverGivesTheSameWhitening() {
        try (ZcaWhitening jacobi = ZcaWhitening.fit(data, 1e-2, new JacobiInverseSqrt());
                ZcaWhitening db = ZcaWhitening.fit(data, 1e-2, new DenmanBeaversInverseSqrt())) {
            float[] a = jacobi.matrix();
            float[] b = db.matrix();
            for (int k = 0; k < a.length; k++) {
                assertEquals(a[k], b[k], 1e-4f * Math.max(1, Math.abs(a[k])));
            }
            assertTrue(jacobi.describe().contains("Jacobi"), jacobi.describe());
            assertTrue(db.describe().contains("Denman-Beavers"), db.describe());
        }
    }

    @Test
    void cacheRoundTripAndSecondFitOrLoadHitsTheCache() throws IOException {
        Path cache = tmp.resolve("cache");
        ZcaWhitening first = ZcaWhitening.fitOrLoad(data, 200, 1e-2, cache);
        try (first) {
            assertTrue(first.origin().startsWith("fitted"), first.origin());
            Path[] files;
            try (var list = Files.list(cache)) {
                files = list.toArray(Path[]::new);
            }
            assertEquals(1, files.length, "one cache file, no temporary left");
            assertTrue(files[0].getFileName().toString().startsWith("zca-seed200-n5000-eps0.01-"), files[0].toString());

            try (ZcaWhitening second = ZcaWhitening.fitOrLoad(data, 200, 1e-2, cache)) {
                assertTrue(second.origin().startsWith("cached in " + files[0]), second.origin());
                assertArrayEquals(first.matrix(), second.matrix());
                assertArrayEquals(first.mean(), second.mean());
                assertEquals(first.epsilon(), second.epsilon());
            }
            // Another key (seed, eps, other pixels) is another file, fitted afresh.
            try (ZcaWhitening otherSeed = ZcaWhitening.fitOrLoad(data, 201, 1e-2, cache);
                    ZcaWhitening otherEps = ZcaWhitening.fitOrLoad(data, 200, 1e-3, cache);
                    ZcaWhitening otherData = ZcaWhitening.fitOrLoad(correlatedSet(N, 18), 200, 1e-2, cache)) {
                assertTrue(otherSeed.origin().startsWith("fitted"), otherSeed.origin());
                assertTrue(otherEps.origin().startsWith("fitted"), otherEps.origin());
                assertTrue(otherData.origin().startsWith("fitted"), otherData.origin());
                assertFalse(java.util.Arrays.equals(first.matrix(), otherEps.matrix()));
            }
            try (var list = Files.list(cache)) {
                assertEquals(4, list.count());
            }
        }
    }

    @Test
    void damagedCacheFileIsRefitted() throws IOException {
        Path cache = tmp.resolve("cache");
        float[] original;
        try (ZcaWhitening first = ZcaWhitening.fitOrLoad(data, 7, 1e-2, cache)) {
            original = first.matrix();
        }
        Path file;
        try (var list = Files.list(cache)) {
            file = list.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4)); // wrong size
        try (ZcaWhitening refitted = ZcaWhitening.fitOrLoad(data, 7, 1e-2, cache)) {
            assertTrue(refitted.origin().startsWith("fitted"), refitted.origin());
            assertArrayEquals(original, refitted.matrix());
        }
        bytes[8] ^= 1; // the header's dimension field
        Files.write(file, bytes);
        try (ZcaWhitening refitted = ZcaWhitening.fitOrLoad(data, 7, 1e-2, cache)) {
            assertTrue(refitted.origin().startsWith("fitted"), refitted.origin());
        }
        try (ZcaWhitening cached = ZcaWhitening.fitOrLoad(data, 7, 1e-2, cache)) {
            assertTrue(cached.origin().startsWith("cached"), "rewritten after the refit: " + cached.origin());
        }
    }

    @Test
    void fitOrLoadOnSplitsUsesTheDatasetsCacheFolder() {
        ImageSet test = correlatedSet(10, 3);
        Splits splits = Splits.create(new RawDataset("z", DataFormat.CIFAR10, tmp, data, test), 5, 1000);
        try (ZcaWhitening zca = ZcaWhitening.fitOrLoad(splits, 1e-2)) {
            assertEquals(D, zca.dims());
        }
        assertTrue(Files.isDirectory(tmp.resolve("cache")));
        try (ZcaWhitening again = ZcaWhitening.fitOrLoad(splits, 1e-2)) {
            assertTrue(again.origin().startsWith("cached in " + tmp.resolve("cache")), again.origin());
        }
    }

    @Test
    void tooFewImagesAndWrongBatchShape() {
        InputError e = assertThrows(InputError.class, () -> ZcaWhitening.fit(correlatedSet(1, 1), 1e-2));
        assertTrue(e.getMessage().contains("at least 2 images"), e.getMessage());
        try (ZcaWhitening zca = ZcaWhitening.fit(correlatedSet(50, 1), 1e-2); NDManager m = manager.newSubManager()) {
            assertThrows(IllegalArgumentException.class, () -> zca.apply(m.zeros(new Shape(2, 3, 2, 2))));
        }
    }
}
