package org.hebbcnn.util;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

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

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
