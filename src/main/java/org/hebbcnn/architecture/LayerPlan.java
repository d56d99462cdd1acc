package org.hebbcnn.architecture;

/**
 * One layer of a {@link NetworkPlan}: its spec and the shapes it works on, per image.
 *
 * @param input    [C, H, W] the layer receives (before padding)
 * @param kernel   [O, C, kh, kw]; a dense layer's or the classifier's kernel covers the whole input map
 * @param convOut  [O, H', W'] of the linear map, before pooling
 * @param output   [O, H'', W''] after pooling: what the next layer and a probe read
 */
public record LayerPlan(LayerSpec spec, long[] input, long[] kernel, long[] convOut, long[] output) {
    public int number() {
        return spec.number();
    }

    /** Values per image of the layer's output (a probe's input size). */
    public long features() {
        return output[0] * output[1] * output[2];
    }

    /** Weights of the linear map (no bias, no normalisation). */
    public long weights() {
        return kernel[0] * kernel[1] * kernel[2] * kernel[3];
    }

    /** Multiply-adds per image of the linear map. */
    public long multiplyAdds() {
        return weights() * convOut[1] * convOut[2];
    }

    /** Whether the layer is a matrix product over the whole (unpadded) input: dense or classifier. */
    public boolean dense() {
        return !spec.isConv();
    }

    /** The input side after padding. */
    public long paddedHeight() {
        return input[1] + 2L * spec.padding();
    }

    public long paddedWidth() {
        return input[2] + 2L * spec.padding();
    }
}
