package org.hebbcnn.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hebbcnn.util.AtomicFiles;

/**
 * What made a trained network, written as {@code provenance.json} beside its checkpoints and into
 * every checkpoint, so that any artifact can be traced and rerun on its own (as Tribuo's models
 * carry theirs), and the report knows what it shows without reading folder names.
 *
 * @param configIdentity    the results folder's identity (hash of the resolved configuration)
 * @param network           the network spec, every key written out
 * @param kind              backprop, hebbian or vae
 * @param method            the layer-wise method or hybrid stage that trained it
 * @param rules             each layer's rule (Hebbian networks; empty otherwise)
 * @param firstTrainedLayer 1 for a whole network; a hybrid stage's first layer (those below keep
 *                          their initial weights and are never used)
 * @param hybrid            the hybrid configuration a stage belongs to, or null
 * @param modelSeed         the model seed
 * @param dataSeed          the data seed (splits and batch order)
 * @param dataset           the dataset's name
 * @param normalization     the input preprocessing, as the normalisation describes itself
 * @param gitCommit         the code's commit
 */
public record Provenance(String configIdentity, JsonNode network, String kind, String method, List<String> rules,
        int firstTrainedLayer, String hybrid, long modelSeed, long dataSeed, String dataset, String normalization,
        String gitCommit) {
    public static final String FILE = "provenance.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes {@code dir/provenance.json} atomically. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(FILE), JSON.writeValueAsString(this) + "\n");
    }

    /** The provenance in {@code dir}, if it has one (folders made before provenance existed have none). */
    public static Optional<Provenance> read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        return Files.isRegularFile(f) ? Optional.of(JSON.readValue(f.toFile(), Provenance.class)) : Optional.empty();
    }

    /** Whether the network's layer 1 was trained (false for a hybrid stage above layer 1). */
    public boolean trainedLayerOne() {
        return firstTrainedLayer == 1;
    }
}
