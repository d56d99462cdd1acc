package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Npy;
import org.hebbcnn.util.NpyArray;

/**
 * The {@code .npz} codec of {@link Module}s: {@code meta.*} scalars first, then each module's
 * arrays under their names ({@link Module#named}), written atomically by {@link NpzFile}. Reading
 * is all or nothing: {@link #restorer} checks every array's presence, dtype and shape before
 * anything is copied, and each failure is an {@link InputError} naming the file and the array.
 */
public final class ModuleFile {
    private final Path file;
    private final String kind;
    private final Map<String, NpyArray> arrays;

    private ModuleFile(Path file, String kind, Map<String, NpyArray> arrays) {
        this.file = file;
        this.kind = kind;
        this.arrays = arrays;
    }

    /** Writes {@code meta} then every module's arrays to {@code file}, replacing it atomically. */
    public static void write(Path file, Map<String, NpyArray> meta, List<Module> modules) {
        Map<String, NpyArray> all = new LinkedHashMap<>(meta);
        for (Module m : modules) {
            for (Map.Entry<String, NDArray> e : m.named().entrySet()) {
                all.put(e.getKey(), NpyArray.of(e.getValue()));
            }
        }
        NpzFile.write(file, all);
    }

    /** Reads a file; {@code kind} ("VAE", "backprop network", ...) names what it should be in messages. */
    public static ModuleFile read(Path file, String kind) {
        return new ModuleFile(file, kind, NpzFile.read(file));
    }

    public static NpyArray scalar(long v) {
        return NpyArray.of(new long[] {v}, new long[] {1});
    }

    public static NpyArray scalar(float v) {
        return NpyArray.of(new float[] {v}, new long[] {1});
    }

    /** Whether the file holds an array named {@code key}. */
    public boolean has(String key) {
        return arrays.containsKey(key);
    }

    public long longScalar(String key) {
        return NpzFile.longScalar(file, arrays, key, kind);
    }

    public float floatScalar(String key) {
        return NpzFile.floatScalar(file, arrays, key, kind);
    }

    /** Refuses a file whose {@code meta.version} is not {@code expected}. */
    public void checkVersion(long expected) {
        long version = longScalar("meta.version");
        if (version != expected) {
            throw new InputError(file + ": " + kind + " file version " + version + ", expected " + expected);
        }
    }

    /**
     * Checks that the file holds every array of {@code modules} as float32 of its shape, and returns
     * the copy into them, to run once everything else of the file has been checked too.
     */
    public Runnable restorer(List<Module> modules) {
        List<Runnable> copies = new ArrayList<>();
        for (Module m : modules) {
            for (Map.Entry<String, NDArray> e : m.named().entrySet()) {
                NpyArray a = arrays.get(e.getKey());
                NDArray target = e.getValue();
                if (a == null) {
                    throw new InputError(file + ": no array '" + e.getKey() + "' (not a " + kind + " file?)");
                }
                long[] shape = target.getShape().getShape();
                if (a.dtype() != Npy.Dtype.FLOAT32 || !Arrays.equals(a.shape(), shape)) {
                    throw new InputError(file + ": '" + e.getKey() + "' is " + a.dtype().descr() + " "
                            + Npy.shapeRepr(a.shape()) + ", the " + kind + " needs <f4 " + Npy.shapeRepr(shape));
                }
                copies.add(() -> Djl.assign(target, a.toFloatArray()));
            }
        }
        return () -> copies.forEach(Runnable::run);
    }
}
