package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hebbcnn.util.InputError;

/**
 * What a ridge regression of one-hot targets on one layer's features needs from the training images,
 * summed batch by batch in float64 on the engine, and the closed form it gives: scikit-learn's
 * {@code Ridge(alpha, fit_intercept=True)}, the readout of Miconi (2021).
 *
 * <pre>
 *   Xc = X - mean(x),  Yc = Y - mean(y)          centred by the training means
 *   W  = (Xc^T Xc + alpha I)^-1 Xc^T Yc           [F, C]
 *   b  = mean(y) - mean(x) W                      [C]    (the intercept is not penalised)
 * </pre>
 *
 * Held: n, sum x, sum y, X^T X [F, F] and X^T Y [F, C], all of x - s for a provisional centre s (the
 * first batch's mean), so that Xc^T Xc = X^T X - n d d^T and Xc^T Yc = X^T Y - n d mean(y)^T with
 * d = mean(x) - s: with s near the mean, that difference does not cancel away the digits of features
 * that sit far from 0. Memory: one F x F float64 matrix while summing, about six at the peak of a
 * solve (the centred matrix, I, their sum, its inverse and the engine's workspace);
 * {@link #checkMemory} refuses layers whose one matrix is over a limit.
 */
public final class RidgeSums implements AutoCloseable {
    private final NDManager manager;
    private final int layer;
    private final int classes;
    private final long memoryLimitBytes;
    private long n;
    private long features = -1;
    private NDArray centre; // s [F]
    private NDArray sumX; // sum of x - s [F]
    private NDArray sumY; // [C]
    private NDArray xx; // sum of (x - s)(x - s)^T [F, F]
    private NDArray xy; // sum of (x - s) y^T [F, C]
    private long nanos;

    /** W [F, C] and b [C] for one alpha: scores = x W + b. */
    public record Solution(double alpha, NDArray weight, NDArray bias) {
        /** Class scores [B, C] (float64, on the manager of {@code x}) of features [B, F]. */
        public NDArray scores(NDArray x) {
            NDArray x64 = x.getDataType() == DataType.FLOAT64 ? x : x.toType(DataType.FLOAT64, false);
            return x64.matMul(weight).add(bias);
        }
    }

    /**
     * @param layer            the network's number of the layer, for messages
     * @param memoryLimitBytes the most one F x F float64 matrix may take
     */
    public RidgeSums(NDManager parent, int layer, int classes, long memoryLimitBytes) {
        this.manager = parent.newSubManager();
        this.layer = layer;
        this.classes = classes;
        this.memoryLimitBytes = memoryLimitBytes;
    }

    /** Refuses a layer of {@code features} values whose F x F float64 matrix would take more than {@code limitBytes}. */
    public static void checkMemory(int layer, long features, long limitBytes) {
        double bytes = (double) features * features * Double.BYTES;
        if (bytes > limitBytes) {
            throw new InputError(String.format(Locale.ROOT, "ridge readout: layer %d has %d features; its %d x %d float64 "
                    + "matrix needs %s, over the limit of %s (choose other layers or raise the limit)", layer, features,
                    features, features, size(bytes), size(limitBytes)));
        }
    }

    private static String size(double bytes) {
        return bytes >= 0.1 * (1L << 30) ? String.format(Locale.ROOT, "%.2f GiB", bytes / (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (1L << 20));
    }

    /** Adds a batch: the layer's output [B, ...] (flattened here) and labels int64 [B]. */
    public void add(NDArray output, NDArray labels) {
        long start = System.nanoTime();
        long b = output.getShape().get(0);
        try (NDManager scope = manager.newSubManager()) { // the batch's temporaries (an F x F product among them) go now
            output.tempAttach(scope);
            labels.tempAttach(scope);
            NDArray x = output.reshape(b, -1).toType(DataType.FLOAT64, false);
            if (features < 0) {
                start(x.getShape().get(1));
                centre = x.mean(new int[] {0});
                centre.attach(manager);
            }
            if (x.getShape().get(1) != features) {
                throw new IllegalArgumentException("layer " + layer + ": " + x.getShape().get(1) + " features, earlier "
                        + features);
            }
            NDArray xs = x.sub(centre);
            NDArray y = labels.oneHot(classes).toType(DataType.FLOAT64, false);
            NDArray xsT = xs.transpose();
            xx.addi(xsT.matMul(xs));
            xy.addi(xsT.matMul(y));
            sumX.addi(xs.sum(new int[] {0}));
            sumY.addi(y.sum(new int[] {0}));
        }
        n += b;
        nanos += System.nanoTime() - start;
    }

    private void start(long f) {
        checkMemory(layer, f, memoryLimitBytes);
        features = f;
        xx = manager.zeros(new Shape(f, f), DataType.FLOAT64);
        xy = manager.zeros(new Shape(f, classes), DataType.FLOAT64);
        sumX = manager.zeros(new Shape(f), DataType.FLOAT64);
        sumY = manager.zeros(new Shape(classes), DataType.FLOAT64);
    }

    /** The ridge solution for each of {@code alphas}, in that order, on {@code target}. */
    public List<Solution> solve(double[] alphas, NDManager target) {
        if (n == 0) {
            throw new IllegalStateException("layer " + layer + ": no training images were added");
        }
        long start = System.nanoTime();
        int f = Math.toIntExact(features);
        List<Solution> out = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            for (NDArray a : new NDArray[] {centre, sumX, sumY, xx, xy}) {
                a.tempAttach(scope);
            }
            NDArray d = sumX.div((double) n); // mean(x) - s
            NDArray yMean = sumY.div((double) n);
            NDArray gram = centredGram(d); // Xc^T Xc
            NDArray cross = xy.sub(outer(d.mul((double) n), yMean)); // Xc^T Yc
            NDArray xMean = centre.add(d).reshape(1, f);
            NDArray identity = scope.eye(f, f, 0, DataType.FLOAT64);
            for (double alpha : alphas) {
                try (NDManager step = scope.newSubManager()) {
                    for (NDArray a : new NDArray[] {gram, cross, xMean, yMean, identity}) {
                        a.tempAttach(step);
                    }
                    NDArray w = identity.mul(alpha).addi(gram).inverse().matMul(cross);
                    NDArray b = yMean.sub(xMean.matMul(w).reshape(classes));
                    w.attach(target);
                    b.attach(target);
                    out.add(new Solution(alpha, w, b));
                }
            }
        }
        nanos += System.nanoTime() - start;
        return out;
    }

    /**
     * X^T X - n d d^T, on the manager {@code xx} is attached to; the outer product is freed at once,
     * before the solves allocate theirs. ({@code xx} is already temporarily attached: attaching it
     * again to a nested manager would hand it to the outer one as its own, to be closed with it.)
     */
    private NDArray centredGram(NDArray d) {
        try (NDManager scope = d.getManager().newSubManager()) {
            d.tempAttach(scope);
            return xx.sub(outer(d.mul((double) n), d));
        }
    }

    private static NDArray outer(NDArray a, NDArray b) {
        return a.reshape(-1, 1).matMul(b.reshape(1, -1));
    }

    /** Images summed so far. */
    public long images() {
        return n;
    }

    /** Values per image (-1 before the first batch). */
    public long features() {
        return features;
    }

    /** The network's number of the layer. */
    public int layer() {
        return layer;
    }

    /** Seconds spent in {@link #add} and {@link #solve}. */
    public double seconds() {
        return nanos / 1e9;
    }

    /** Frees the sums (the solutions belong to their own manager). */
    @Override
    public void close() {
        manager.close();
    }
}
