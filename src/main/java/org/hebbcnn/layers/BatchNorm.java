package org.hebbcnn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Npy;

/**
 * Per-channel batch normalisation without learned affine parameters (in a Hebbian network
 * nothing trains them, reference notes), with PyTorch's running statistics (momentum 0.1,
 * unbiased running variance) and, optionally, the reference's "modified" variant: the output is
 * multiplied per channel by sqrt((running_var_c + eps) / (mean_c running_var + eps)), so
 * channels stay centred but keep their relative variance.
 */
public final class BatchNorm implements AutoCloseable {
    public static final float EPS = 1e-5f;
    public static final float MOMENTUM = 0.1f;

    private final NDManager manager;
    private final boolean modified;
    private final NDArray runningMean;
    private final NDArray runningVar;

    public BatchNorm(NDManager parent, int channels, boolean modified) {
        this.manager = parent.newSubManager();
        this.modified = modified;
        this.runningMean = manager.zeros(new Shape(channels));
        this.runningVar = manager.ones(new Shape(channels));
    }

    /**
     * Normalises x [B, C, H, W] or [B, C]. In training mode the batch's statistics are used and
     * folded into the running ones; otherwise the running statistics are used.
     */
    public NDArray forward(NDArray x, boolean training) {
        long count = x.getShape().size() / x.getShape().get(1);
        NDManager caller = x.getManager();
        try (NDManager scope = caller.newSubManager()) {
            x.tempAttach(scope);
            runningMean.tempAttach(scope);
            runningVar.tempAttach(scope);
            NDArray mean;
            NDArray var;
            if (training) {
                mean = channelMean(x);
                NDArray centred = x.sub(broadcastable(mean, x));
                var = channelMean(centred.square());
                NDArray unbiased = count > 1 ? var.mul((float) count / (count - 1)) : var;
                // In place, so the running statistics stay this layer's arrays.
                runningMean.muli(1 - MOMENTUM).addi(mean.mul(MOMENTUM));
                runningVar.muli(1 - MOMENTUM).addi(unbiased.mul(MOMENTUM));
            } else {
                mean = runningMean;
                var = runningVar;
            }
            NDArray scale = var.add(EPS).sqrt().pow(-1f);
            if (modified) {
                // The reference scales by the running variance in both modes.
                NDArray rv = runningVar.add(EPS);
                scale = scale.mul(rv.div(runningVar.mean().add(EPS)).sqrt());
            }
            NDArray out = x.sub(broadcastable(mean, x)).mul(broadcastable(scale, x));
            out.attach(caller);
            return out;
        }
    }

    /** Mean over every axis but 1 (PyTorch's engine reduces one axis per call; equal sizes make this exact). */
    private static NDArray channelMean(NDArray x) {
        return x.getShape().dimension() == 4 ? x.mean(new int[] {3}).mean(new int[] {2}).mean(new int[] {0})
                : x.mean(new int[] {0});
    }

    private static NDArray broadcastable(NDArray perChannel, NDArray x) {
        return x.getShape().dimension() == 4 ? perChannel.reshape(1, -1, 1, 1) : perChannel.reshape(1, -1);
    }

    public NDArray runningMean() {
        return runningMean;
    }

    public NDArray runningVar() {
        return runningVar;
    }

    /** Writes the running statistics as {@code <prefix>-mean.npy} and {@code <prefix>-var.npy}. */
    public void save(Path dir, String prefix) {
        Npy.write(dir.resolve(prefix + "-mean.npy"), runningMean);
        Npy.write(dir.resolve(prefix + "-var.npy"), runningVar);
    }

    /** Reads statistics written by {@link #save}. */
    public void load(Path dir, String prefix) {
        copyInto(runningMean, dir.resolve(prefix + "-mean.npy"));
        copyInto(runningVar, dir.resolve(prefix + "-var.npy"));
    }

    private void copyInto(NDArray target, Path file) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray loaded = Npy.read(file, scope);
            if (!loaded.getShape().equals(target.getShape())) {
                throw new InputError(file + ": batch-norm statistics of shape " + loaded.getShape() + " where "
                        + target.getShape() + " was expected");
            }
            Djl.assign(target, loaded.toFloatArray());
        }
    }

    public boolean isModified() {
        return modified;
    }

    @Override
    public void close() {
        manager.close();
    }
}
