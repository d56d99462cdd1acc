package org.hebbcnn.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class NpzFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsNamesOrderShapesAndBits() throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("b.weight", NpyArray.of(new float[] {1.5f, -0f, Float.NaN, 3e-39f, 5, 6}, new long[] {2, 3}));
        arrays.put("a.count", NpyArray.of(new long[] {42}, new long[] {1}));
        arrays.put("empty", NpyArray.of(new float[0], new long[] {0, 4}));
        Path file = dir.resolve("state.npz");
        NpzFile.write(file, arrays);
        NpzFile.write(file, arrays); // replaces
        Map<String, NpyArray> back = NpzFile.read(file);
        assertEquals(java.util.List.copyOf(arrays.keySet()), java.util.List.copyOf(back.keySet()));
        for (String k : arrays.keySet()) {
            assertEquals(arrays.get(k), back.get(k), k);
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void badFilesAreInputErrorsNamingTheFile() throws IOException {
        Path missing = dir.resolve("missing.npz");
        InputError e = assertThrows(InputError.class, () -> NpzFile.read(missing));
        assertTrue(e.getMessage().contains("missing.npz"), e.getMessage());
        Path junk = dir.resolve("junk.npz");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5});
        e = assertThrows(InputError.class, () -> NpzFile.read(junk));
        assertTrue(e.getMessage().contains("junk.npz"), e.getMessage());
        // a truncated copy of a good file
        Path good = dir.resolve("good.npz");
        NpzFile.write(good, Map.of("x", NpyArray.of(new float[1000], new long[] {1000})));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(InputError.class, () -> NpzFile.read(cut));
        assertTrue(e.getMessage().contains("cut.npz"), e.getMessage());
    }
}
