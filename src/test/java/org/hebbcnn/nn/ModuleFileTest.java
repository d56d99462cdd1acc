package org.hebbcnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleFileTest {
    @TempDir
    Path dir;

    /** A conv-like module: weight and bias, batch-norm gamma, beta and running statistics. */
    private static Module module(NDManager m, long out) {
        Module module = new Module(m, "conv1");
        module.parameter("conv1.weight", new Shape(out, 2, 3, 3));
        module.parameter("conv1.bias", new Shape(out));
        module.parameter("bn1.weight", new Shape(out));
        module.state("bn1.running_mean", new Shape(out));
        return module;
    }

    private static void fill(Module module, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (NDArray a : module.arrays()) {
            float[] v = new float[Math.toIntExact(a.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            v[0] = -0.0f; // the sign of zero survives too
            a.set(v);
        }
    }

    private static int[] bits(NDArray a) {
        float[] v = a.toFloatArray();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    @Test
    void saveAndLoadRoundTripIsBitIdentical() {
        Path file = dir.resolve("module.npz");
        try (NDManager m = Djl.newManager()) {
            Module saved = module(m, 4);
            fill(saved, 1);
            ModuleFile.write(file, Map.of("meta.version", ModuleFile.scalar(3L)), List.of(saved));
            Module loaded = module(m, 4);
            ModuleFile in = ModuleFile.read(file, "test module");
            in.checkVersion(3);
            in.restorer(List.of(loaded)).run();
            assertEquals(List.copyOf(saved.named().keySet()), List.of("conv1.weight", "conv1.bias", "bn1.weight",
                    "bn1.running_mean", "momentum.conv1.weight", "momentum.conv1.bias", "momentum.bn1.weight"));
            for (String name : saved.named().keySet()) {
                assertArrayEquals(bits(saved.named().get(name)), bits(loaded.named().get(name)), name);
            }
        }
    }

    @Test
    void aMisshapenOrMissingArrayIsRefusedNamingFileAndArrayAndNothingChanges() {
        Path file = dir.resolve("four.npz");
        try (NDManager m = Djl.newManager()) {
            Module four = module(m, 4);
            fill(four, 2);
            ModuleFile.write(file, Map.of(), List.of(four));
            Module five = module(m, 5);
            InputError e = assertThrows(InputError.class, () -> ModuleFile.read(file, "test module").restorer(List.of(five)));
            assertTrue(e.getMessage().contains("four.npz") && e.getMessage().contains("'conv1.weight'"), e.getMessage());
            assertEquals(0f, five.parameters().get(0).value().abs().sum().getFloat(), "nothing copied");
            Module more = module(m, 4);
            more.state("bn1.running_var", new Shape(4));
            e = assertThrows(InputError.class, () -> ModuleFile.read(file, "test module").restorer(List.of(more)));
            assertTrue(e.getMessage().contains("four.npz: no array 'bn1.running_var' (not a test module file?)"),
                    e.getMessage());
            e = assertThrows(InputError.class, () -> ModuleFile.read(file, "test module").checkVersion(1));
            assertTrue(e.getMessage().contains("four.npz: no int64 'meta.version' (not a test module file?)"),
                    e.getMessage());
        }
    }

    @Test
    void frozenParametersTakeNoStepAndTheFinitenessCheckSeesEveryArray() {
        try (NDManager m = Djl.newManager()) {
            Module module = module(m, 2);
            fill(module, 3);
            assertTrue(module.finite());
            module.setTrainable(false);
            assertFalse(module.trainable());
            float[] before = module.parameters().get(0).value().toFloatArray();
            module.step(new NesterovSgd(0.1f, 0f)); // frozen: no gradient is even looked at
            assertArrayEquals(before, module.parameters().get(0).value().toFloatArray());
            module.state("bn1.running_var", new Shape(2)).set(new float[] {1f, Float.NaN});
            assertFalse(module.finite());
            module.parameters().get(1).velocity().set(new float[] {Float.NaN, 0f});
            module.clearMomentum();
            assertEquals(0f, module.parameters().get(1).velocity().abs().sum().getFloat());
        }
    }
}
