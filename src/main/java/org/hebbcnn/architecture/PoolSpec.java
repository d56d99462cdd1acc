package org.hebbcnn.architecture;

/** Pooling after a layer: {@code max} or {@code avg} over {@code size x size} windows. */
public record PoolSpec(String type, int size, int stride, int padding) {
    public static final java.util.List<String> TYPES = java.util.List.of("max", "avg");

    /** The output side for an input side {@code n} (floor, as PyTorch without ceil mode). */
    public long out(long n) {
        return (n + 2L * padding - size) / stride + 1;
    }

    /** Whether the windows tile the map exactly (what max-unpooling can invert). */
    public boolean tiles() {
        return size == stride && padding == 0;
    }

    String describe() {
        return type + " " + size + (stride != size ? "/" + stride : "") + (padding != 0 ? " pad " + padding : "");
    }
}
