package org.hebbcnn.architecture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hebbcnn.util.InputError;

/**
 * A network as data: a list of layers, the last one the classifier (see README, "Networks as
 * data"). Written in the configuration under {@code network}: a preset name ({@link #PRESETS},
 * shipped as {@code networks/<name>.yaml}) or an object with {@code layers:}. Reading is strict: an
 * unknown key, type or value is refused naming the layer and the key. Shapes come later, from the
 * dataset's input ({@link #plan}).
 */
public final class NetworkSpec {
    /** The presets shipped as resources; {@code tryout} is the paper's network and the default. */
    public static final List<String> PRESETS = List.of("tryout", "wide3", "softhebb", "softhebb-wide", "miconi");
    public static final String DEFAULT = "tryout";
    public static final Set<String> ACTIVATIONS = Set.of("relu", "none", "triangle");
    public static final Set<String> NORMS = Set.of("none", "batch", "batch-no-affine", "modified");
    /**
     * The images' preprocessing: {@code auto} lets the network's kind choose (ZCA for a
     * winner-take-all first layer, else per-channel standardisation); {@code none} is pixels in
     * [0, 1] (SoftHebb's, whose first batch-norm standardises); {@code channel}; {@code zca}.
     */
    public static final List<String> INPUTS = List.of("auto", "none", "channel", "zca");
    /**
     * Miconi's (2021) two interventions, settings of any Hebbian layer below the classifier:
     * {@code plasticK} N, only the N strongest neurons per position learn (the output stays as the
     * activation makes it); {@code pruning} p, a fixed random fraction p of the weights is held at zero.
     */
    public static final String PLASTIC_K = "plasticK";
    public static final String PRUNING = "pruning";
    /**
     * Miconi's weight normalisation: {@code unitNorm: true} rescales each neuron's weights to norm 1
     * at initialisation and after every update (after pruning).
     */
    public static final String UNIT_NORM = "unitNorm";
    /** hwta's adaptive threshold rate (Miconi's per-neuron threshold); see {@code rules.Hwta}. */
    public static final String THRESHOLD = "threshold";
    /** Rule settings a layer may carry beside {@code rule}; which apply is the rule's to say. */
    public static final Set<String> RULE_SETTINGS = Set.of("lr", "k", "rows", "cols", "t", THRESHOLD, PLASTIC_K, PRUNING,
            UNIT_NORM);
    private static final Set<String> LAYER_KEYS = Set.of("type", "width", "kernel", "stride", "padding", "paddingMode",
            "activation", "power", "pool", "norm", "normPosition", "dropout", "rule");
    private static final Set<String> POOL_KEYS = Set.of("type", "size", "stride", "padding");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String name;
    private final String description;
    private final String input;
    private final List<LayerSpec> layers;

    private NetworkSpec(String name, String description, String input, List<LayerSpec> layers) {
        this.name = name;
        this.description = description;
        this.input = input;
        this.layers = List.copyOf(layers);
    }

    /** The paper's six-layer try-out network. */
    public static NetworkSpec tryout() {
        return preset(DEFAULT);
    }

    /** A preset by name. */
    public static NetworkSpec preset(String presetName) {
        String key = presetName.trim().toLowerCase(Locale.ROOT);
        if (!PRESETS.contains(key)) {
            throw new InputError("network '" + presetName + "': no such preset (presets: " + String.join(", ", PRESETS)
                    + "; or give an object with layers:)");
        }
        try (InputStream in = NetworkSpec.class.getResourceAsStream("/networks/" + key + ".yaml")) {
            return parse(YAML.readTree(in), "network preset " + key, key);
        } catch (IOException e) {
            throw new IllegalStateException("preset " + key + " cannot be read", e);
        }
    }

