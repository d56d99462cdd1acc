package org.hebbcnn.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.hebbcnn.architecture.NetworkSpec;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.InputError;

/**
 * Every setting of an experiment, as one YAML file: the dataset and seeds, the profile (epochs,
 * subsets, batch), the methods, rules and hybrid configurations, and the hyperparameters. The
 * defaults are the paper's. Loading is strict: an unknown key or a value of the wrong type is refused
 * with the key's full name ({@code backprop.lr}). {@code null} epochs and subsets mean "the
 * profile's" (the paper's, or the quick profile's with {@code quick: true}); {@link #resolved()}
 * fills them in, and the resolved configuration is what results folders record, so a run can be
 * repeated from it exactly.
 */
@JsonPropertyOrder({"dataset", "dataDir", "seeds", "quick", "epochs", "probeEpochs", "trainImages", "validationImages",
    "batch", "validationSize", "network", "methods", "rules", "configs", "backprop", "hebbian", "probes", "vae"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public final class ExperimentConfig {
    /** The paper's two hybrid rules, the default of {@code --rules}; any Hebbian method's rule may be named. */
    public static final List<String> HYBRID_RULES = List.of("hpca", "hwta");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A paper dataset (mnist, cifar10, cifar100), or the label of the folder {@code dataDir}. */
    public String dataset = "mnist";
    /** Folder with the dataset's files; null: the fetched copy. */
    public String dataDir;
    public int seeds = 5;
    public boolean quick;
    public Integer epochs;
    public Integer probeEpochs;
    public Integer trainImages;
    public Integer validationImages;
    public int batch = LayerwiseSettings.BATCH;
    /**
     * Images held out of the official training set for validation; null: the paper's 10,000. Absent
     * keys stay out of the resolved config (folders made before this key keep their identity).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Integer validationSize;
    /** A preset name ({@link NetworkSpec#PRESETS}) or an object with {@code layers:}; see {@link NetworkSpec}. */
    public JsonNode network = TextNode.valueOf(NetworkSpec.DEFAULT);
    public List<String> methods = new ArrayList<>(List.of("bp", "hpca", "hwta"));
    public List<String> rules = new ArrayList<>(HYBRID_RULES);
    /** Hybrid configurations; null: the network's defaults (the paper's 16 for the try-out network). */
    public List<String> configs;
    public Backprop backprop = new Backprop();
    public Hebbian hebbian = new Hebbian();
    public Probes probes = new Probes();
    public Vae vae = new Vae();

    /** Backprop networks, stages and the SGD probes' optimiser (Nesterov SGD). */
    @JsonPropertyOrder({"lr", "lrGamma", "lrMilestones", "momentum", "dropout", "weightDecay", "topWeightDecay"})
    public static final class Backprop {
        public double lr = 1e-3;
        public double lrGamma = 0.5;
        public List<Integer> lrMilestones = new ArrayList<>(List.of(10, 11, 12, 13, 14, 15, 16, 17, 18, 19));
        /** Nesterov momentum (networks and SGD probes). */
        public double momentum = 0.9;
        /** Dropout before the classifier (unless its spec sets one) and before the SGD probes. */
        public double dropout = 0.5;
        /** null: 5e-2, or 1e-2 on CIFAR-100. */
        public Double weightDecay;
        /** L2 of backprop stages that retrain one or two top layers. */
        public double topWeightDecay = 5e-4;
    }

    /** Hebbian rules and the network's SHC. */
    @JsonPropertyOrder({"lr", "hwtaK", "zcaEpsilon"})
    public static final class Hebbian {
        public double lr = 1e-3;
        /** Winners per position of HWTA (k-WTA; the paper's setting is 1). */
        public int hwtaK = 1;
        public double zcaEpsilon = 1e-2;
        /**
         * true: the layers learn one at a time, bottom up, each for {@code epochs} epochs on the frozen
         * layers below (SoftHebb's paper trains "successively"), the classifier with the top layer;
         * null or false: all layers on every batch (the paper's). Absent or false, it stays out of the
         * resolved config (folders made before this key keep their identity, and {@code --set
         * hebbian.greedy=false} over a greedy protocol names them).
         */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public Boolean greedy;
    }

    /** Probes on frozen layers (SGD probes follow the backprop schedule). */
    @JsonPropertyOrder({"weightDecay", "shcLr", "chlLr", "optimizer", "lr", "lrGamma", "lrMilestones", "batch", "layers"})
    public static final class Probes {
        public double weightDecay = 5e-4;
        public double shcLr = 1e-3;
        /** The CHL probes' learning rate (not in the paper); null: 1e-2, kept out of the resolved config. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public Double chlLr;
        // Protocols other than the paper's (see ProbeOptions). Absent (null) means the paper's, and absent keys
        // stay out of the resolved config, so the identities of folders made before these keys existed hold.
        /** sgd (Nesterov, the paper's) or adam (SoftHebb's readout). */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public String optimizer;
        /** null: backprop.lr. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public Double lr;
        /** null: backprop.lrGamma. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public Double lrGamma;
        /** null: backprop.lrMilestones. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public List<Integer> lrMilestones;
        /** null: the run's batch. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public Integer batch;
        /** Probed layers (1-based); null: every layer under the classifier. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public List<Integer> layers;

        ProbeOptions options() {
            return new ProbeOptions(optimizer == null ? "sgd" : optimizer,
                    lr == null ? Double.NaN : lr, lrGamma == null ? Double.NaN : lrGamma,
                    lrMilestones == null ? null : lrMilestones.stream().mapToInt(Integer::intValue).toArray(),
                    batch == null ? 0 : batch, layers == null ? new int[0] : layers.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** The VAE baseline (plain-momentum SGD, loss MSE + klWeight x KL). */
    @JsonPropertyOrder({"lr", "momentum", "klWeight"})
    public static final class Vae {
        public double lr = 1e-3;
        public double momentum = 0.9;
        public double klWeight = 0.5;
    }

    // ---------------------------------------------------------------------------------------------
    // files and overrides

    /** Reads a configuration file; keys left out keep the paper's defaults. */
    public static ExperimentConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputError("config " + file + ": no such file");
        }
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return new ExperimentConfig();
            }
            return fromTree(tree, "config " + file);
        } catch (JsonProcessingException e) {
            throw new InputError("config " + file + ": not valid YAML (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new InputError("config " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    /** The configuration as YAML text. */
    public String toYaml() {
        try {
            return YAML.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@link #toYaml()} to {@code file}, atomically. */
    public void save(Path file) throws IOException {
        AtomicFiles.writeString(file, toYaml());
    }

    /**
     * A copy with {@code key=value} applied ({@code --set}): the key is a dotted path that must exist
     * ({@code backprop.lr}, {@code epochs}); the value is read as YAML ({@code 1e-4}, {@code true},
     * {@code [bp, hpca]}, {@code null}) and must have the key's type.
     */
    public ExperimentConfig with(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new InputError("--set " + assignment + ": write key=value, e.g. backprop.lr=1e-4");
        }
        String key = assignment.substring(0, eq).trim();
        String text = assignment.substring(eq + 1).trim();
        ObjectNode tree = YAML.valueToTree(this);
        ObjectNode parent = tree;
        String[] parts = key.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = parent.get(parts[i]);
            if (!(next instanceof ObjectNode o)) {
                throw unknownKey("--set " + assignment, key, parent);
            }
            parent = o;
        }
        String leaf = parts[parts.length - 1];
        // A key absent from the tree may still be a known one left out while null (probes.optimizer):
        // reading the tree back (strict about unknown keys) decides.
        if (parent.has(leaf) && parent.get(leaf).isObject() && !(parent == tree && leaf.equals("network"))) {
            throw unknownKey("--set " + assignment, key, parent);
        }
        JsonNode value;
        try {
            value = text.isEmpty() ? tree.nullNode() : YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InputError("--set " + assignment + ": the value is not valid YAML");
        }
        parent.set(leaf, value);
        return fromTree(tree, "--set " + assignment);
    }

    /** Applies every {@code key=value} in order. */
    public ExperimentConfig with(List<String> assignments) {
        ExperimentConfig c = this;
        for (String a : assignments) {
            c = c.with(a);
        }
        return c;
    }

    private static InputError unknownKey(String where, String key, JsonNode parent) {
        List<String> known = new ArrayList<>();
        parent.fieldNames().forEachRemaining(known::add);
        return new InputError(where + ": unknown key '" + key + "' (known here: " + String.join(", ", known) + ")");
    }

    /** A configuration from a parsed YAML tree ({@code where} names it in messages); keys left out keep the defaults. */
    public static ExperimentConfig fromYaml(JsonNode tree, String where) {
        return fromTree(tree, where);
    }

    private static ExperimentConfig fromTree(JsonNode tree, String where) {
        try {
            ExperimentConfig c = YAML.treeToValue(tree, ExperimentConfig.class);
            c.check(where);
            return c;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(Object::toString)
                    .sorted().collect(Collectors.joining(", "));
            throw new InputError(where + ": unknown key '" + path(e) + "' (known here: " + known + ")");
        } catch (InvalidFormatException e) {
            throw new InputError(where + ": '" + path(e) + "' must be " + typeName(e.getTargetType()) + ", got "
                    + e.getValue());
        } catch (MismatchedInputException e) {
            throw new InputError(where + ": '" + path(e) + "' must be " + typeName(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw new InputError(where + ": " + e.getOriginalMessage());
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String typeName(Class<?> t) {
        if (t == null) {
            return "of another type";
        }
        if (t == int.class || t == Integer.class || t == long.class) {
            return "an integer";
        }
        if (t == double.class || t == Double.class || t == float.class) {
            return "a number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(t)) {
            return "a list";
        }
        if (t == String.class) {
            return "a string";
        }
        return "a " + t.getSimpleName().toLowerCase(Locale.ROOT) + " section";
    }

    /** Checks values that types alone cannot (building the settings checks the rest). */
    private void check(String where) {
        if ((dataset == null || dataset.isBlank()) && dataDir == null) {
            throw new InputError(where + ": 'dataset' is required (or 'dataDir', a folder of your own files)");
        }
        if (backprop == null || hebbian == null || probes == null || vae == null || methods == null || rules == null) {
            throw new InputError(where + ": sections and lists cannot be null");
        }
        try {
            networkSpec();
        } catch (InputError e) {
            throw new InputError(where + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // what the experiments take

    /** The profile: the paper's or the quick one, with every explicit value applied. */
    public LayerwiseSettings settings() {
        String name = dataset != null && !dataset.isBlank() ? dataset
                : Path.of(dataDir).toAbsolutePath().normalize().getFileName().toString(); // an own folder: its name
        LayerwiseSettings s = quick ? LayerwiseSettings.quick(name, methods, seeds)
                : LayerwiseSettings.paper(name, methods, seeds);
        return new LayerwiseSettings(s.dataset(), s.methods(), s.seeds(), quick, or(epochs, s.epochs()),
                or(probeEpochs, s.probeEpochs()), or(trainImages, s.trainImages()),
                or(validationImages, s.validationImages()), batch);
    }

    private static int or(Integer v, int fallback) {
        return v == null ? fallback : v;
    }

    public Hyperparameters hyperparameters() {
        return new Hyperparameters(backprop.lr, backprop.lrGamma,
                backprop.lrMilestones.stream().mapToInt(Integer::intValue).toArray(), backprop.momentum, backprop.dropout,
                backprop.weightDecay == null ? Double.NaN : backprop.weightDecay, backprop.topWeightDecay, hebbian.lr,
                hebbian.hwtaK, hebbian.zcaEpsilon, probes.weightDecay, probes.shcLr,
                probes.chlLr == null ? org.hebbcnn.training.ProbeTraining.CHL_LR : probes.chlLr, vae.lr, vae.momentum, vae.klWeight,
                probes.options());
    }

    /** The network every experiment of this configuration trains. */
    public NetworkSpec networkSpec() {
        return NetworkSpec.fromConfig(network);
    }

    /**
     * Keys that choose which runs an experiment makes, not how each run is made: a results folder
     * takes more seeds, methods, rules or configurations, or the same data from another folder.
     */
    public static final List<String> SELECTION_KEYS = List.of("dataDir", "seeds", "methods", "rules", "configs");

    /**
     * A results folder's identity: the SHA-256 (first 16 hex digits) of the resolved configuration
     * with the network written out in full ({@link NetworkSpec#canonical}) and the
     * {@link #SELECTION_KEYS} left out. Every other key counts, including keys added later, so runs
     * made with different settings are never mixed.
     */
    public String identity() {
        ObjectNode tree = YAML.valueToTree(resolved());
        SELECTION_KEYS.forEach(tree::remove);
        tree.set("network", networkSpec().canonical());
        try {
            byte[] canonical = new ObjectMapper().writeValueAsBytes(tree);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(canonical))
                    .substring(0, 16);
        } catch (JsonProcessingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configuration of a profile and hyperparameters (for callers that build those directly). */
    public static ExperimentConfig of(LayerwiseSettings s, Hyperparameters h, NetworkSpec spec) {
        ExperimentConfig c = new ExperimentConfig();
        c.dataset = s.dataset();
        c.methods = new ArrayList<>(s.methods());
        c.seeds = s.seeds();
        c.quick = s.quick();
        c.epochs = s.epochs();
        c.probeEpochs = s.probeEpochs();
        c.trainImages = s.trainImages();
        c.validationImages = s.validationImages();
        c.batch = s.batchSize();
        c.network = spec.canonical();
        c.backprop.lr = h.backpropLr();
        c.backprop.lrGamma = h.lrGamma();
        c.backprop.lrMilestones = new ArrayList<>(java.util.Arrays.stream(h.lrMilestones()).boxed().toList());
        c.backprop.momentum = h.momentum();
        c.backprop.dropout = h.dropout();
        c.backprop.weightDecay = Double.isNaN(h.backpropWeightDecay()) ? null : h.backpropWeightDecay();
        c.backprop.topWeightDecay = h.topWeightDecay();
        c.hebbian.lr = h.hebbianLr();
        c.hebbian.hwtaK = h.hwtaK();
        c.hebbian.zcaEpsilon = h.zcaEpsilon();
        c.probes.weightDecay = h.probeWeightDecay();
        c.probes.shcLr = h.shcProbeLr();
        ProbeOptions p = h.probeOptions();
        if (!p.isPaper()) {
            c.probes.optimizer = p.optimizer();
            c.probes.lr = Double.isNaN(p.lr()) ? null : p.lr();
            c.probes.lrGamma = Double.isNaN(p.lrGamma()) ? null : p.lrGamma();
            c.probes.lrMilestones = p.lrMilestones() == null ? null : java.util.Arrays.stream(p.lrMilestones()).boxed().toList();
            c.probes.batch = p.batch() == 0 ? null : p.batch();
            c.probes.layers = p.layers().length == 0 ? null : java.util.Arrays.stream(p.layers()).boxed().toList();
        }
        c.probes.chlLr = h.chlProbeLr() == org.hebbcnn.training.ProbeTraining.CHL_LR ? null : h.chlProbeLr();
        c.vae.lr = h.vaeLr();
        c.vae.momentum = h.vaeMomentum();
        c.vae.klWeight = h.klWeight();
        return c;
    }

    public Path dataDirectory() {
        return dataDir == null ? null : Path.of(dataDir);
    }

    /** A copy with the profile's epochs and subsets written out and the names normalised. */
    public ExperimentConfig resolved() {
        LayerwiseSettings s = settings();
        hyperparameters(); // validates
        ExperimentConfig c = copy();
        c.dataset = s.dataset();
        c.methods = new ArrayList<>(s.methods());
        c.epochs = s.epochs();
        c.probeEpochs = s.probeEpochs();
        c.trainImages = s.trainImages();
        c.validationImages = s.validationImages();
        c.network = networkSpec().canonical();
        if (Boolean.FALSE.equals(c.hebbian.greedy)) {
            c.hebbian.greedy = null; // false is the default: a folder made without the key is the same run
        }
        if (c.configs == null) {
            c.configs = new ArrayList<>(org.hebbcnn.network.HybridConfig.defaults(networkSpec().depth()));
        }
        return c;
    }

    private ExperimentConfig copy() {
        return fromTree(YAML.valueToTree(this), "copy");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExperimentConfig c && c.toYaml().equals(toYaml());
    }

    @Override
    public int hashCode() {
        return toYaml().hashCode();
    }

    @Override
    public String toString() {
        return toYaml();
    }
}
