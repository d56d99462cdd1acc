package org.hebbcnn.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array as stored in a {@code .npy} file, without DJL: the dtype, the shape (C
 * order) and the raw element bytes in little-endian order. Made by {@link Npy#read(java.nio.file.Path)}
 * or the {@code of(...)} factories; written by {@link Npy#write(java.nio.file.Path, NpyArray)}.
 *
 * <p>{@link #data()} returns a fresh read-only little-endian view positioned at 0 each call, so
 * callers cannot disturb one another. The {@code to...Array()} accessors copy into Java arrays (bulk
 * copies where the dtype matches).
 */
public record NpyArray(Npy.Dtype dtype, long[] shape, ByteBuffer data) {

    public NpyArray {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long bytes = Npy.byteCount(dtype, shape); // validates the shape
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("shape " + Npy.shapeRepr(shape) + " of " + dtype.descr() + " needs "
                    + bytes + " bytes, got " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A read-only little-endian view of the element bytes, positioned at 0. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int ndim() {
        return shape.length;
    }

    /** Number of elements (1 for a scalar). */
    public long size() {
        return data.remaining() / dtype.itemSize();
    }

    // ---- factories (the arrays are copied) ----

    public static NpyArray of(float[] values, long[] shape) {
        ByteBuffer b = allocate(values.length, Npy.Dtype.FLOAT32);
        b.asFloatBuffer().put(values);
        return new NpyArray(Npy.Dtype.FLOAT32, shape, b);
    }

    public static NpyArray of(double[] values, long[] shape) {
        ByteBuffer b = allocate(values.length, Npy.Dtype.FLOAT64);
        b.asDoubleBuffer().put(values);
        return new NpyArray(Npy.Dtype.FLOAT64, shape, b);
    }

    public static NpyArray of(int[] values, long[] shape) {
        ByteBuffer b = allocate(values.length, Npy.Dtype.INT32);
        b.asIntBuffer().put(values);
        return new NpyArray(Npy.Dtype.INT32, shape, b);
    }

    public static NpyArray of(long[] values, long[] shape) {
        ByteBuffer b = allocate(values.length, Npy.Dtype.INT64);
        b.asLongBuffer().put(values);
        return new NpyArray(Npy.Dtype.INT64, shape, b);
    }

    /** uint8: each byte is read as an unsigned value 0..255. */
    public static NpyArray ofUint8(byte[] values, long[] shape) {
        ByteBuffer b = allocate(values.length, Npy.Dtype.UINT8);
        b.put(values).flip();
        return new NpyArray(Npy.Dtype.UINT8, shape, b);
    }

    /** Copies a DJL array (any device, any strides) into C-order little-endian bytes. */
    public static NpyArray of(NDArray array) {
        Npy.Dtype dtype = Npy.Dtype.of(array.getDataType());
        ByteBuffer raw = array.toByteBuffer().order(ByteOrder.nativeOrder());
        return new NpyArray(dtype, array.getShape().getShape(), Npy.toLittleEndian(raw, dtype));
    }

    /** A new DJL array with the same dtype, shape and bits, owned by {@code manager}. */
    public NDArray toNDArray(NDManager manager) {
        ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(data()).flip();
        ByteBuffer nativeBytes = Npy.fromLittleEndian(direct, dtype);
        return manager.create(nativeBytes, new Shape(shape), dtype.djl());
    }

    // ---- accessors (copies) ----

    /** The elements as float: a bulk copy for float32; other dtypes are converted (uint8 as 0..255). */
    public float[] toFloatArray() {
        float[] out = new float[checkedSize()];
        ByteBuffer b = data();
        switch (dtype) {
            case FLOAT32 -> b.asFloatBuffer().get(out);
            case FLOAT64 -> { for (int i = 0; i < out.length; i++) out[i] = (float) b.getDouble(8 * i); }
            case INT32 -> { for (int i = 0; i < out.length; i++) out[i] = b.getInt(4 * i); }
            case INT64 -> { for (int i = 0; i < out.length; i++) out[i] = b.getLong(8 * i); }
            case UINT8 -> { for (int i = 0; i < out.length; i++) out[i] = b.get(i) & 0xFF; }
        }
        return out;
    }

    /** The elements as double: a bulk copy for float64; other dtypes are converted exactly (int64 rounds). */
    public double[] toDoubleArray() {
        double[] out = new double[checkedSize()];
        ByteBuffer b = data();
        switch (dtype) {
            case FLOAT64 -> b.asDoubleBuffer().get(out);
            case FLOAT32 -> { for (int i = 0; i < out.length; i++) out[i] = b.getFloat(4 * i); }
            case INT32 -> { for (int i = 0; i < out.length; i++) out[i] = b.getInt(4 * i); }
            case INT64 -> { for (int i = 0; i < out.length; i++) out[i] = b.getLong(8 * i); }
            case UINT8 -> { for (int i = 0; i < out.length; i++) out[i] = b.get(i) & 0xFF; }
        }
        return out;
    }

    /** The elements as int, for int32 (bulk copy) and uint8 (0..255); other dtypes throw IllegalStateException. */
    public int[] toIntArray() {
        int[] out = new int[checkedSize()];
        ByteBuffer b = data();
        switch (dtype) {
            case INT32 -> b.asIntBuffer().get(out);
            case UINT8 -> { for (int i = 0; i < out.length; i++) out[i] = b.get(i) & 0xFF; }
            default -> throw new IllegalStateException("dtype " + dtype.descr() + " cannot be read as int[] without loss");
        }
        return out;
    }

    /** The elements as long, for the integer dtypes; float dtypes throw IllegalStateException. */
    public long[] toLongArray() {
        long[] out = new long[checkedSize()];
        ByteBuffer b = data();
        switch (dtype) {
            case INT64 -> b.asLongBuffer().get(out);
            case INT32 -> { for (int i = 0; i < out.length; i++) out[i] = b.getInt(4 * i); }
            case UINT8 -> { for (int i = 0; i < out.length; i++) out[i] = b.get(i) & 0xFF; }
            default -> throw new IllegalStateException("dtype " + dtype.descr() + " is not an integer type");
        }
        return out;
    }

    /** The raw little-endian element bytes (for uint8: the values themselves). */
    public byte[] toByteArray() {
        byte[] out = new byte[data.remaining()];
        data().get(out);
        return out;
    }

    private int checkedSize() {
        long n = size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("array of " + n + " elements does not fit a Java array");
        }
        return (int) n;
    }

    private static ByteBuffer allocate(int elements, Npy.Dtype dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(elements, dtype.itemSize())).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && dtype == other.dtype && Arrays.equals(shape, other.shape)
                && data.equals(other.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + data.hashCode();
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype.descr() + " " + Npy.shapeRepr(shape) + "]";
    }
}
