package org.hebbcnn.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The paper's published figures (Lagani et al. 2022, Tables 1-12), read once from the classpath
 * resource {@code /paper/paper-tables.json}. Accuracies are in percent, [mean, 95% half-width] over
 * five seeds; CIFAR-100 figures are top-5 ({@link #metric}).
 *
 * <p>Every lookup returns {@link Optional#empty()} for what the paper does not have: a dataset it
 * did not use (a user's own IDX set such as "fashion"), a method, layer or config it did not
 * report. Lookups never throw on unknown names. Dataset names are matched ignoring case, '-' and
 * '_' ("CIFAR-10" = "cifar10"); method, rule and config names ignoring case.
 */
public final class PaperTables {
    /** Classpath location of the paper's tables. */
    public static final String RESOURCE = "/paper/paper-tables.json";

    /** A published figure: mean and 95% confidence half-width, in percent. */
    public record Value(double mean, double ci95) {
        /** [mean, ci95]. */
        public double[] toArray() {
            return new double[] {mean, ci95};
        }
    }

    /** A published figure with the epochs the paper needed to reach it (epoch of best validation). */
    public record Timed(Value acc, int epochs) {}

    private final JsonNode tables;
    private final String source;
    private final String notes;

    private PaperTables(JsonNode root) {
        JsonNode t = root.path("tables");
        if (!t.isObject()) {
            throw new IllegalStateException(RESOURCE + ": no \"tables\" object");
        }
        this.tables = t;
        this.source = root.path("source").asText("");
        this.notes = root.path("notes").asText("");
    }

    private static final class Holder {
        static final PaperTables INSTANCE = load();
    }

    private static PaperTables load() {
        try (InputStream in = PaperTables.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + RESOURCE + " is missing from the build");
            }
            return new PaperTables(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The tables, loaded on first use. */
    public static PaperTables get() {
        return Holder.INSTANCE;
    }

    /** Citation of the paper the figures come from. */
    public static String source() {
        return get().source;
    }

    /** The resource's notes (units, config notation). */
    public static String notes() {
        return get().notes;
    }

    /** Datasets the paper reports, as the resource names them (mnist, cifar10, cifar100). */
    public static Set<String> datasets() {
        Set<String> out = new LinkedHashSet<>();
        get().tables.fieldNames().forEachRemaining(out::add);
        return Collections.unmodifiableSet(out);
    }

    /** The paper's metric for a dataset: "top1", or "top5" for CIFAR-100; empty if the paper lacks it. */
    public static Optional<String> metric(String dataset) {
        return table(dataset).map(t -> t.path("metric").asText(null));
    }

    /**
     * A linear probe on top of layer {@code layer} (1-5) of a network trained by {@code method}
     * (bp, vae, hpca or hwta; Tables "layer-wise" of the paper).
     */
    public static Optional<Value> layerwise(String dataset, String method, int layer) {
        String key = methodKey(method);
        if (key == null) {
            return Optional.empty();
        }
        return table(dataset)
                .flatMap(t -> find(t.path("layerwise"), "layer", layer))
                .flatMap(row -> value(row.get(key)));
    }

    /**
     * A hybrid network {@code config} (six letters over layers 1-6, e.g. "HHBBBG") whose Hebbian
     * layers learn by {@code rule} (hpca or hwta).
     */
    public static Optional<Value> hybrid(String dataset, String config, String rule) {
        String key = ruleKey(rule);
        if (key == null || config == null) {
            return Optional.empty();
        }
        String c = config.toUpperCase(Locale.ROOT);
        return table(dataset)
                .flatMap(t -> find(t.path("hybrid"), "config", c))
                .flatMap(row -> value(row.get(key)));
    }

    /**
     * Top layers retrained on a backprop base: {@code config} (e.g. "BBBBHH") with {@code method}
     * one of BP, SHC, HPCA+SHC, HWTA+SHC. Both must match, since one config can appear with two methods.
     */
    public static Optional<Timed> retrainTop(String dataset, String config, String method) {
        if (config == null || method == null) {
            return Optional.empty();
        }
        Optional<JsonNode> t = table(dataset);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode row : t.get().path("retrain_top")) {
            if (row.path("config").asText("").equalsIgnoreCase(config)
                    && row.path("method").asText("").equalsIgnoreCase(method.trim())) {
                return timed(row.get("acc"), row.get("epochs"));
            }
        }
        return Optional.empty();
    }

    /** A classifier on top of layer {@code layer} trained by "SGD" or "SHC" (paper: epochs to converge). */
    public static Optional<Timed> shcVsSgd(String dataset, int layer, String classifier) {
        if (classifier == null) {
            return Optional.empty();
        }
        String key = classifier.trim().toUpperCase(Locale.ROOT);
        if (!key.equals("SGD") && !key.equals("SHC")) {
            return Optional.empty();
        }
        return table(dataset)
                .flatMap(t -> find(t.path("shc_vs_sgd"), "layer", layer))
                .flatMap(row -> {
                    JsonNode cell = row.get(key);
                    return cell == null ? Optional.empty() : timed(cell.get("acc"), cell.get("epochs"));
                });
    }

    /**
     * The paper's figure for a row of one of this project's experiments, by experiment name:
     * "layerwise" (key = layer), "hybrid" (key = config, method = rule), "retrain" (key = config) or
     * "classifiers" (key = layer, method = SGD or SHC). Empty for anything else.
     */
    public static Optional<Value> lookup(String experiment, String dataset, String method, String key) {
        if (experiment == null || key == null) {
            return Optional.empty();
        }
        switch (experiment) {
            case "layerwise":
                return layer(key).flatMap(l -> layerwise(dataset, method, l));
            case "hybrid":
                return hybrid(dataset, key, method);
            case "retrain":
                return retrainTop(dataset, key, method).map(Timed::acc);
            case "classifiers":
                return layer(key).flatMap(l -> shcVsSgd(dataset, l, method)).map(Timed::acc);
            default:
                return Optional.empty();
        }
    }

    /** Epochs the paper needed, for "retrain" and "classifiers" rows; empty otherwise. */
    public static Optional<Integer> lookupEpochs(String experiment, String dataset, String method, String key) {
        if (experiment == null || key == null) {
            return Optional.empty();
        }
        switch (experiment) {
            case "retrain":
                return retrainTop(dataset, key, method).map(Timed::epochs);
            case "classifiers":
                return layer(key).flatMap(l -> shcVsSgd(dataset, l, method)).map(Timed::epochs);
            default:
                return Optional.empty();
        }
    }

    /** "cifar-10" -> "cifar10", "MNIST" -> "mnist". */
    static String normalizeDataset(String dataset) {
        return dataset == null ? "" : dataset.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    private static Optional<JsonNode> table(String dataset) {
        JsonNode t = get().tables.get(normalizeDataset(dataset));
        return t == null || !t.isObject() ? Optional.empty() : Optional.of(t);
    }

    private static Optional<Integer> layer(String key) {
        try {
            return Optional.of(Integer.parseInt(key.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String methodKey(String method) {
        if (method == null) {
            return null;
        }
        return switch (method.trim().toLowerCase(Locale.ROOT)) {
            case "bp" -> "BP";
            case "vae" -> "VAE";
            case "hpca" -> "HPCA";
            case "hwta" -> "HWTA";
            default -> null;
        };
    }

    private static String ruleKey(String rule) {
        String k = methodKey(rule);
        return "HPCA".equals(k) || "HWTA".equals(k) ? k : null;
    }

    private static Optional<JsonNode> find(JsonNode rows, String field, int value) {
        for (JsonNode row : rows) {
            JsonNode f = row.get(field);
            if (f != null && f.canConvertToInt() && f.asInt() == value) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> find(JsonNode rows, String field, String value) {
        for (JsonNode row : rows) {
            JsonNode f = row.get(field);
            if (f != null && f.asText("").equalsIgnoreCase(value)) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    private static Optional<Value> value(JsonNode pair) {
        if (pair == null || !pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber() || !pair.get(1).isNumber()) {
            return Optional.empty();
        }
        return Optional.of(new Value(pair.get(0).asDouble(), pair.get(1).asDouble()));
    }

    private static Optional<Timed> timed(JsonNode acc, JsonNode epochs) {
        if (epochs == null || !epochs.canConvertToInt()) {
            return Optional.empty();
        }
        return value(acc).map(v -> new Timed(v, epochs.asInt()));
    }
}
