package org.hebbcnn.reports;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.hebbcnn.util.InputError;

/**
 * A PNG with a row of original images above a row of their reconstructions (e.g. by a
 * {@code Vae}). Drawn by {@link KernelGrid}, whose picture of {@code [O, C, h, w]} "kernels" is
 * exactly this when the 2B images are stacked originals first and the grid has B columns: each
 * image is contrast-stretched on its own min..max (jointly over RGB, keeping its hue), 3 channels
 * as RGB, 1 as grey, with separator lines between the images.
 */
public final class ReconstructionGrid {
    /** Default upscaling: 32x32 images drawn at 64x64 px. */
    public static final int SCALE = 2;

    private ReconstructionGrid() {}

    /** Writes the grid at {@link #SCALE} with KernelGrid's default separators; returns the layout drawn. */
    public static KernelGrid.Layout write(NDArray originals, NDArray reconstructions, Path png) {
        return write(originals, reconstructions, png, KernelGrid.Options.DEFAULT.withScale(SCALE));
    }

    /**
     * Writes the grid; the column count of {@code options} is ignored (always B).
     *
     * @param originals [B, C, H, W]
     * @param reconstructions the same shape
     */
    public static KernelGrid.Layout write(NDArray originals, NDArray reconstructions, Path png, KernelGrid.Options options) {
        long[] shape = originals.getShape().getShape();
        if (shape.length != 4 || !originals.getShape().equals(reconstructions.getShape())) {
            throw new InputError("originals " + originals.getShape() + " and reconstructions " + reconstructions.getShape()
                    + " must both be [B, C, H, W]");
        }
        float[] a = floats(originals);
        float[] b = floats(reconstructions);
        float[] both = new float[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        long[] stacked = {2 * shape[0], shape[1], shape[2], shape[3]};
        return KernelGrid.writePng(both, stacked, png, options.withColumns(Math.toIntExact(shape[0])));
    }

    private static float[] floats(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? x.toFloatArray() : x.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
