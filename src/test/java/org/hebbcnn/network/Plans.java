package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;

/** Plans the network tests build on, and synthetic data for them. */
final class Plans {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Plans() {}

    /** The paper's try-out network on [3, 32, 32] images. */
    static NetworkPlan tryout(int classes) {
        return NetworkSpec.tryout().plan(new long[] {3, 32, 32}, classes);
    }

    /** A spec written as the configuration would ({@code layers: [...]}), planned for {@code input}. */
    static NetworkPlan parse(String yaml, long[] input, int classes) {
        try {
            return NetworkSpec.parse(YAML.readTree(yaml), "network", "test").plan(input, classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * n images [n, C, H, W] of {@code classes} fixed random prototypes plus noise 0.5, and their
     * labels: prototype c for image i is c = i mod classes, so every batch holds every class.
     */
    static NDArray[] prototypes(NDManager m, long[] input, int classes, int n, long seed) {
        int size = Math.toIntExact(input[0] * input[1] * input[2]);
        SplittableRandom protoRandom = new SplittableRandom(99);
        float[] protos = new float[classes * size];
        for (int i = 0; i < protos.length; i++) {
            protos[i] = (float) (protoRandom.nextDouble() * 2 - 1);
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * size];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            y[i] = c;
            for (int j = 0; j < size; j++) {
                x[i * size + j] = protos[c * size + j] + 0.5f * (float) (r.nextDouble() * 2 - 1);
            }
        }
        return new NDArray[] {m.create(x, new Shape(n, input[0], input[1], input[2])), m.create(y)};
    }
}
