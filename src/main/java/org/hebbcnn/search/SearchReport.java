package org.hebbcnn.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.InputError;

/**
 * The files a finished search leaves: {@code best.yaml}, the best point as a flat map that can be read
 * back as settings, and {@code summary.json}, every trial in the order it was run. Both are written
 * atomically and only at the end, so their presence means the search finished; both depend only on
 * the trials, so a resumed search writes the same bytes as an uninterrupted one.
 */
public final class SearchReport {
    public static final String BEST = "best.yaml";
    public static final String SUMMARY = "summary.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final YAMLMapper YAML = YAMLMapper.builder()
            // every value double-quoted: values are strings as typed, and any reader must get them back
            // as such ("0.010" not 0.01, "1e-3" not 0.001, "true" not a boolean)
            .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    /** One trial: a point and its per-seed scores; {@code improved} when it became the best so far. */
    record Trial(int number, Map<String, String> point, double[] scores, double mean, boolean improved) {}

    private SearchReport() {}

    static void write(Path dir, List<Trial> trials, Trial best, int sweeps, int seeds) throws IOException {
        AtomicFiles.writeString(dir.resolve(BEST), YAML.writeValueAsString(best.point()));
        ObjectNode s = JSON.createObjectNode();
        s.set("best", JSON.valueToTree(best.point()));
        s.put("bestMean", best.mean());
        s.put("bestTrial", best.number());
        s.put("trials", trials.size());
        s.put("sweeps", sweeps);
        s.put("seeds", seeds);
        ArrayNode path = s.putArray("path");
        for (Trial t : trials) {
            ObjectNode o = path.addObject();
            o.put("trial", t.number());
            o.set("point", JSON.valueToTree(t.point()));
            ArrayNode sc = o.putArray("scores");
            for (double x : t.scores()) {
                sc.add(x);
            }
            o.put("mean", t.mean());
            o.put("improved", t.improved());
        }
        AtomicFiles.writeString(dir.resolve(SUMMARY), JSON.writeValueAsString(s) + "\n");
    }

    /** Reads a {@code best.yaml} back as an ordered key -> value map. */
    public static Map<String, String> readBest(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InputError(file + ": no such file");
        }
        try {
            Map<String, String> m = YAML.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, String>>() {});
            if (m == null) {
                throw new InputError(file + ": empty, expected key: value lines");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new InputError(file + ": not a flat key: value map (" + e.getOriginalMessage() + ")", e);
        }
    }
}
