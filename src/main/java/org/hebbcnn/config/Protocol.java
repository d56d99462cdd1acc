package org.hebbcnn.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hebbcnn.util.InputError;

/**
 * A published method's whole protocol as data: a configuration (network, rules, schedule, readout)
 * that reproduces it, with the figures its authors published, shipped as
 * {@code src/main/resources/protocols/<name>.yaml} ({@code about:} and {@code config:}). Any
 * experiment runs it with {@code --protocol <name>}; {@code experiment beyond} runs them side by side.
 * Where the authors ran a dataset differently (SoftHebb trains MNIST's readout for 100 epochs, not
 * 50), {@code datasets: {<dataset>: {...}}} holds those keys; they are merged over {@code config:}
 * on that dataset only.
 *
 * @param published the authors' test top-1 (percent) per dataset
 * @param datasets  per dataset, the keys that differ there from {@code config}
 */
public record Protocol(String name, String title, String source, Map<String, Double> published, JsonNode config,
        JsonNode datasets) {
    /** The shipped protocols. */
    public static final List<String> NAMES = List.of("softhebb", "miconi");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static Protocol named(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(key)) {
            throw new InputError("protocol '" + name + "': no such protocol (protocols: " + String.join(", ", NAMES) + ")");
        }
        try (InputStream in = Protocol.class.getResourceAsStream("/protocols/" + key + ".yaml")) {
            JsonNode root = YAML.readTree(in);
            JsonNode about = root.path("about");
            Map<String, Double> published = new LinkedHashMap<>();
            about.path("published").fields().forEachRemaining(e -> published.put(e.getKey(), e.getValue().asDouble()));
            return new Protocol(key, about.path("title").asText(key), about.path("source").asText(""), published,
                    root.get("config"), root.path("datasets"));
        } catch (IOException e) {
            throw new UncheckedIOException("protocol " + key + ": cannot read its resource", e);
        }
    }

    /**
     * What {@code experiment beyond} runs by default on {@code dataset}: the protocols whose authors
     * published a figure on it, or all of them on a dataset none was published on.
     */
    public static List<String> defaultsFor(String dataset) {
        List<String> published = NAMES.stream().filter(n -> named(n).publishedOn(dataset).isPresent()).toList();
        return published.isEmpty() ? NAMES : published;
    }

    /** The protocol's configuration over the defaults (keys it leaves out keep the paper's values). */
    public ExperimentConfig configuration() {
        return ExperimentConfig.fromYaml(config.deepCopy(), "protocol " + name);
    }

    /**
     * The protocol's configuration as its authors ran it on {@code dataset}: {@link #configuration()}
     * with that dataset's own keys merged over it (none for a dataset they did not set, or null).
     */
    public ExperimentConfig configuration(String dataset) {
        JsonNode own = dataset == null ? null : datasets.get(dataset.trim().toLowerCase(Locale.ROOT));
        if (own == null) {
            return configuration();
        }
        return ExperimentConfig.fromYaml(merged(config.deepCopy(), own), "protocol " + name + " on " + dataset);
    }

    /** {@code over}'s keys put into {@code base}: objects merged key by key, anything else replaced. */
    private static JsonNode merged(JsonNode base, JsonNode over) {
        over.fields().forEachRemaining(e -> {
            JsonNode old = base.get(e.getKey());
            if (old != null && old.isObject() && e.getValue().isObject()) {
                merged(old, e.getValue());
            } else {
                ((ObjectNode) base).set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return base;
    }

    /** The authors' figure on {@code dataset}, if they published one. */
    public Optional<Double> publishedOn(String dataset) {
        return Optional.ofNullable(published.get(dataset));
    }
}
