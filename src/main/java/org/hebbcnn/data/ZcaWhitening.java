package org.hebbcnn.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;

/**
 * ZCA whitening of whole images as in the reference: every image is a vector x of C*H*W values
 * in [0,1] (3072 for the network's input); with the training split's per-feature mean m and
 * covariance C (divided by n - 1), W = U diag((S + eps)^(-1/2)) U^T = (C + eps I)^(-1/2), and
 * an image becomes (x - m) W. eps = 1e-2 in the reference.
 *
 * <p>Fitting a 3072-dimensional ZCA takes tens of seconds, so {@link #fitOrLoad} keeps the result
 * in the dataset's cache/ folder, keyed by data seed, training-split size, eps and a checksum of
 * the training split's bytes.
 */
public final class ZcaWhitening implements Normalization {
    public static final double DEFAULT_EPSILON = 1e-2;
    private static final int CHUNK_ROWS = 4096;

    private final int dims;
    private final double epsilon;
    private final float[] mean;
    private final float[] matrix;
    private final String origin;
    private final Map<Device, NDArray[]> onDevice = new HashMap<>();
    private final Map<Device, NDManager> managers = new HashMap<>();

    /**
     * @param mean   per-feature mean, length d
     * @param matrix symmetric whitening matrix, d x d row-major
     * @param origin where it came from, for {@link #describe()} ("fitted in 41.3 s", "cache file ...")
     */
    public ZcaWhitening(float[] mean, float[] matrix, double epsilon, String origin) {
        if ((long) mean.length * mean.length != matrix.length) {
            throw new IllegalArgumentException("a " + mean.length + "-dim mean needs a " + mean.length + "^2 matrix, got "
                    + matrix.length + " values");
        }
        this.dims = mean.length;
        this.epsilon = epsilon;
        this.mean = mean;
        this.matrix = matrix;
        this.origin = origin;
    }

    /** Fits on {@code train} with the default solver ({@link DenmanBeaversInverseSqrt}). */
    public static ZcaWhitening fit(ImageSet train, double epsilon) {
        return fit(train, epsilon, new DenmanBeaversInverseSqrt());
    }

    public static ZcaWhitening fit(ImageSet train, double epsilon, MatrixInverseSqrt solver) {
        int n = train.size();
        int d = train.imageSize();
        if (n < 2) {
            throw new InputError(train.name() + ": ZCA needs at least 2 images, got " + n);
        }
        long start = System.nanoTime();
        double[] mean = featureMeans(train);
        float[] matrix;
        try (NDManager manager = Djl.newManager()) {
            NDArray meanArray = manager.create(mean);
            NDArray cov = manager.zeros(new Shape(d, d), DataType.FLOAT64);
            byte[] pixels = train.pixels();
            for (int row = 0; row < n; row += CHUNK_ROWS) {
                int rows = Math.min(CHUNK_ROWS, n - row);
                try (NDManager step = manager.newSubManager()) {
                    ByteBuffer bytes = ByteBuffer.wrap(pixels, row * d, rows * d).slice();
                    NDArray x = step.create(bytes, new Shape(rows, d), DataType.UINT8)
                            .toType(DataType.FLOAT64, false).div(255.0).sub(meanArray);
                    cov.addi(x.transpose().matMul(x));
                }
            }
            cov.divi(n - 1.0);
            NDArray w = solver.inverseSqrt(cov, epsilon);
            matrix = w.toType(DataType.FLOAT32, false).toFloatArray();
        }
        float[] meanF = new float[d];
        for (int i = 0; i < d; i++) {
            meanF[i] = (float) mean[i];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new ZcaWhitening(meanF, matrix, epsilon, String.format(Locale.ROOT,
                "fitted on %s (%d images) in %.1f s with %s", train.name(), n, seconds, solver.name()));
    }

    /** The ZCA of {@code splits.train()}, from {@code <dataset dir>/cache/} when fitted before with the same key. */
    public static ZcaWhitening fitOrLoad(Splits splits, double epsilon) {
        return fitOrLoad(splits.train(), splits.dataSeed(), epsilon, splits.directory().resolve("cache"));
    }

    /**
     * Reuses a cached fit from {@code cacheDir} or fits and stores one. A cache that cannot be
     * written (read-only data directory) only costs a warning.
     */
    public static ZcaWhitening fitOrLoad(ImageSet train, long dataSeed, double epsilon, Path cacheDir) {
        ZcaCache.Key key = ZcaCache.Key.of(train, dataSeed, epsilon);
        Path file = ZcaCache.file(cacheDir, key);
        ZcaWhitening cached = ZcaCache.read(file, key);
        if (cached != null) {
            return cached;
        }
        ZcaWhitening fitted = fit(train, epsilon);
        ZcaCache.write(file, key, fitted);
        return fitted;
    }

    /** Per-feature means of the pixels scaled to [0,1]. */
    static double[] featureMeans(ImageSet set) {
        int d = set.imageSize();
        long[] sums = new long[d];
        byte[] pixels = set.pixels();
        for (int i = 0, off = 0; i < set.size(); i++, off += d) {
            for (int k = 0; k < d; k++) {
                sums[k] += pixels[off + k] & 0xff;
            }
        }
        double[] mean = new double[d];
        for (int k = 0; k < d; k++) {
            mean[k] = sums[k] / (255.0 * set.size());
        }
        return mean;
    }

    public int dims() {
        return dims;
    }

    public double epsilon() {
        return epsilon;
    }

    /** The per-feature mean (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** The whitening matrix, d x d row-major (a copy). */
    public float[] matrix() {
        return matrix.clone();
    }

    float[] meanArray() {
        return mean;
    }

    float[] matrixArray() {
        return matrix;
    }

    public String origin() {
        return origin;
    }

    @Override
    public NDArray apply(NDArray images) {
        Shape shape = images.getShape();
        if (shape.size() / shape.get(0) != dims) {
            throw new IllegalArgumentException("ZCA fitted on " + dims + "-dim images, got a batch of " + shape);
        }
        NDArray[] constants = constantsOn(images.getDevice());
        return images.reshape(shape.get(0), dims).sub(constants[0]).matMul(constants[1]).reshape(shape);
    }

    private synchronized NDArray[] constantsOn(Device device) {
        return onDevice.computeIfAbsent(device, dev -> {
            Djl.init();
            NDManager manager = NDManager.newBaseManager(dev);
            managers.put(dev, manager);
            return new NDArray[] {manager.create(mean), manager.create(matrix, new Shape(dims, dims))};
        });
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "ZCA whitening, %d dims, eps %s, %s", dims, epsilon, origin);
    }

    @Override
    public synchronized void close() {
        managers.values().forEach(NDManager::close);
        managers.clear();
        onDevice.clear();
    }
}
