package org.hebbcnn.layers;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The kernel and input shapes of the paper's six-layer try-out network (reference notes,
 * "Network"), for inputs 3x32x32. Layer 5 is fully connected, written as a convolution whose 3x3
 * kernel covers the whole 256x3x3 map; layer 6 is the classifier on the 4096 features.
 */
public final class TryOutShapes {
    /** Values per sample of the batch-norm output of layers 1-5 (what a probe on that layer reads). */
    private static final long[] FEATURES = {96 * 14 * 14, 128 * 12 * 12, 192 * 5 * 5, 256 * 3 * 3, 4096};

    private TryOutShapes() {}

    /** Flattened size of layer {@code layer}'s (1-5) batch-norm output: 18816, 18432, 4800, 2304, 4096. */
    public static long features(int layer) {
        if (layer < 1 || layer > FEATURES.length) {
            throw new IllegalArgumentException("probed layers are 1-5, got " + layer);
        }
        return FEATURES[layer - 1];
    }

    /** One layer: its kernel [O, C, kh, kw] and its input [C, H, W]. */
    public record LayerShape(int layer, Shape kernel, Shape input) {
        public String describe() {
            boolean dense = kernel.get(2) == input.get(1) && kernel.get(3) == input.get(2);
            return dense
                    ? String.format("%d (fc %d -> %d)", layer, input.size(), kernel.get(0))
                    : String.format("%d (%d -> %d, %dx%d, %dx%d)", layer, kernel.get(1), kernel.get(0), kernel.get(2),
                            kernel.get(3), input.get(1), input.get(2));
        }
    }

    public static List<LayerShape> layers(int classes) {
        return List.of(
                new LayerShape(1, new Shape(96, 3, 5, 5), new Shape(3, 32, 32)),
                new LayerShape(2, new Shape(128, 96, 3, 3), new Shape(96, 14, 14)),
                new LayerShape(3, new Shape(192, 128, 3, 3), new Shape(128, 12, 12)),
                new LayerShape(4, new Shape(256, 192, 3, 3), new Shape(192, 5, 5)),
                new LayerShape(5, new Shape(4096, 256, 3, 3), new Shape(256, 3, 3)),
                new LayerShape(6, new Shape(classes, 4096, 1, 1), new Shape(4096, 1, 1)));
    }
}