    /** The configuration's {@code network} value: a preset name or an object with {@code layers:}. */
    public static NetworkSpec fromConfig(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return tryout();
        }
        if (node.isTextual()) {
            return preset(node.asText());
        }
        if (!node.isObject()) {
            throw new InputError("network: give a preset name (" + String.join(", ", PRESETS) + ") or an object with layers:");
        }
        return parse(node, "network", "custom");
    }

    /** Parses {@code {name?, description?, layers: [...]}}; {@code where} prefixes every message. */
    public static NetworkSpec parse(JsonNode node, String where, String defaultName) {
        checkKeys(node, Set.of("name", "description", "input", "layers"), where);
        JsonNode list = node.get("layers");
        if (!(list instanceof ArrayNode arr) || arr.isEmpty()) {
            throw new InputError(where + ": 'layers' must be a non-empty list of layers");
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            layers.add(layer(arr.get(i), i + 1, arr.size(), where + ": layer " + (i + 1)));
        }
        if (layers.size() < 2) {
            throw new InputError(where + ": a network needs at least one layer under its classifier");
        }
        String n = node.hasNonNull("name") ? node.get("name").asText() : defaultName;
        String d = node.hasNonNull("description") ? node.get("description").asText() : "";
        String input = text(node, "input", "auto", where);
        if (!INPUTS.contains(input)) {
            throw new InputError(where + ": 'input' must be one of " + String.join(", ", INPUTS) + ", got '" + input + "'");
        }
        return new NetworkSpec(n, d, input, layers);
    }

    private static LayerSpec layer(JsonNode n, int number, int count, String where) {
        if (!n.isObject()) {
            throw new InputError(where + ": must be an object with type, width, ...");
        }
        Iterator<String> keys = n.fieldNames();
        while (keys.hasNext()) {
            String k = keys.next();
            if (!LAYER_KEYS.contains(k) && !RULE_SETTINGS.contains(k)) {
                throw new InputError(where + ": unknown key '" + k + "' (known: " + String.join(", ",
                        new java.util.TreeSet<>(union(LAYER_KEYS, RULE_SETTINGS))) + ")");
            }
        }
        String type = text(n, "type", null, where);
        if (type == null) {
            throw new InputError(where + ": 'type' is required (conv, dense or classifier)");
        }
        if (!Set.of(LayerSpec.CONV, LayerSpec.DENSE, LayerSpec.CLASSIFIER).contains(type)) {
            throw new InputError(where + ": 'type' must be conv, dense or classifier, got '" + type + "'");
        }
        boolean classifier = type.equals(LayerSpec.CLASSIFIER);
        if (classifier && number != count) {
            throw new InputError(where + ": 'type' classifier must be the last layer (this network has " + count + ")");
        }
        if (!classifier && number == count) {
            throw new InputError(where + ": 'type' the last layer must be the classifier, got " + type);
        }
        Integer width = integer(n, "width", null, where);
        if (classifier && width != null) {
            throw new InputError(where + ": 'width' the classifier has one output per class; leave width out");
        }
        if (!classifier && (width == null || width < 1)) {
            throw new InputError(where + ": 'width' must be a positive integer");
        }
        boolean conv = type.equals(LayerSpec.CONV);
        Integer kernel = integer(n, "kernel", null, where);
        if (conv && (kernel == null || kernel < 1)) {
            throw new InputError(where + ": 'kernel' must be a positive integer for a conv layer");
        }
        if (!conv && kernel != null) {
            throw new InputError(where + ": 'kernel' a " + type + " layer covers its whole input; leave kernel out");
        }
        int stride = integer(n, "stride", 1, where);
        int padding = integer(n, "padding", 0, where);
        if (stride < 1) {
            throw new InputError(where + ": 'stride' must be >= 1, got " + stride);
        }
        if (padding < 0) {
            throw new InputError(where + ": 'padding' must be >= 0, got " + padding);
        }
        if (!conv && (stride != 1 || padding != 0)) {
            throw new InputError(where + ": '" + (stride != 1 ? "stride" : "padding") + "' applies to conv layers only");
        }
        String paddingMode = text(n, "paddingMode", "zeros", where);
        if (!Set.of("zeros", "reflect").contains(paddingMode)) {
            throw new InputError(where + ": 'paddingMode' must be zeros or reflect, got '" + paddingMode + "'");
        }
        String activation = text(n, "activation", classifier ? "none" : "relu", where);
        if (!ACTIVATIONS.contains(activation)) {
            throw new InputError(where + ": 'activation' must be relu, none or triangle, got '" + activation + "'");
        }
        Double power = number(n, "power", null, where);
        if (power != null && !activation.equals("triangle")) {
            throw new InputError(where + ": 'power' applies to the triangle activation only");
        }
        if (power != null && !(power > 0)) {
            throw new InputError(where + ": 'power' must be > 0, got " + power);
        }
        PoolSpec pool = pool(n.get("pool"), where);
        if (pool != null && !conv) {
            throw new InputError(where + ": 'pool' applies to conv layers only");
        }
        String norm = text(n, "norm", "none", where);
        if (!NORMS.contains(norm)) {
            throw new InputError(where + ": 'norm' must be one of none, batch, batch-no-affine, modified, got '" + norm + "'");
        }
        if (classifier && !norm.equals("none")) {
            throw new InputError(where + ": 'norm' the classifier takes no normalisation");
        }
        String position = text(n, "normPosition", "after", where);
        if (!Set.of("after", "before").contains(position)) {
            throw new InputError(where + ": 'normPosition' must be after or before, got '" + position + "'");
        }
        Double dropout = number(n, "dropout", null, where);
        if (dropout != null && !(dropout >= 0 && dropout < 1)) {
            throw new InputError(where + ": 'dropout' must be in [0, 1), got " + dropout);
        }
        String rule = text(n, "rule", null, where);
        Map<String, Object> settings = new TreeMap<>();
        for (String k : RULE_SETTINGS) {
            JsonNode v = n.get(k);
            if (v != null && k.equals(UNIT_NORM)) {
                if (!v.isBoolean()) {
                    throw new InputError(where + ": '" + k + "' must be true or false");
                }
                if (v.asBoolean()) {
                    settings.put(k, true);
                }
            } else if (v != null) {
                if (!v.isNumber()) {
                    throw new InputError(where + ": '" + k + "' must be a number");
                }
                settings.put(k, v.isIntegralNumber() ? (Object) v.asInt() : (Object) v.asDouble());
            }
        }
        interventions(settings, classifier, width, where);
        return new LayerSpec(number, type, width, conv ? kernel : 0, stride, padding, paddingMode, activation,
                power == null ? 1.0 : power, pool, norm, position.equals("before"), dropout, rule, settings);
    }

    /**
     * plasticK: an integer in 1..width; pruning: a fraction in [0, 1); none of them, nor unitNorm, on
     * the classifier (it learns from labels).
     */
    private static void interventions(Map<String, Object> settings, boolean classifier, Integer width, String where) {
        for (String key : List.of(PLASTIC_K, PRUNING, UNIT_NORM)) {
            if (settings.containsKey(key) && classifier) {
                throw new InputError(where + ": '" + key + "' applies to the Hebbian layers under the classifier only");
            }
        }
        Object k = settings.get(PLASTIC_K);
        if (k != null && (!(k instanceof Integer n) || n < 1 || n > width)) {
            throw new InputError(where + ": '" + PLASTIC_K + "' must be an integer from 1 to the layer's width (" + width
                    + "), got " + k);
        }
        Object p = settings.get(PRUNING);
        if (p != null && !(((Number) p).doubleValue() >= 0 && ((Number) p).doubleValue() < 1)) {
            throw new InputError(where + ": '" + PRUNING + "' must be a fraction of the weights in [0, 1), got " + p);
        }
    }

    private static PoolSpec pool(JsonNode p, String where) {
        if (p == null || p.isNull()) {
            return null;
        }
        if (!p.isObject()) {
            throw new InputError(where + ": 'pool' must be an object {type: max|avg, size, stride, padding}");
        }
        checkKeys(p, POOL_KEYS, where + ": pool");
        String type = text(p, "type", "max", where + ": pool");
        if (!PoolSpec.TYPES.contains(type)) {
            throw new InputError(where + ": 'pool.type' must be max or avg, got '" + type + "'");
        }
        Integer size = integer(p, "size", null, where + ": pool");
        if (size == null || size < 1) {
            throw new InputError(where + ": 'pool.size' must be a positive integer");
        }
        int stride = integer(p, "stride", size, where + ": pool");
        int padding = integer(p, "padding", 0, where + ": pool");
        if (stride < 1) {
            throw new InputError(where + ": 'pool.stride' must be >= 1, got " + stride);
        }
        if (padding < 0 || 2 * padding > size) {
            throw new InputError(where + ": 'pool.padding' must be between 0 and half the size (" + size / 2 + "), got " + padding);
        }
        return new PoolSpec(type, size, stride, padding);
    }

    private static void checkKeys(JsonNode node, Set<String> known, String where) {
        if (!node.isObject()) {
            throw new InputError(where + ": must be an object");
        }
        Iterator<String> keys = node.fieldNames();
        while (keys.hasNext()) {
            String k = keys.next();
            if (!known.contains(k)) {
                throw new InputError(where + ": unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static String text(JsonNode n, String key, String fallback, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new InputError(where + ": '" + key + "' must be a string");
        }
        return v.asText().trim().toLowerCase(Locale.ROOT);
    }

    private static Integer integer(JsonNode n, String key, Integer fallback, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InputError(where + ": '" + key + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static Double number(JsonNode n, String key, Double fallback, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new InputError(where + ": '" + key + "' must be a number, got " + v);
        }
        return v.asDouble();
    }

    // ---------------------------------------------------------------------------------------------

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public List<LayerSpec> layers() {
        return layers;
    }

    /** The images' preprocessing, one of {@link #INPUTS}. */
    public String input() {
        return input;
    }

    /** The number of layers, classifier included. */
    public int depth() {
        return layers.size();
    }

    /** 1-based. */
    public LayerSpec layer(int number) {
        if (number < 1 || number > layers.size()) {
            throw new IllegalArgumentException("layers are numbered 1-" + layers.size() + ", got " + number);
        }
        return layers.get(number - 1);
    }

    /** The shapes of every layer for inputs {@code [C, H, W]} and {@code classes} classes; refuses what cannot work. */
    public NetworkPlan plan(long[] input, int classes) {
        return NetworkPlan.of(this, input, classes);
    }

    /**
     * Every key with its default written out, in a fixed order: what a results folder's identity
     * hashes, and what {@code config.yaml} records.
     */
    public ObjectNode canonical() {
        ObjectNode root = YAML.createObjectNode();
        root.put("name", name);
        root.put("input", input);
        ArrayNode arr = root.putArray("layers");
        for (LayerSpec l : layers) {
            ObjectNode o = arr.addObject();
            o.put("type", l.type());
            if (l.width() != null) {
                o.put("width", l.width());
            }
            if (l.isConv()) {
                o.put("kernel", l.kernel());
                o.put("stride", l.stride());
                o.put("padding", l.padding());
                o.put("paddingMode", l.paddingMode());
            }
            o.put("activation", l.activation());
            if (l.activation().equals("triangle")) {
                o.put("power", l.power());
            }
            if (l.pool() != null) {
                ObjectNode p = o.putObject("pool");
                p.put("type", l.pool().type());
                p.put("size", l.pool().size());
                p.put("stride", l.pool().stride());
                p.put("padding", l.pool().padding());
            }
            o.put("norm", l.norm());
            o.put("normPosition", l.normBefore() ? "before" : "after");
            if (l.dropout() != null) {
                o.put("dropout", l.dropout());
            }
            if (l.rule() != null) {
                o.put("rule", l.rule());
            }
            for (Map.Entry<String, Object> e : new TreeMap<>(l.ruleSettings()).entrySet()) {
                o.set(e.getKey(), YAML.valueToTree(e.getValue()));
            }
        }
        return root;
    }

    /** A spec with layer {@code number}'s rule and settings replaced. */
    public NetworkSpec withLayer(LayerSpec layer) {
        List<LayerSpec> copy = new ArrayList<>(layers);
        copy.set(layer.number() - 1, layer);
        return new NetworkSpec(name, description, input, copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec s && s.canonical().equals(canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    @Override
    public String toString() {
        return name + " (" + layers.size() + " layers)";
    }
}
