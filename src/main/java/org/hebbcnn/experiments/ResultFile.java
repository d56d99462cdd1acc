package org.hebbcnn.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.hebbcnn.util.AtomicFiles;

/** A run's {@code result.json}, written atomically last, so that its presence marks the run as done. */
final class ResultFile {
    static final String NAME = "result.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFile() {}

    static void write(Path dir, Object result) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(NAME), JSON.writeValueAsString(result));
    }

    static <T> Optional<T> read(Path dir, Class<T> type) throws IOException {
        Path f = dir.resolve(NAME);
        return Files.isRegularFile(f) ? Optional.of(JSON.readValue(f.toFile(), type)) : Optional.empty();
    }
}
