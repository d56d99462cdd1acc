package org.hebbcnn.util;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * DJL start-up in one place: force offline mode (the native PyTorch library comes from Maven
 * Central in the jar on the class path, never from the network) and keep DJL's logging quiet.
 * Call {@link #init()} before touching any DJL class; the CLI and the tests do.
 */
public final class Djl {
    private static volatile boolean initialised;

    private Djl() {}

    public static void init() {
        if (initialised) {
            return;
        }
        synchronized (Djl.class) {
            if (initialised) {
                return;
            }
            setIfAbsent("ai.djl.offline", "true");
            setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            // DJL logs a harmless warning when it probes for CUDA on CPU-only machines.
            setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
            setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.pytorch.jni.LibUtils", "warn");
            initialised = true;
        }
    }

    /** A new root manager on the default engine (PyTorch). Close it to free native memory. */
    public static NDManager newManager() {
        init();
        return NDManager.newBaseManager();
    }

    /** "PyTorch 2.7.1 (DJL 0.35.1)" */
    public static String describeEngine() {
        init();
        Engine engine = Engine.getInstance();
        return engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
    }

    /** "..." selects the whole array, whatever its rank. */
    private static final NDIndex ALL = new NDIndex("...");

    /**
     * Overwrites {@code target}'s values in place with {@code values} (row-major, as many as the
     * target holds; the target keeps its shape, type and gradient flag).
     *
     * <p>Use this, never {@code NDArray.set(float[])} / {@code set(Buffer)} / {@code copyTo}: DJL's
     * PyTorch engine implements those with the native {@code torchSet}, which opens a deprecated
     * {@code at::AutoNonVariableTypeMode} guard, and PyTorch then prints "Warning:
     * AutoNonVariableTypeMode is deprecated and will be removed in 1.10 release ..." on standard
     * error once per process. An indexed put of the whole array ({@code a[...] = b}) is the same
     * copy without that guard, and works on arrays that require a gradient.
     */
    public static void assign(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException(values.length + " values for an array of shape " + target.getShape());
        }
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            target.set(ALL, source.toType(target.getDataType(), false));
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
